/** One validator for HTTP bodies and socket payloads: zod, with errors that name the field. */
import type { z } from 'zod';
import { AppError } from './errors.ts';

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function parseInput<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new AppError('invalid_input', 'invalid input');
  let field = fieldPath(issue.path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    field = fieldPath([...issue.path, issue.keys[0] ?? '']);
    message = 'unknown field';
  } else if (issue.code === 'invalid_type' && payload !== null && typeof payload === 'object' && issue.path.length > 0) {
    message = issue.input === undefined ? 'is required' : message;
  }
  return throwInvalid(field, message);
}

function throwInvalid(field: string, message: string): never {
  throw new AppError('invalid_input', field ? `${field}: ${message}` : message, field ? { field } : {});
}
