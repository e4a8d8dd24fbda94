/** HTTP for evaluations: admin routes (inside the /api/admin scope) and the voter's list. Thin: validate, call, reply. */
import type { FastifyInstance } from 'fastify';
import {
  evalItemParamsSchema,
  evalItemsQuerySchema,
  evaluationCreateSchema,
  evaluationEditSchema,
  evaluationIdParamSchema,
  evaluationResultsQuerySchema,
  exportQuerySchema,
} from '../../protocol/evaluations.ts';
import { battlePromptsQuerySchema, judgeStartSchema, rerunSchema } from '../../protocol/judges.ts';
import { emptySchema } from '../../protocol/schemas.ts';
import { adminFileRoute, adminRoute, route } from '../transport/http.ts';
import { requireEvaluator } from '../transport/identity.ts';
import { parseInput } from '../transport/validation.ts';
import type { EvaluationService } from './service.ts';

/** Room for the file's text and the JSON around it. */
const CREATE_BODY_LIMIT = 10 * 1024 * 1024;

export function registerEvaluationAdminRoutes(scope: FastifyInstance, evaluations: EvaluationService): void {
  const idOf = (params: unknown) => parseInput(evaluationIdParamSchema, params).id;

  adminRoute(scope, 'GET /api/admin/evaluations', async () => ({ ok: true, evaluations: evaluations.list() }));
  adminRoute(
    scope,
    'POST /api/admin/evaluations',
    async (request) => ({ ok: true, evaluation: await evaluations.create(request.identity, parseInput(evaluationCreateSchema, request.body)) }),
    { bodyLimit: CREATE_BODY_LIMIT },
  );
  adminRoute(scope, 'GET /api/admin/evaluations/:id', async (request) => ({ ok: true, evaluation: evaluations.detail(idOf(request.params)) }));
  adminRoute(
    scope,
    'PATCH /api/admin/evaluations/:id',
    async (request) => ({
      ok: true,
      evaluation: await evaluations.edit(request.identity, idOf(request.params), parseInput(evaluationEditSchema, request.body)),
    }),
    { bodyLimit: CREATE_BODY_LIMIT },
  );
  adminRoute(scope, 'POST /api/admin/evaluations/:id/judges', async (request) => ({
    ok: true,
    ...(await evaluations.judge(request.identity, idOf(request.params), parseInput(judgeStartSchema, request.body))),
  }));
  adminRoute(scope, 'POST /api/admin/evaluations/:id/rerun', async (request) => ({
    ok: true,
    evaluation: await evaluations.rerun(request.identity, idOf(request.params), parseInput(rerunSchema, request.body)),
  }));
  adminRoute(scope, 'GET /api/admin/battle-prompts', async (request) => {
    const { models, ...filter } = parseInput(battlePromptsQuerySchema, request.query);
    const list = models
      ?.split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    return { ok: true, ...evaluations.battlePrompts({ ...filter, ...(list && list.length > 0 && { models: list }) }) };
  });
  adminRoute(scope, 'POST /api/admin/evaluations/:id/start', async (request) => {
    parseInput(emptySchema, request.body ?? {});
    return { ok: true, evaluation: await evaluations.start(request.identity, idOf(request.params)) };
  });
  adminRoute(scope, 'POST /api/admin/evaluations/:id/close', async (request) => {
    parseInput(emptySchema, request.body ?? {});
    return { ok: true, evaluation: await evaluations.close(request.identity, idOf(request.params)) };
  });
  adminRoute(scope, 'POST /api/admin/evaluations/:id/reopen', async (request) => {
    parseInput(emptySchema, request.body ?? {});
    return { ok: true, evaluation: await evaluations.reopen(request.identity, idOf(request.params)) };
  });
  adminRoute(scope, 'POST /api/admin/evaluations/:id/retry', async (request) => {
    parseInput(emptySchema, request.body ?? {});
    return { ok: true, evaluation: await evaluations.retryFailed(request.identity, idOf(request.params)) };
  });
  adminRoute(scope, 'GET /api/admin/evaluations/:id/results', async (request) => {
    const { ci, clustered } = parseInput(evaluationResultsQuerySchema, request.query);
    return { ok: true, results: evaluations.reports.results(idOf(request.params), { ci, clustered }) };
  });
  adminRoute(scope, 'GET /api/admin/evaluations/:id/items', async (request) => ({
    ok: true,
    ...evaluations.reports.items(idOf(request.params), parseInput(evalItemsQuerySchema, request.query)),
  }));
  adminRoute(scope, 'GET /api/admin/evaluations/:id/items/:itemId', async (request) => {
    const { id, itemId } = parseInput(evalItemParamsSchema, request.params);
    return { ok: true, item: evaluations.reports.itemAnswers(id, itemId) };
  });
  for (const format of ['csv', 'jsonl'] as const) {
    adminFileRoute(scope, `GET /api/admin/evaluations/:id/export.${format}`, async (request, reply) => {
      const id = idOf(request.params);
      const { identities, judges } = parseInput(exportQuerySchema, request.query);
      const body = await evaluations.reports.export(request.identity, id, format, { identities: identities === '1', judges: judges === '1' });
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="evaluation-${id}.${format}"`)
        .send(body);
    });
  }
}

export function registerEvaluationRoutes(fastify: FastifyInstance, evaluations: EvaluationService): void {
  route(fastify, 'GET /api/evaluations', async (request) => {
    requireEvaluator(request.identity);
    return { ok: true, evaluations: evaluations.forVoter(request.identity.voterId) };
  });
}
