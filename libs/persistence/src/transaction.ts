import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/** The transactions active for the code awaited here, one per DataSource (a service has one). */
const ambient = new AsyncLocalStorage<ReadonlyMap<DataSource, EntityManager>>();

/**
 * The one way application code joins a transaction. Inside another `inTransaction` on the same
 * DataSource — a Kafka handler's inbox transaction, or an outer use case — `work` runs in that
 * transaction, so its writes commit or roll back with the inbox row; otherwise a new transaction
 * is started and made ambient for everything awaited inside it. Nobody passes a manager, so no
 * service can open a second transaction beside the caller's by forgetting to.
 *
 * Work started inside but still running after the transaction ended (a timer, an after-commit
 * callback) finds the finished manager and starts a transaction of its own rather than
 * writing outside one.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const joined = activeManager(dataSource);
  if (joined) return work(joined);
  return dataSource.transaction((manager) => {
    const active = new Map(ambient.getStore());
    active.set(dataSource, manager);
    return ambient.run(active, () => work(manager));
  });
}

/**
 * The manager reads should go through: the ambient transaction's, so a read sees the writes
 * made before it in the same transaction, else the DataSource's own (outside any transaction).
 */
export function currentManager(dataSource: DataSource): EntityManager {
  return activeManager(dataSource) ?? dataSource.manager;
}

/** Whether code awaited here runs inside a transaction on this DataSource. */
export function inAmbientTransaction(dataSource: DataSource): boolean {
  return activeManager(dataSource) !== undefined;
}

function activeManager(dataSource: DataSource): EntityManager | undefined {
  const manager = ambient.getStore()?.get(dataSource);
  const runner = manager?.queryRunner;
  return runner && runner.isTransactionActive && !runner.isReleased ? manager : undefined;
}
