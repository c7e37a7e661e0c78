import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PruneResult, pruneMessagingTables } from './messaging-retention';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { RetentionConfig } from './retention-config';

/** Prunes the service's outbox and inbox on a timer, for as long as the app lives. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('retention');
  private readonly config: RetentionConfig;
  private timer?: NodeJS.Timeout;
  private running: Promise<PruneResult | null> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: Pick<ServiceConfig, 'retention'>,
  ) {
    this.config = config.retention;
  }

  onApplicationBootstrap(): void {
    const c = this.config;
    this.timer = setInterval(() => void this.prune(), c.intervalMs).unref();
    this.logger.log(
      `pruning every ${c.intervalMs / 1000} s: published outbox rows after ${c.outboxDays} d, inbox rows after ${c.inboxDays} d`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  /** One pass; a pass still running (a large backlog) is joined rather than doubled. */
  prune(): Promise<PruneResult | null> {
    this.running ??= pruneMessagingTables(this.dataSource, this.config, this.stopping.signal)
      .then((result) => {
        if (result && result.outbox + result.inbox > 0) {
          this.logger.log(`pruned ${result.outbox} outbox and ${result.inbox} inbox rows`);
        }
        return result;
      })
      .catch((err: Error) => {
        this.logger.warn(
          `pruning failed, next try in ${this.config.intervalMs / 1000} s: ${err.message}`,
        );
        return null;
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
