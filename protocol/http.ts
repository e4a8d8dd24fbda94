/**
 * The HTTP contract: every route the server registers, keyed `METHOD /path/:param`, with what a
 * caller sends (params, query, body) and what a success answers. Errors always answer the one
 * envelope `{ ok: false, error }` (errors.ts) with the status of their code.
 *
 * `params` and `query` hold what a caller passes; on the wire every value is text (numbers and
 * booleans as `String(value)`), and the server validates it with the route's schema. A route
 * without `body` takes none (state-changing ones accept `{}`).
 */
import type {
  AuditEntry,
  AuditQuery,
  InviteCreateInput,
  InviteView,
  LoginInput,
  Me,
  NewInvite,
  SessionUser,
  SignupInput,
  UserUpdateInput,
  UserView,
} from './auth.ts';
import type { ErrorReply } from './errors.ts';
import type {
  EvalItemAnswers,
  EvalItemReviewPage,
  EvalItemsQuery,
  EvaluationCreateInput,
  EvaluationDetail,
  EvaluationEditInput,
  EvaluationResults,
  EvaluationResultsQuery,
  EvaluationSummary,
  ExportQuery,
  VoterEvaluation,
} from './evaluations.ts';
import type { IntegrityRecomputeQuery, IntegrityReport, RecomputedLeaderboard } from './integrity.ts';
import type { BattlePromptsPreview, BattlePromptsQuery, JudgeEstimate, JudgeStartInput, RerunInput } from './judges.ts';
import type { DiscoverySnapshot, ModelCheckResult, ModelConfigInput, ModelPatchInput, ModelView, ModelWriteQuery, ModelWriteResult } from './models.ts';
import type { HistoryRoutes, StandingsRoutes } from './standings.ts';
import type { BtLeaderboard, IntegrityFlag, Leaderboard, PublicModel } from './types.ts';

type Ok<T extends object = object> = { ok: true } & T;
type EvaluationId = { id: string };

export interface HealthStatus {
  demoModels: boolean;
  /** Present (true) only when the load-test mode switched the limits off. */
  loadTest?: true;
  warning?: string;
  /** Which instance answered (ARENA_INSTANCE_ID), present only when several share the arena (REDIS_URL). */
  instance?: string;
}

/** The standings, model pages, battle history and snapshots (protocol/standings.ts) are part of it. */
export interface HttpRoutes extends StandingsRoutes, HistoryRoutes {
  // Public
  'GET /api/health': { response: Ok<HealthStatus> };
  /** Older route: answers without `ok`. */
  'GET /api/models': { response: { models: PublicModel[] } };
  /** Older route: answers without `ok`; `method=bt` answers the Bradley-Terry standings (they carry `method: 'bt'`). */
  'GET /api/leaderboard': { query: { method?: 'elo' | 'bt' }; response: Leaderboard | BtLeaderboard };

  // Accounts (auth/http.ts)
  'GET /api/me': { response: Ok<Me> };
  'POST /api/auth/login': { body: LoginInput; response: Ok<{ user: SessionUser }> };
  'POST /api/auth/signup': { body: SignupInput; response: Ok<{ user: SessionUser }> };
  'POST /api/auth/logout': { response: Ok };

  // Evaluations, the voter's side (admins and members)
  'GET /api/evaluations': { response: Ok<{ evaluations: VoterEvaluation[] }> };

  // Admin: accounts and the audit log
  'GET /api/admin/users': { response: Ok<{ users: UserView[] }> };
  'PATCH /api/admin/users/:id': { params: { id: number }; body: UserUpdateInput; response: Ok<{ user: UserView }> };
  'GET /api/admin/invites': { response: Ok<{ invites: InviteView[] }> };
  'POST /api/admin/invites': { body: InviteCreateInput; response: Ok<NewInvite> };
  'DELETE /api/admin/invites/:id': { params: { id: number }; response: Ok };
  'GET /api/admin/audit': { query: AuditQuery; response: Ok<{ entries: AuditEntry[] }> };

  // Admin: the model registry. Switching a model on tests it first: a failing one is refused
  // (`conflict`, with `error.check`) unless the query says `force=1`.
  'GET /api/admin/models': { response: Ok<{ models: ModelView[]; discovery: DiscoverySnapshot }> };
  'POST /api/admin/models': { query: ModelWriteQuery; body: ModelConfigInput; response: Ok<ModelWriteResult> };
  'PATCH /api/admin/models/:id': { params: { id: string }; query: ModelWriteQuery; body: ModelPatchInput; response: Ok<ModelWriteResult> };
  'POST /api/admin/models/:id/test': { params: { id: string }; response: Ok<{ result: ModelCheckResult }> };
  'POST /api/admin/discovery/refresh': { response: Ok<{ discovery: DiscoverySnapshot }> };

  // Admin: vote integrity
  'GET /api/admin/integrity': { response: Ok<IntegrityReport> };
  'GET /api/admin/integrity/leaderboard': {
    query: IntegrityRecomputeQuery;
    response: Ok<{ include: IntegrityFlag[]; excludeOutliers: boolean; leaderboard: RecomputedLeaderboard }>;
  };

  // Admin: evaluations
  'GET /api/admin/evaluations': { response: Ok<{ evaluations: EvaluationSummary[] }> };
  'POST /api/admin/evaluations': { body: EvaluationCreateInput; response: Ok<{ evaluation: EvaluationDetail }> };
  'GET /api/admin/evaluations/:id': { params: EvaluationId; response: Ok<{ evaluation: EvaluationDetail }> };
  /** Edits a draft (every field), or a started evaluation's name, description and result options. */
  'PATCH /api/admin/evaluations/:id': { params: EvaluationId; body: EvaluationEditInput; response: Ok<{ evaluation: EvaluationDetail }> };
  /** Starts judging with one or more judge models (both orders per item); `dryRun` only estimates. */
  'POST /api/admin/evaluations/:id/judges': { params: EvaluationId; body: JudgeStartInput; response: Ok<{ estimate: JudgeEstimate; started: boolean }> };
  /** A new evaluation: the same prompts, a new model paired against the stored answers of the old ones. */
  'POST /api/admin/evaluations/:id/rerun': { params: EvaluationId; body: RerunInput; response: Ok<{ evaluation: EvaluationDetail }> };
  /** What a battles filter would import as prompts (duplicates removed). */
  'GET /api/admin/battle-prompts': { query: BattlePromptsQuery; response: Ok<BattlePromptsPreview> };
  'POST /api/admin/evaluations/:id/start': { params: EvaluationId; response: Ok<{ evaluation: EvaluationDetail }> };
  'POST /api/admin/evaluations/:id/close': { params: EvaluationId; response: Ok<{ evaluation: EvaluationDetail }> };
  'POST /api/admin/evaluations/:id/reopen': { params: EvaluationId; response: Ok<{ evaluation: EvaluationDetail }> };
  'POST /api/admin/evaluations/:id/retry': { params: EvaluationId; response: Ok<{ evaluation: EvaluationDetail }> };
  'GET /api/admin/evaluations/:id/results': { params: EvaluationId; query: EvaluationResultsQuery; response: Ok<{ results: EvaluationResults }> };
  'GET /api/admin/evaluations/:id/items': { params: EvaluationId; query: EvalItemsQuery; response: Ok<EvalItemReviewPage> };
  'GET /api/admin/evaluations/:id/items/:itemId': { params: { id: string; itemId: string }; response: Ok<{ item: EvalItemAnswers }> };
  /** A file download (text/csv), not JSON: link to it (see `FileRouteKey`). */
  'GET /api/admin/evaluations/:id/export.csv': { params: EvaluationId; query: ExportQuery; response: string };
  /** A file download (application/x-ndjson), not JSON. */
  'GET /api/admin/evaluations/:id/export.jsonl': { params: EvaluationId; query: ExportQuery; response: string };
}

export type RouteKey = keyof HttpRoutes;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `'PATCH /api/admin/models/:id'` → `'PATCH'`. */
export type MethodOf<K extends RouteKey> = K extends `${infer M extends HttpMethod} ${string}` ? M : never;
/** `'PATCH /api/admin/models/:id'` → `'/api/admin/models/:id'` (the URL pattern, as Fastify writes it). */
export type PathOf<K extends RouteKey> = K extends `${HttpMethod} ${infer P}` ? P : never;
/** The `:name` parameters of a URL pattern: `'/a/:id/items/:itemId'` → `'id' | 'itemId'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** No fields (`keyof None` is `never`). */
type None = Record<never, never>;
/** Path parameters as a caller gives them; `None` for a route without any. */
export type ParamsOf<K extends RouteKey> = HttpRoutes[K] extends { params: infer P } ? P : None;
/** Path parameters as they arrive, before the route's schema parses them (Fastify's `Params`). */
export type WireParamsOf<K extends RouteKey> = { [P in PathParamNames<PathOf<K>>]: string };
/** Query parameters, every one optional; `None` for a route that reads none. */
export type QueryOf<K extends RouteKey> = HttpRoutes[K] extends { query: infer Q } ? Q : None;
/** The JSON body; `undefined` for a route that takes none. */
export type BodyOf<K extends RouteKey> = HttpRoutes[K] extends { body: infer B } ? B : undefined;
/** What a success answers (HTTP 2xx): what the route's handler must return. */
export type ResponseOf<K extends RouteKey> = HttpRoutes[K]['response'];
/** Everything the route may answer: its success or the error envelope. */
export type ReplyOf<K extends RouteKey> = ResponseOf<K> | ErrorReply;

/** Routes answering JSON; the others answer a file to download. */
export type JsonRouteKey = { [K in RouteKey]: ResponseOf<K> extends string ? never : K }[RouteKey];
export type FileRouteKey = Exclude<RouteKey, JsonRouteKey>;

/** Routes whose pattern lies under `prefix` (the mount point of a Fastify scope, e.g. `/api/admin`). */
export type RoutesUnder<Prefix extends string> = { [K in RouteKey]: PathOf<K> extends `${Prefix}/${string}` ? K : never }[RouteKey];
/** A route's pattern inside a scope mounted at `prefix`: `'POST /api/admin/models'` under `/api/admin` → `'/models'`. */
export type ScopedPathOf<K extends RouteKey, Prefix extends string> = PathOf<K> extends `${Prefix}${infer Rest}` ? Rest : never;

/**
 * What a caller passes besides the key: `params` when the pattern has any, `query` when the
 * route reads one, `body` when it takes one.
 */
export type RequestOf<K extends RouteKey> = ([keyof ParamsOf<K>] extends [never] ? { params?: never } : { params: ParamsOf<K> }) &
  ([keyof QueryOf<K>] extends [never] ? { query?: never } : { query?: QueryOf<K> }) &
  (BodyOf<K> extends undefined ? { body?: never } : { body: BodyOf<K> });

/** Routes a caller can ask with the key alone (no params, no body). */
export type BareRouteKey = { [K in RouteKey]: object extends RequestOf<K> ? K : never }[RouteKey];

/** Fails to compile unless every route's `params` names exactly the `:params` of its pattern. */
type ParamsMismatch = {
  [K in RouteKey]: [keyof ParamsOf<K>] extends [PathParamNames<PathOf<K>>] ? ([PathParamNames<PathOf<K>>] extends [keyof ParamsOf<K>] ? never : K) : K;
}[RouteKey];
type Expect<T extends true> = T;
export type ParamsMatchPatterns = Expect<[ParamsMismatch] extends [never] ? true : ParamsMismatch>;
