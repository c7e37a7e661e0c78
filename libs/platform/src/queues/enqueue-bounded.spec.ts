import { ENQUEUE_DEADLINE_MS, ENQUEUE_PAUSE_MS, enqueueBounded } from './enqueue-bounded';

const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('enqueueBounded', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits for adds that land, without a word', async () => {
    const warn = jest.fn();
    await enqueueBounded(Promise.resolve(), 'timers', warn);
    expect(warn).not.toHaveBeenCalled();
  });

  it('gives up after the deadline, then stops waiting while Redis is away, and waits again once an add lands', async () => {
    const warn = jest.fn();
    let land!: () => void;
    const first = enqueueBounded(new Promise<void>((r) => (land = r)), 'first', warn);
    await jest.advanceTimersByTimeAsync(ENQUEUE_DEADLINE_MS);
    await first;
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('did not take first'));

    // Redis is away: the next caller (the next event of a consumer) is not held at all.
    await enqueueBounded(never(), 'second', warn);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('second not awaited'));

    // The first add lands (Redis is back): callers wait for their adds again.
    land();
    await jest.advanceTimersByTimeAsync(0);
    let done = false;
    const third = enqueueBounded(new Promise<void>((r) => setTimeout(r, 100)), 'third', warn).then(
      () => (done = true),
    );
    await jest.advanceTimersByTimeAsync(50);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(60);
    await third;
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('a failed add pauses the waiting too, and the pause ends by itself', async () => {
    const warn = jest.fn();
    await enqueueBounded(Promise.reject(new Error('ECONNREFUSED')), 'first', warn);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('could not queue first'));
    await enqueueBounded(never(), 'second', warn);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('second not awaited'));

    await jest.advanceTimersByTimeAsync(ENQUEUE_PAUSE_MS);
    // A probe: this one waits out the deadline again.
    let done = false;
    const probe = enqueueBounded(never(), 'third', warn).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(ENQUEUE_DEADLINE_MS - 1);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await probe;
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('did not take third'));
  });
});
