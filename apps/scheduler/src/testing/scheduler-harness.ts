/**
 * Shared setup for the scheduler's integration tests: the real app on a database and topics of
 * its own, its Clock moved by the test, a producer onto the projects topic and a reader of the
 * alerts topic. Test-only: imported by *.int-spec.ts files, never by the app.
 */
import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import request from 'supertest';
import {
  AlertData,
  DubanEvent,
  MilestoneEventData,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { Clock, Env } from '@duban/platform';
import { TestServiceApp, TopicReader, eventually, startServiceApp } from '@duban/testing';
import { schedulerSchema } from '../schema';

export const DAY = 86_400_000;
export const REGION = '511112';

export interface SchedulerHarnessOptions {
  /** Settings laid over the default one (the sweep runs when a test calls it). */
  env?: Env;
  /** What milestone() fills in unless a test says otherwise (name, ownerUnit, ...). */
  milestone?: Partial<MilestoneEventData>;
}

export class SchedulerHarness {
  private started: TestServiceApp | null = null;
  private kafkaProducer: Producer | null = null;
  private reader: TopicReader | null = null;
  private offsetMs = 0;

  constructor(private readonly options: SchedulerHarnessOptions = {}) {}

  /** Starts the app; `env` (e.g. a port known only now) is laid over the options' env. */
  async start(env: Env = {}): Promise<this> {
    this.started = await startServiceApp(
      'scheduler',
      schedulerSchema,
      async () => (await import('../app.module')).AppModule,
      { DUBAN_SCHEDULER_SWEEP_SECONDS: '3600', ...this.options.env, ...env },
    );
    jest.spyOn(this.started.app.get(Clock), 'now').mockImplementation(() => this.now());
    this.kafkaProducer = createIdempotentProducer(this.started.topics.kafka);
    await this.kafkaProducer.connect();
    this.reader = await new TopicReader(this.started.topics.kafka, [
      this.started.topics.name(Topics.alerts),
    ]).start();
    return this;
  }

  async close(): Promise<void> {
    await this.reader?.stop();
    await this.kafkaProducer?.disconnect();
    await this.started?.close();
  }

  get svc(): TestServiceApp {
    if (!this.started) throw new Error('scheduler harness not started');
    return this.started;
  }

  /** The reader of the alerts topic (alerts, silences, status changes). */
  get alerts(): TopicReader {
    if (!this.reader) throw new Error('scheduler harness not started');
    return this.reader;
  }

  /** The producer onto the test topics (for batches the tests send themselves). */
  get producer(): Producer {
    if (!this.kafkaProducer) throw new Error('scheduler harness not started');
    return this.kafkaProducer;
  }

  http() {
    return request(this.svc.app.getHttpServer());
  }

  /** The scheduler's clock (the mocked Clock reads it). */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  setNow(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  /** Moves the scheduler's clock `ms` ahead of the real one (negative: behind). */
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  /** Moves the scheduler's clock on by `ms` (negative: back). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  resetClock(): void {
    this.offsetMs = 0;
  }

  /** China's calendar date `days` after `from` (the scheduler's now). */
  dayOffset(days: number, from: Date = this.now()): string {
    return chinaDate(new Date(from.getTime() + days * DAY));
  }

  /** A milestone 30 days ahead unless `overrides` (or the options) say otherwise. */
  milestone(overrides: Partial<MilestoneEventData> = {}): MilestoneEventData {
    const defaults = this.options.milestone ?? {};
    const date = overrides.currentPlannedDate ?? defaults.currentPlannedDate ?? this.dayOffset(30);
    return {
      subjectType: 'project',
      subjectId: randomUUID(),
      milestoneId: randomUUID(),
      name: '完成初步设计批复',
      ownerUnit: 'AGRI',
      plannedDate: date,
      currentPlannedDate: date,
      forecastDate: null,
      actualDate: null,
      status: 'pending',
      ...defaults,
      ...overrides,
    };
  }

  /** What the projects service publishes, straight onto its topic, keyed by `subject`. */
  async send<T>(
    type: string,
    subject: string,
    data: T,
    time: Date = this.now(),
    region = REGION,
  ): Promise<DubanEvent<T>> {
    const event = createEvent<T>({ type, service: 'projects', subject, region, data, time });
    await this.producer.send({
      topic: this.svc.topics.name(Topics.projects),
      messages: [{ key: subject, value: JSON.stringify(event) }],
    });
    return event;
  }

  /** A milestone event about `data.milestoneId`. */
  publish(
    type: string,
    data: MilestoneEventData,
    time: Date = this.now(),
    region = REGION,
  ): Promise<DubanEvent<MilestoneEventData>> {
    return this.send(type, data.milestoneId, data, time, region);
  }

  /** Alert events of `type` (any type if undefined) about `milestoneId` read so far. */
  alertEvents(type: string | undefined, milestoneId: string): DubanEvent<AlertData>[] {
    return this.alerts.messages
      .map((m) => m.json<DubanEvent<AlertData>>())
      .filter((e) => (!type || e.type === type) && e.data.milestoneId === milestoneId);
  }

  /** Waits until `count` alert events of `type` about `milestoneId` were read; returns them all. */
  async waitForAlert(
    type: string,
    milestoneId: string,
    count = 1,
    timeoutMs = 20000,
  ): Promise<DubanEvent<AlertData>[]> {
    await eventually(
      () => this.alertEvents(type, milestoneId).length >= count,
      timeoutMs,
      `${count} ${type} for ${milestoneId}`,
    );
    return this.alertEvents(type, milestoneId);
  }

  /** The scheduler has consumed (and committed the effect of) every one of these events. */
  async consumed(...eventIds: string[]): Promise<boolean> {
    const rows: unknown[] = await this.svc.db.dataSource.query(
      'SELECT 1 FROM inbox WHERE event_id = ANY($1)',
      [eventIds],
    );
    return rows.length === eventIds.length;
  }

  /** Waits until the scheduler has consumed these events. */
  async waitConsumed(...eventIds: string[]): Promise<void> {
    await eventually(() => this.consumed(...eventIds), 20000, `inbox rows for ${eventIds}`);
  }
}
