import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in the caller's transaction when there is one (a Kafka handler's inbox
 * transaction), else in a new one: HTTP and ingest share the same application code.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return manager?.queryRunner?.isTransactionActive ? work(manager) : dataSource.transaction(work);
}
