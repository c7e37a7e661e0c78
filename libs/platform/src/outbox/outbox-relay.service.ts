import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from '@duban/messaging';

/** Runs the service's outbox relay for as long as the app lives. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  constructor(readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.logger.log('outbox relay started (standby until it holds the lock)');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
