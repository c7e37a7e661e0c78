import { UnknownTopicError, parseDlqArgs, resolveTopic } from './dlq-args';
import { UsageError } from './dlq-selection';

const NOW = new Date('2026-11-29T12:00:00Z');

describe('parseDlqArgs', () => {
  it('reads a command, its topic and filters, in either option form', () => {
    expect(
      parseDlqArgs(
        ['redrive', '--topic', 'duban.projects.v1', '--since=2h', '--reason', 'x', '--dry-run'],
        NOW,
      ),
    ).toEqual({
      command: 'redrive',
      topic: 'duban.projects.v1',
      filter: { since: new Date('2026-11-29T10:00:00Z'), reason: 'x', eventId: undefined },
      dryRun: true,
    });
  });

  it.each([
    [[], 'no command given'],
    [['purge', '--topic', 't'], 'unknown command purge'],
    [['list'], '--topic is required'],
    [['list', '--topic'], '--topic needs a value'],
    [['list', '--topic', 't', '--limit', '3'], 'unknown option --limit'],
    [['show', '--topic', 't'], 'show needs --id <event id>'],
    [['list', '--topic', 't', '--dry-run'], '--dry-run applies to redrive only'],
  ])('refuses %p: %s', (argv, message) => {
    expect(() => parseDlqArgs(argv, NOW)).toThrow(new UsageError(message));
  });
});

describe('resolveTopic', () => {
  it('adds the deployment prefix to the logical name, its DLQ twin or the full name', () => {
    const expected = {
      logical: 'duban.projects.ingest.v1',
      topic: 'test.a.duban.projects.ingest.v1',
      dlq: 'test.a.duban.projects.ingest.v1.dlq',
      ingest: true,
    };
    expect(resolveTopic('duban.projects.ingest.v1', 'test.a.')).toEqual(expected);
    expect(resolveTopic('duban.projects.ingest.v1.dlq', 'test.a.')).toEqual(expected);
    expect(resolveTopic('test.a.duban.projects.ingest.v1', 'test.a.')).toEqual(expected);
    expect(resolveTopic('duban.alerts.v1', '').ingest).toBe(false);
  });

  it('names an unknown topic', () => {
    expect(() => resolveTopic('duban.nope.v1', '')).toThrow(UnknownTopicError);
    expect(() => resolveTopic('duban.nope.v1', '')).toThrow(/unknown topic duban.nope.v1/);
  });
});
