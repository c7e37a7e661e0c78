import { Kafka, Message } from 'kafkajs';
import { IngestHeaders, attestRedrive, ingestSecretFrom } from '@duban/auth';
import { KafkaConfig, createKafka } from '../kafka/kafka.config';
import {
  DeadLetterView,
  headerText,
  listLine,
  showDocument,
  textHeaders,
  viewOf,
} from './dead-letter-view';
import {
  DlqArgs,
  DLQ_USAGE,
  ResolvedTopic,
  UnknownTopicError,
  parseDlqArgs,
  resolveTopic,
} from './dlq-args';
import { readDeadLetters } from './dlq-reader';
import { UsageError, matches, planRedrive, redriveMessage, summaryLine } from './dlq-selection';
import { redrive } from './redrive';

/** Data lines go to `out` (stdout), progress and warnings to `err` (stderr). */
export interface DlqOutput {
  out(line: string): void;
  err(line: string): void;
}

/** `npm run dlq -- …`; returns the exit code: 0 done, 1 failed or refused, 2 usage. */
export async function runDlq(
  argv: readonly string[],
  config: KafkaConfig,
  io: DlqOutput,
  now = new Date(),
): Promise<number> {
  try {
    const args = parseDlqArgs(argv, now);
    const topic = resolveTopic(args.topic, config.topicPrefix);
    const kafka = createKafka(config);
    const letters = await readLetters(kafka, topic, io);
    const selected = letters.filter((v) => matches(v, args.filter));
    if (args.command === 'list') return list(selected, letters.length, io);
    if (args.command === 'show') return show(selected, topic, args, io);
    return await redriveSelected(kafka, selected, topic, args, io, now);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n${DLQ_USAGE}`);
      return 2;
    }
    if (err instanceof UnknownTopicError) {
      io.err(`[dlq] ${err.message}`);
      return 1;
    }
    throw err;
  }
}

async function readLetters(
  kafka: Kafka,
  topic: ResolvedTopic,
  io: DlqOutput,
): Promise<DeadLetterView[]> {
  const records = await readDeadLetters(kafka, topic.dlq, { log: (l) => io.err(`[dlq] ${l}`) });
  io.err(`[dlq] read ${records.length} dead letters, every partition up to its high-water mark`);
  return records.map(viewOf);
}

function list(selected: DeadLetterView[], total: number, io: DlqOutput): number {
  for (const v of selected) io.out(listLine(v));
  io.out(summaryLine(selected, total));
  return 0;
}

function show(selected: DeadLetterView[], topic: ResolvedTopic, args: DlqArgs, io: DlqOutput) {
  if (selected.length === 0) {
    io.err(`[dlq] no dead letter of event ${args.filter.eventId} on ${topic.dlq}`);
    return 1;
  }
  // Several consumer groups may have dead-lettered the same event: show each letter.
  for (const v of selected) io.out(JSON.stringify(showDocument(topic.dlq, v), null, 2));
  return 0;
}

async function redriveSelected(
  kafka: Kafka,
  selected: DeadLetterView[],
  topic: ResolvedTopic,
  args: DlqArgs,
  io: DlqOutput,
  now: Date,
): Promise<number> {
  const plan = planRedrive(selected, topic.topic);
  for (const { letter, why } of plan.refused) io.err(`[dlq] refused ${where(letter)}: ${why}`);
  for (const v of plan.duplicates) {
    io.err(`[dlq] skipped ${where(v)}: the same event is already in this redrive`);
  }
  if (topic.ingest) warnUnsigned(plan.redrive, io);
  if (!args.dryRun) await redrive(kafka, topic.topic, messagesFor(plan.redrive, topic, now));
  const verb = args.dryRun ? 'would redrive' : 'redriven';
  for (const v of plan.redrive) io.out(`${verb}  ${listLine(v)}`);
  io.out(
    `${args.dryRun ? 'dry run: ' : ''}${plan.redrive.length} ${verb} to ${topic.topic}, ` +
      `${plan.duplicates.length} duplicates skipped, ${plan.refused.length} refused`,
  );
  return plan.refused.length ? 1 : 0;
}

/**
 * An ingest message is accepted only within a replay window of its signed time; a redrive
 * appends it anew, so it carries the server's attestation, which starts a fresh window.
 */
function messagesFor(letters: DeadLetterView[], topic: ResolvedTopic, now: Date): Message[] {
  const secret = topic.ingest ? ingestSecretFrom() : null;
  return letters.map((v) =>
    redriveMessage(
      v,
      topic.dlq,
      now,
      secret === null ? {} : attestRedrive(textHeaders(v.record.headers), now, secret),
    ),
  );
}

function warnUnsigned(letters: DeadLetterView[], io: DlqOutput): void {
  for (const v of letters) {
    if (headerText(v.record.headers, IngestHeaders.signature) === null) {
      io.err(
        `[dlq] warning: ${where(v)} carries no ${IngestHeaders.signature}: its consumer will refuse it as unauthorized again`,
      );
    }
  }
}

function where(v: DeadLetterView): string {
  return `${v.record.partition}:${v.record.offset} (event ${v.eventId ?? '-'})`;
}
