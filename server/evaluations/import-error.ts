/** `invalid_input` for a prompt file, carrying every bad row so the admin can fix them all at once. */
import type { ErrorBody } from '../../protocol/errors.ts';
import type { ImportProblem } from '../../protocol/evaluations.ts';
import { AppError } from '../transport/errors.ts';
import { IMPORT_LIMITS } from './prompt-import.ts';

export class PromptImportError extends AppError {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[]) {
    const first = problems
      .slice(0, 3)
      .map((p) => (p.line > 0 ? `line ${p.line}: ${p.message}` : p.message))
      .join('; ');
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    super('invalid_input', `the prompt file has ${problems.length} bad row(s), nothing was imported: ${first}${more}`, { field: 'prompts.content' });
    this.problems = problems.slice(0, IMPORT_LIMITS.problemsShown);
  }

  override toBody(): ErrorBody {
    return { ...super.toBody(), problems: this.problems };
  }
}
