import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { AlertData, AlertEventTypes, DubanEvent, Topics, Uuid } from '@duban/contracts';
import { Principal, regionFilter } from '@duban/auth';
import { LiveConsumer, startLiveConsumer } from '@duban/messaging';
import { SERVICE_CONFIG, ServiceConfig } from '@duban/platform';
import { mayRead } from '../alerts/alerts.service';

type AlertEvent = DubanEvent<AlertData>;

/** What screens see: changes of an alert (due-soon warnings share the topic but are not alerts). */
const STREAMED: ReadonlySet<string> = new Set([
  AlertEventTypes.raised,
  AlertEventTypes.severityChanged,
  AlertEventTypes.escalated,
  AlertEventTypes.acknowledged,
  AlertEventTypes.resolved,
  AlertEventTypes.reminded,
  AlertEventTypes.commitmentMissed,
  AlertEventTypes.closed,
  AlertEventTypes.reopened,
]);
/** At most this many missed events are replayed to a reconnecting screen. */
const REPLAY_LIMIT = 1000;

/**
 * Alert events for live screens. Each replica reads duban.alerts.v1 through a Kafka consumer
 * group of its own, so a screen sees every partition whichever replica serves it. (Rather than
 * Redis pub/sub after commit: Kafka already carries exactly the committed events, in order per
 * alert, and needs no second publisher that could drop an event between commit and publish.)
 *
 * A reconnecting screen's Last-Event-ID is answered from the outbox rows of duban.alerts.v1,
 * which keep every alert event with its id in commit-sequence order within the outbox
 * retention: no second copy of the events is needed.
 */
@Injectable()
export class LiveAlerts implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('live-alerts');
  private readonly events = new Subject<AlertEvent>();
  private consumer: LiveConsumer | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(SERVICE_CONFIG) private readonly service: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await startLiveConsumer(this.service.kafka, {
      service: 'scheduler',
      topic: Topics.alerts,
      onMessage: (value) => this.receive(value),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    this.events.complete();
  }

  /**
   * One screen's stream: the events after `lastEventId` it may read, then live ones. Live events
   * arriving while the replay is read wait for it, and any the replay already sent are dropped.
   */
  stream(actor: Principal, lastEventId?: string): Observable<AlertEvent> {
    return new Observable<AlertEvent>((screen) => {
      const replayed = new Set<string>();
      let waiting: AlertEvent[] | null = [];
      const send = (e: AlertEvent) => {
        if (!replayed.has(e.id) && mayRead(actor, e.data)) screen.next(e);
      };
      const live = this.events.subscribe((e) => (waiting ? waiting.push(e) : send(e)));
      this.missed(actor, lastEventId).then(
        (missed) => {
          for (const e of missed) if (mayRead(actor, e.data)) screen.next(e);
          missed.forEach((e) => replayed.add(e.id));
          const held = waiting ?? [];
          waiting = null;
          held.forEach(send);
        },
        (err: Error) => screen.error(err),
      );
      return () => live.unsubscribe();
    });
  }

  /** Nothing without a (well-formed, still stored) last event id. */
  private async missed(actor: Principal, lastEventId?: string): Promise<AlertEvent[]> {
    if (!lastEventId || !Uuid.safeParse(lastEventId).success) return [];
    const region = regionFilter(actor) ?? null;
    const rows: { payload: AlertEvent }[] = await this.ds.query(
      `SELECT payload FROM outbox
       WHERE topic = $1 AND event_type = ANY($2)
         AND sequence > (SELECT sequence FROM outbox WHERE event_id = $3)
         AND ($4::text IS NULL OR payload->'data'->>'region' = $4)
       ORDER BY sequence LIMIT ${REPLAY_LIMIT}`,
      [Topics.alerts, [...STREAMED], lastEventId, region],
    );
    return rows.map((r) => r.payload);
  }

  private receive(value: Buffer): void {
    try {
      const event = JSON.parse(value.toString('utf8')) as AlertEvent;
      if (STREAMED.has(event.type)) this.events.next(event);
    } catch (err) {
      this.logger.warn(`unreadable alert event: ${(err as Error).message}`);
    }
  }
}
