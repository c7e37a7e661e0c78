import { WakeableSleep } from './wakeable-sleep';

describe('WakeableSleep', () => {
  it('sleeps the full time when nobody wakes it', async () => {
    const started = Date.now();
    await new WakeableSleep().sleep(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('returns at once when woken during the sleep', async () => {
    const s = new WakeableSleep();
    const started = Date.now();
    const sleeping = s.sleep(5000);
    s.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('keeps a wake that came while awake, so a NOTIFY during a drain is not lost', async () => {
    const s = new WakeableSleep();
    s.wake();
    const started = Date.now();
    await s.sleep(5000);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
