import { z } from 'zod';

/**
 * Environment variables as zod values, for the configuration schemas parsed once at start.
 * Each issue lands on the variable's own key, so the error names it.
 */

/** Unset and empty are alike: compose and Kubernetes write "" for a variable left blank. */
const raw = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envText = (fallback: string) => raw.transform((v) => v ?? fallback);

export const envOptionalText = raw;

export function envWholeNumber(fallback: number, min: number, max: number) {
  return raw.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = wholeNumber(v);
    if (n !== null && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
    return z.NEVER;
  });
}

/** Comma-separated whole numbers, e.g. `7,1`; `count` fixes how many when it matters. */
export function envWholeNumbers(fallback: number[], min: number, max: number, count?: number) {
  const size = count === undefined ? '' : `${count} `;
  const message = `must be ${size}comma-separated whole numbers from ${min} to ${max}`;
  return raw.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const ns = v.split(',').map((part) => wholeNumber(part.trim()));
    const valid = ns.every((n) => n !== null && n >= min && n <= max);
    if (valid && (count === undefined || ns.length === count)) return ns as number[];
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** One of `values`, or undefined when unset (the caller's default may depend on other variables). */
export function envChoice<T extends string>(values: readonly T[]) {
  return raw.transform((v, ctx) => {
    if (v === undefined || (values as readonly string[]).includes(v)) return v as T | undefined;
    ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
    return z.NEVER;
  });
}

function wholeNumber(v: string): number | null {
  return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : null;
}

/**
 * What NODE_ENV means, the one rule for services, libraries and tools: only an explicit
 * `development` or `test` is a local run (development secrets, the local broker's admin, docs
 * on); unset, empty or anything else (production, staging, …) is production. The repository's
 * own tools say which they are: deploy/local/start.ts and jest.setup.js set it, and each CLI
 * meant for the local stack calls developmentUnlessSet at its entry.
 */
export function isLocalRun(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
}

export const isProduction = (env: Readonly<Record<string, string | undefined>>): boolean =>
  !isLocalRun(env);

/** A CLI for the local stack (topics, kafka-user, dlq, the simulator): development unless told. */
export function developmentUnlessSet(env: NodeJS.ProcessEnv = process.env): void {
  env.NODE_ENV ??= 'development';
}
