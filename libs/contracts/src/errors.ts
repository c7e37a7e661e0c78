import { FieldIssue, describeIssues } from './validation';

/** Why an inbound event could not be accepted. Consumers dead-letter these, never crash. */
export abstract class ContractError extends Error {
  abstract readonly reason: 'malformed' | 'unknown-type' | 'schema-violation';
}

export class MalformedEventError extends ContractError {
  readonly reason = 'malformed' as const;
  constructor(
    detail: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(
      issues.length
        ? `malformed event: ${detail}: ${describeIssues(issues)}`
        : `malformed event: ${detail}`,
    );
  }
}

export class UnknownEventTypeError extends ContractError {
  readonly reason = 'unknown-type' as const;
  constructor(readonly type: string) {
    super(`unknown event type: ${type}`);
  }
}

export class SchemaViolationError extends ContractError {
  readonly reason = 'schema-violation' as const;
  constructor(
    readonly type: string,
    readonly issues: FieldIssue[],
  ) {
    super(`event ${type} violates its schema: ${describeIssues(issues)}`);
  }
}
