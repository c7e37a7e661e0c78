/** One partition held back: its message keeps failing for a reason worth waiting out. */
export interface StalledPartition {
  topic: string;
  partition: number;
  offset: string;
  /** `database`, `kafka`, `redis`, `network`, or `unknown` (a bounded number of tries). */
  kind: string;
  attempts: number;
  /** Of those, tries that failed for an unknown reason: these are bounded. */
  unknownAttempts: number;
  since: Date;
}

export interface ConsumerHealth {
  ok: boolean;
  /** Why not ok, naming topics, never raw error text. */
  problems: string[];
  stalled: (StalledPartition & { ageSeconds: number })[];
}

const key = (topic: string, partition: number): string => `${topic}[${partition}]`;

/**
 * What readiness needs to know about a consumer: partitions held back by failing messages,
 * messages that have been in a handler too long, and whether kafkajs gave up on the consumer.
 * Plain data with the clock passed in, so the rules are testable on their own.
 */
export class ConsumerHealthTracker {
  private readonly stalls = new Map<string, StalledPartition>();
  private readonly inFlight = new Map<string, { offset: string; since: Date }>();
  private crashed: string | null = null;

  constructor(
    private readonly topics: readonly string[],
    /** A stall or a handler running longer than this makes the consumer unready. */
    private readonly stuckAfterMs: number,
  ) {}

  started(topic: string, partition: number, offset: string, now: Date): void {
    this.inFlight.set(key(topic, partition), { offset, since: now });
  }

  finished(topic: string, partition: number): void {
    this.inFlight.delete(key(topic, partition));
  }

  /** Tries already spent on the message at `offset`: all of them, and the unknown ones. */
  triesAt(topic: string, partition: number, offset: string): { all: number; unknown: number } {
    const stall = this.stalls.get(key(topic, partition));
    return stall?.offset === offset
      ? { all: stall.attempts, unknown: stall.unknownAttempts }
      : { all: 0, unknown: 0 };
  }

  /** Records one more failed try of the message at `offset`; returns the tries so far. */
  failed(topic: string, partition: number, offset: string, kind: string, now: Date): number {
    const k = key(topic, partition);
    const prior = this.stalls.get(k);
    const same = prior?.offset === offset ? prior : undefined;
    const stall: StalledPartition = {
      topic,
      partition,
      offset,
      kind,
      attempts: (same?.attempts ?? 0) + 1,
      unknownAttempts: (same?.unknownAttempts ?? 0) + (kind === 'unknown' ? 1 : 0),
      since: same?.since ?? now,
    };
    this.stalls.set(k, stall);
    return stall.attempts;
  }

  /** The partition moved past its message (applied or dead-lettered). */
  cleared(topic: string, partition: number): void {
    this.stalls.delete(key(topic, partition));
  }

  /** kafkajs stopped the consumer for good (a crash it will not restart from). */
  markCrashed(reason: string): void {
    this.crashed = reason;
  }

  report(now: Date): ConsumerHealth {
    const problems: string[] = [];
    if (this.crashed)
      problems.push(`consumer of ${this.topics.join(', ')} stopped: ${this.crashed}`);
    const stalled = [...this.stalls.values()].map((s) => ({
      ...s,
      ageSeconds: Math.round((now.getTime() - s.since.getTime()) / 1000),
    }));
    for (const s of stalled) {
      if (s.ageSeconds * 1000 >= this.stuckAfterMs) {
        problems.push(
          `${key(s.topic, s.partition)} stalled at offset ${s.offset} for ${s.ageSeconds} s ` +
            `(${s.kind}, ${s.attempts} tries)`,
        );
      }
    }
    for (const [k, f] of this.inFlight) {
      const age = now.getTime() - f.since.getTime();
      if (age >= this.stuckAfterMs && !this.stalls.has(k)) {
        problems.push(`${k} handler busy with offset ${f.offset} for ${Math.round(age / 1000)} s`);
      }
    }
    return { ok: problems.length === 0, problems, stalled };
  }
}
