import { DataSource, EntityManager } from 'typeorm';
import { currentManager, inAmbientTransaction, inTransaction } from './transaction';

/** A DataSource whose `transaction` hands out a manager that is active only while `work` runs. */
function fakeDataSource(name: string) {
  const opened: EntityManager[] = [];
  const ds = {
    manager: { name: `${name}:outside` } as unknown as EntityManager,
    async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
      const queryRunner = { isTransactionActive: true, isReleased: false };
      const m = { name: `${name}:tx${opened.length + 1}`, queryRunner } as unknown as EntityManager;
      opened.push(m);
      try {
        return await work(m);
      } finally {
        queryRunner.isTransactionActive = false;
        queryRunner.isReleased = true;
      }
    },
  } as unknown as DataSource;
  return { ds, opened };
}

describe('inTransaction', () => {
  it('starts a transaction when none is active and joins it from everything awaited inside', async () => {
    const { ds, opened } = fakeDataSource('a');
    const seen = await inTransaction(ds, async (outer) => {
      await Promise.resolve();
      const inner = await inTransaction(ds, async (m) => m);
      return { outer, inner, current: currentManager(ds), ambient: inAmbientTransaction(ds) };
    });
    expect(opened).toHaveLength(1);
    expect(seen.inner).toBe(seen.outer);
    expect(seen.current).toBe(seen.outer);
    expect(seen.ambient).toBe(true);
  });

  it('reads outside a transaction through the DataSource manager', () => {
    const { ds } = fakeDataSource('a');
    expect(currentManager(ds)).toBe(ds.manager);
    expect(inAmbientTransaction(ds)).toBe(false);
  });

  it('keeps concurrent transactions apart', async () => {
    const { ds, opened } = fakeDataSource('a');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = inTransaction(ds, async (m) => {
      await gate;
      return [m, currentManager(ds)];
    });
    const second = inTransaction(ds, async (m) => [m, currentManager(ds)]);
    const [m2, current2] = await second;
    release();
    const [m1, current1] = await first;
    expect(opened).toHaveLength(2);
    expect(m1).not.toBe(m2);
    expect(current1).toBe(m1);
    expect(current2).toBe(m2);
  });

  it('joins only a transaction on the same DataSource', async () => {
    const a = fakeDataSource('a');
    const b = fakeDataSource('b');
    await inTransaction(a.ds, async (ma) => {
      const mb = await inTransaction(b.ds, async (m) => {
        // Both stay ambient inside: each DataSource finds its own.
        expect(currentManager(a.ds)).toBe(ma);
        return m;
      });
      expect(mb).toBe(b.opened[0]);
      expect(currentManager(b.ds)).toBe(b.ds.manager);
    });
    expect(a.opened).toHaveLength(1);
    expect(b.opened).toHaveLength(1);
  });

  it('starts a new transaction for work that outlives the one it was started in', async () => {
    const { ds, opened } = fakeDataSource('a');
    let later!: () => Promise<EntityManager>;
    await inTransaction(ds, async () => {
      later = () => inTransaction(ds, async (m) => m);
    });
    const m = await later();
    expect(opened).toHaveLength(2);
    expect(m).toBe(opened[1]);
  });

  it('rolls back with the caller: an error thrown after joined work fails the one transaction', async () => {
    const { ds, opened } = fakeDataSource('a');
    await expect(
      inTransaction(ds, async () => {
        await inTransaction(ds, async () => 'written');
        throw new Error('after the service call');
      }),
    ).rejects.toThrow('after the service call');
    expect(opened).toHaveLength(1);
  });
});
