import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/** Why a service refuses to start: every bad or missing variable, by name, in one message. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses the environment once, at start, with a schema whose keys are the variables' names;
 * throws ConfigError rather than let a NaN or an undefined reach a connection string.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map(describe));
}

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

function describe(issue: z.core.$ZodIssue): string {
  // Parts of a service's schema each read the whole environment: the variable is the last key.
  const name = String(issue.path.at(-1) ?? '');
  // A part read by a library's own function (e.g. Kafka's) says which variables it means.
  if (!VARIABLE.test(name) || issue.message.startsWith(name)) return issue.message;
  return `${name} ${issue.message}`;
}

/** Safe by default: only an explicit development or test run gets the relaxed settings. */
export { isLocalRun, isProduction } from '@duban/contracts';
