import { TOPIC_SPECS, dlqTopic, isIngestTopic } from '@duban/contracts';
import { DeadLetterFilter, UsageError, parseSince } from './dlq-selection';

export const DLQ_USAGE = `usage: npm run dlq -- <command> --topic <topic> [options]
  list     one line per dead letter and a count by reason
  show     one whole dead letter (needs --id)
  redrive  put dead letters back on their original topic
options:
  --topic <t>      the consumed topic, e.g. duban.projects.ingest.v1 (DUBAN_TOPIC_PREFIX is added)
  --since <when>   failed at or after an ISO instant (2026-11-29T08:00:00Z) or a duration ago (2h, 7d)
  --reason <r>     only this error reason (schema-violation, handler-failed, rule-conflict, ...)
  --id <event id>  only this event
  --dry-run        redrive: print what would be redriven, produce nothing`;

export type DlqCommandName = 'list' | 'show' | 'redrive';

export interface DlqArgs {
  command: DlqCommandName;
  topic: string;
  filter: DeadLetterFilter;
  dryRun: boolean;
}

const COMMANDS: readonly string[] = ['list', 'show', 'redrive'];
const VALUED = ['--topic', '--since', '--reason', '--id'] as const;
type Valued = (typeof VALUED)[number];

export function parseDlqArgs(argv: readonly string[], now: Date): DlqArgs {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command)) {
    throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
  const { values, dryRun } = readOptions(rest);
  if (!values['--topic']) throw new UsageError('--topic is required');
  if (command === 'show' && !values['--id']) throw new UsageError('show needs --id <event id>');
  if (dryRun && command !== 'redrive') throw new UsageError('--dry-run applies to redrive only');
  return {
    command: command as DlqCommandName,
    topic: values['--topic'],
    filter: {
      since: values['--since'] === undefined ? undefined : parseSince(values['--since'], now),
      reason: values['--reason'],
      eventId: values['--id'],
    },
    dryRun,
  };
}

function readOptions(args: readonly string[]): {
  values: Partial<Record<Valued, string>>;
  dryRun: boolean;
} {
  const values: Partial<Record<Valued, string>> = {};
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    if (name === '--dry-run' && inline === undefined) {
      dryRun = true;
      continue;
    }
    if (!(VALUED as readonly string[]).includes(name))
      throw new UsageError(`unknown option ${name}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    values[name as Valued] = value;
  }
  return { values, dryRun };
}

export class UnknownTopicError extends Error {}

export interface ResolvedTopic {
  logical: string;
  /** The topic as named on the broker (deployment prefix added). */
  topic: string;
  dlq: string;
  /** Ingest messages carry their sender's signature, which a late redrive may outlive. */
  ingest: boolean;
}

/** Accepts the logical name, its `.dlq`, or either with the deployment prefix already on. */
export function resolveTopic(name: string, prefix: string): ResolvedTopic {
  const unprefixed = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  const logical = unprefixed.endsWith('.dlq') ? unprefixed.slice(0, -'.dlq'.length) : unprefixed;
  const consumed = TOPIC_SPECS.filter((s) => s.consumed).map((s) => s.name);
  if (!consumed.includes(logical)) {
    throw new UnknownTopicError(
      `unknown topic ${name}: dead letters exist for ${consumed.join(', ')}`,
    );
  }
  return {
    logical,
    topic: prefix + logical,
    dlq: prefix + dlqTopic(logical),
    ingest: isIngestTopic(logical),
  };
}
