import { DubanEvent, topicCarries } from '@duban/contracts';
import { PermanentError } from './permanent-error';

export interface AdmissionRules {
  /** The topic the record came from, without the deployment's prefix. */
  topic: string;
  now: Date;
  /** How far ahead of our clock an event's `time` may be before it is refused. */
  maxClockSkewMs: number;
}

/**
 * What a consumer checks before dispatching, beyond the schema: handlers dispatch by `type`
 * alone, so a type the topic doesn't carry (a park directory event forged onto a
 * department-writable ingest topic) must never reach them; and an event dated in the future
 * would outrank every genuine later event of its aggregate, since readers keep the newest.
 */
export function refusalOf(event: DubanEvent, rules: AdmissionRules): PermanentError | null {
  if (!topicCarries(rules.topic, event.type)) {
    return new PermanentError(`${rules.topic} does not carry ${event.type}`, 'wrong-topic');
  }
  const ahead = Date.parse(event.time) - rules.now.getTime();
  if (ahead > rules.maxClockSkewMs) {
    return new PermanentError(
      `time ${event.time} is ${Math.round(ahead / 1000)} s ahead of the consumer's clock ` +
        `(at most ${Math.round(rules.maxClockSkewMs / 1000)} s allowed)`,
      'time-in-future',
    );
  }
  return null;
}
