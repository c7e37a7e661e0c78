import { FieldIssue } from './validation';

/**
 * A business rule refused a change. Domain code throws it without knowing about HTTP or
 * Kafka: the HTTP layer answers 409 (`conflict`), 400 (`invalid`), 404 (`not-found`) or 403
 * (`forbidden`: the caller may not do this), the consumer dead-letters the update as
 * `rule-<kind>` with this message as the reason.
 */
export class RuleViolation extends Error {
  constructor(
    message: string,
    readonly kind: 'conflict' | 'invalid' | 'not-found' | 'forbidden' = 'conflict',
    readonly details: { errors?: FieldIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}

/** Optimistic concurrency (API-CONVENTIONS "Writes"): a stale `version` is a 409. */
export function assertVersion(
  entity: { version: number },
  expected: number | undefined,
  what: string,
): void {
  if (expected !== undefined && expected !== entity.version) {
    throw new RuleViolation(
      `${what} has changed: version ${expected} is stale, the current version is ${entity.version}`,
      'conflict',
      { currentVersion: entity.version },
    );
  }
}
