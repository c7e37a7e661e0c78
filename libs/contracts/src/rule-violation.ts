import { FieldIssue } from './validation';

/**
 * A business rule refused a change. Domain code throws it without knowing about HTTP or
 * Kafka: the HTTP layer answers 409 (`conflict`) or 400 (`invalid`), the consumer
 * dead-letters the update with this message as the reason.
 */
export class RuleViolation extends Error {
  constructor(
    message: string,
    readonly kind: 'conflict' | 'invalid' | 'not-found' = 'conflict',
    readonly details: { errors?: FieldIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}
