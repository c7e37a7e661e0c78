import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Transporter, createTransport } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { AlertData, DubanEvent } from '@duban/contracts';
import { enqueueBounded, redisConnectionOptions } from '@duban/platform';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../../scheduler.config';
import { composeMail, recipients } from './mail-content';
import { MailDelivery } from './mail-delivery.entity';
import { mailFailureReason } from './mail-failure';

type MailJob = { mailId: string };
type Unsent = Pick<MailDelivery, 'id' | 'attempts'>;

const SWEEP_BATCH = 1000;

/**
 * Alert e-mail to the owner unit and the supervisors, one mail per recipient. PostgreSQL holds
 * each mail (written with the alert event's fan-out, unique per event and recipient) and its
 * state; BullMQ only carries the job that sends it, with backoff. A job lost with Redis is
 * queued again by the sweep, so a mail is sent once unless it is dead.
 */
@Injectable()
export class EmailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('email');
  private queue: Queue<MailJob> | null = null;
  private worker: Worker<MailJob> | null = null;
  private transport: Transporter | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { smtpUrl } = this.config;
    if (!smtpUrl) {
      this.logger.log('e-mail is not configured (DUBAN_SMTP_URL is unset): no alert e-mail');
      return;
    }
    // Timeouts well inside BullMQ's 30 s lock: a hung server fails the attempt, not stalls it.
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    const opts = { connection: redisConnectionOptions(), prefix: this.config.redisPrefix };
    this.queue = new Queue('email', opts);
    this.worker = new Worker<MailJob>('email', (job) => this.send(job), opts);
    this.worker.on('error', (err) => this.logger.warn(`email worker: ${err.message}`));
    this.sweeper = setInterval(() => void this.sweep(), this.config.mailSweepIntervalMs);
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
    this.transport?.close();
  }

  /**
   * In the inbox transaction of the event: a pending row per recipient. Returns the ids it
   * wrote; a redelivered event writes none (the unique index), so it queues nothing again.
   */
  async record(m: EntityManager, event: DubanEvent<AlertData>): Promise<string[]> {
    if (!this.transport) return [];
    const content = composeMail(event);
    if (!content) return [];
    const written: string[] = [];
    for (const recipient of recipients(event.data, this.config.mailTo)) {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO mail_deliveries
           (id, event_id, event_type, alert_id, region, recipient, subject, body, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')
         ON CONFLICT (event_id, recipient) DO NOTHING RETURNING id`,
        [
          uuidv7(),
          event.id,
          event.type,
          event.data.alertId,
          event.data.region,
          recipient,
          content.subject,
          content.text,
        ],
      );
      written.push(...rows.map((r) => r.id));
    }
    return written;
  }

  /** After commit: queue fresh rows (none tried yet). */
  enqueue(ids: string[]): Promise<void> {
    return this.enqueueUnsent(ids.map((id) => ({ id, attempts: 0 })));
  }

  /** One pass over unsent rows; replicas take turns by advisory lock. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: Error) => this.logger.warn(`mail sweep failed: ${err.message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  /**
   * Rows untouched for the grace period: their job was lost (or is waiting out a backoff, and
   * then adding it again under the same job id changes nothing).
   */
  private async sweepOnce(): Promise<void> {
    const unsent = await this.ds.transaction(async (m): Promise<Unsent[]> => {
      const [{ locked }] = await m.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('duban-mail-sweep')) AS locked`,
      );
      if (!locked) return [];
      return m.query(
        `SELECT id, attempts FROM mail_deliveries
         WHERE state IN ('pending', 'failed') AND updated_at < now() - make_interval(secs => $1)
         ORDER BY updated_at LIMIT ${SWEEP_BATCH}`,
        [this.config.mailGraceMs / 1000],
      );
    });
    await this.enqueueUnsent(unsent);
  }

  /**
   * Bounded: with Redis down this gives up after a deadline and logs; the sweep queues the rows
   * again. The row id is the job id, so a row has at most one job at a time.
   */
  private async enqueueUnsent(rows: Unsent[]): Promise<void> {
    const queue = this.queue;
    if (!queue || rows.length === 0) return;
    const adds = Promise.all(
      rows.map((r) =>
        queue.add(
          'send',
          { mailId: r.id },
          {
            jobId: r.id,
            attempts: Math.max(1, this.config.mailAttempts - r.attempts),
            backoff: { type: 'exponential', delay: this.config.mailBackoffMs },
            removeOnComplete: true,
            removeOnFail: true,
          },
        ),
      ),
    );
    await enqueueBounded(adds, `${rows.length} mails`, (m) => this.logger.warn(m));
  }

  /** The worker: attempts are counted in the row, so a job queued again keeps the count. */
  private async send(job: Job<MailJob>): Promise<void> {
    const mail = await this.ds
      .getRepository(MailDelivery)
      .createQueryBuilder('d')
      .addSelect('d.body')
      .where('d.id = :id', { id: job.data.mailId })
      .andWhere(`d.state IN ('pending', 'failed')`)
      .getOne();
    if (!mail || !this.transport) return;
    try {
      await this.transport.sendMail({
        from: this.config.mailFrom,
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
      });
    } catch (err) {
      await this.recordFailure(mail, mailFailureReason(err));
    }
    await this.ds.query(
      `UPDATE mail_deliveries
       SET state = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = now(), updated_at = now()
       WHERE id = $1`,
      [mail.id],
    );
  }

  /** Always throws: BullMQ retries with backoff, or stops when the row is dead. */
  private async recordFailure(mail: MailDelivery, reason: string): Promise<never> {
    const attempts = mail.attempts + 1;
    const dead = attempts >= this.config.mailAttempts;
    await this.ds.query(
      `UPDATE mail_deliveries SET state = $2, attempts = $3, last_error = $4, updated_at = now()
       WHERE id = $1`,
      [mail.id, dead ? 'dead' : 'failed', attempts, reason],
    );
    if (dead) {
      this.logger.error(`gave up mail ${mail.id} after ${attempts} attempts: ${reason}`);
      throw new UnrecoverableError(reason);
    }
    throw new Error(reason);
  }
}
