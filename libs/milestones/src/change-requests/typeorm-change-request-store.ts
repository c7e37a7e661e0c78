import { DataSource, EntityManager } from 'typeorm';
import { DubanEvent } from '@duban/contracts';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import type { ChangeRequestRecord } from '../change-request';
import type { ChangeRequestStore } from '../change-flow';
import { ChangeRequest } from './change-request.entity';

/** Change requests in the service's own database; events through its outbox, on its topic. */
export class TypeOrmChangeRequestStore implements ChangeRequestStore<EntityManager> {
  constructor(
    private readonly ds: DataSource,
    private readonly topic: string,
  ) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.ds, work);
  }

  find(m: EntityManager, id: string): Promise<ChangeRequestRecord | null> {
    return m.findOneBy(ChangeRequest, { id });
  }

  openFor(m: EntityManager, milestoneId: string): Promise<ChangeRequestRecord | null> {
    return m.findOneBy(ChangeRequest, { milestoneId, state: 'requested' });
  }

  async insert(m: EntityManager, r: ChangeRequestRecord): Promise<void> {
    await m.insert(ChangeRequest, r);
  }

  async update(m: EntityManager, r: ChangeRequestRecord): Promise<void> {
    const { id, state, decidedBy, decisionNote, decidedAt } = r;
    await m.update(ChangeRequest, { id }, { state, decidedBy, decisionNote, decidedAt });
  }

  publish(m: EntityManager, events: DubanEvent[]): Promise<void> {
    return addToOutbox(m, this.topic, events);
  }
}
