import { MalformedEventError, RuleViolation } from '@duban/contracts';
import { classifyFailure, retryDelayMs } from './failure';
import { PermanentError } from './permanent-error';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
/** How TypeORM wraps a driver error. */
const queryFailed = (driverError: Error) =>
  Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });

describe('classifyFailure', () => {
  it.each([
    ['a rule refusal', new RuleViolation('no', 'forbidden'), 'rule-forbidden'],
    ['a refusal', new PermanentError('no', 'unauthorized'), 'unauthorized'],
    ['a contract error', new MalformedEventError('bad'), 'malformed'],
  ])('%s is permanent with its reason', (_, err, reason) => {
    expect(classifyFailure(err)).toEqual({ class: 'permanent', reason });
  });

  it.each([
    ['admin shutdown 57P01', queryFailed(pgError('57P01'))],
    ['crash shutdown 57P02', pgError('57P02')],
    ['cannot connect now 57P03', pgError('57P03')],
    ['connection failure 08006', pgError('08006')],
    ['too many connections 53300', pgError('53300')],
    ['deadlock 40P01', queryFailed(pgError('40P01'))],
    ['serialization failure 40001', pgError('40001')],
    ['lock timeout 55P03', pgError('55P03')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction whose connection died',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    [
      'a database in recovery',
      new Error('database "duban_scheduler" is not currently accepting connections'),
    ],
  ])('a database failure (%s) is transient', (_, err) => {
    expect(classifyFailure(err)).toEqual({ class: 'transient', kind: 'database' });
  });

  it('a connection refused is a network failure, Kafka and Redis ones are named', () => {
    expect(classifyFailure(pgError('ECONNREFUSED'))).toEqual({
      class: 'transient',
      kind: 'network',
    });
    const kafka = Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' });
    expect(classifyFailure(kafka)).toEqual({ class: 'transient', kind: 'kafka' });
    const redis = Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' });
    expect(classifyFailure(redis)).toEqual({ class: 'transient', kind: 'redis' });
  });

  it('looks through wrapped causes', () => {
    const wrapped = new Error('could not apply', { cause: pgError('40P01') });
    expect(classifyFailure(wrapped)).toEqual({ class: 'transient', kind: 'database' });
  });

  it.each([
    ['a plain error', new Error('boom')],
    ['a data error (22003 out of range)', pgError('22003')],
    ['a unique violation (23505)', queryFailed(pgError('23505'))],
    ['not an error at all', 'a string'],
  ])('%s is unknown (bounded tries)', (_, err) => {
    expect(classifyFailure(err)).toEqual({ class: 'unknown' });
  });

  it('survives a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(classifyFailure(a)).toEqual({ class: 'unknown' });
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 200, 3000))).toEqual([
      200, 400, 800, 1600, 3000, 3000,
    ]);
    expect(retryDelayMs(1000, 200, 30000)).toBe(30000);
  });
});
