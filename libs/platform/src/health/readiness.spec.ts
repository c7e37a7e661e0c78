import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseCheck } from './readiness';

const failingWith = (error: Error): DataSource =>
  ({ query: () => Promise.reject(error) }) as unknown as DataSource;

describe('a readiness check', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('reports a failing dependency with a generic reason, logging the driver’s text', async () => {
    const leak = 'password authentication failed for user "duban" at 10.0.3.7:5432';
    const result = await databaseCheck(failingWith(new Error(leak)))();
    expect(result).toEqual({ status: 'down', reason: 'unreachable' });
    expect(JSON.stringify(result)).not.toContain('10.0.3.7');
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining(leak));
  });

  it('says up when the dependency answers', async () => {
    const answering = {
      query: () => Promise.resolve([{ '?column?': 1 }]),
    } as unknown as DataSource;
    expect(await databaseCheck(answering)()).toEqual({ status: 'up' });
  });
});
