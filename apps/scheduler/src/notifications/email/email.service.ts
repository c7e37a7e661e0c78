import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Transporter, createTransport } from 'nodemailer';
import { AlertData, DubanEvent } from '@duban/contracts';
import { redisConnectionOptions } from '@duban/platform';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../../scheduler.config';
import { AlertMail, composeMail, recipients } from './mail-content';

const ATTEMPTS = 5;
const BACKOFF_MS = 30_000; // 30 s, 1, 2, 4 min: rides out a short SMTP outage
const DAY_S = 86_400;

/**
 * Alert e-mail to the owner unit and the supervisors, through a BullMQ queue: the consumer's
 * inbox transaction only hands the message over, and a slow or failing SMTP server is the
 * worker's problem, retried with backoff.
 */
@Injectable()
export class EmailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('email');
  private queue: Queue<AlertMail> | null = null;
  private worker: Worker<AlertMail> | null = null;
  private transport: Transporter | null = null;

  constructor(@Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig) {}

  onApplicationBootstrap(): void {
    const { smtpUrl } = this.config;
    if (!smtpUrl) {
      this.logger.log('e-mail is not configured (DUBAN_SMTP_URL is unset): no alert e-mail');
      return;
    }
    // Timeouts well inside BullMQ's 30 s lock: a hung server fails the attempt, not stalls it.
    const transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.transport = transport;
    const opts = { connection: redisConnectionOptions(), prefix: this.config.redisPrefix };
    this.queue = new Queue('email', opts);
    this.worker = new Worker<AlertMail>(
      'email',
      async (job) => void (await transport.sendMail({ from: this.config.mailFrom, ...job.data })),
      opts,
    );
    this.worker.on('failed', (job, err) => {
      const last = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      if (last) this.logger.error(`gave up e-mail ${job.id} to ${job.data.to.join(', ')}: ${err}`);
    });
    this.worker.on('error', (err) => this.logger.warn(`email worker: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.transport?.close();
  }

  /**
   * Never awaited by the caller's transaction, and never throws: without Redis the add waits for
   * a reconnect in the background. The event id as job id makes a redelivered event mail once.
   */
  enqueue(event: DubanEvent<AlertData>): void {
    if (!this.queue) return;
    const content = composeMail(event);
    const to = recipients(event.data, this.config.mailTo);
    if (!content || !to.length) return;
    this.queue
      .add(
        'send',
        { ...content, to },
        {
          jobId: event.id,
          attempts: ATTEMPTS,
          backoff: { type: 'exponential', delay: BACKOFF_MS },
          // Kept a day so the job id still deduplicates a replayed event after sending.
          removeOnComplete: { age: DAY_S },
          removeOnFail: { age: 7 * DAY_S },
        },
      )
      .catch((err: Error) =>
        this.logger.warn(`could not queue e-mail ${event.id}: ${err.message}`),
      );
  }
}
