import { z } from 'zod';

/**
 * The one validation path for HTTP bodies and Kafka event data: a zod schema in, either
 * the parsed value or field-level issues out. Callers decide how to report (400 or DLQ).
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toFieldIssues) };
}

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    // One issue per key, so each unknown field is reported under its own path.
    return issue.keys.map((key) => {
      const field = path ? `${path}.${key}` : key;
      return { field, message: `unknown field: ${key}` };
    });
  }
  return [{ field: path || '(body)', message: issue.message }];
}

export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}
