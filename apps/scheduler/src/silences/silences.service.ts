import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RuleViolation, SilenceEventTypes, Topics } from '@duban/contracts';
import { Principal, assertRegion, mayReadRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, keysetPage } from '@duban/persistence';
import type { Alert } from '../alerts/alert.entity';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { SilenceRequest, SilenceSubjectType, silenceWindow, silences } from './domain/silence';
import { TimetableEntry } from '../timetable/timetable-entry.entity';
import { Silence } from './silence.entity';
import { silenceEvent } from './silence.events';

export type SilencedAlert = Pick<Alert, 'subjectType' | 'subjectId' | 'ownerUnit' | 'region'>;

export interface NewSilence extends SilenceRequest {
  region: string;
}

export interface SilenceQuery {
  active?: boolean;
  subjectType?: SilenceSubjectType;
  unit?: string;
  region?: string;
  limit: number;
  cursor?: string;
}

/**
 * Creates, lists and ends silences, and answers whether an alert is silenced. A silence ends
 * once: every end (expiry, early end) is an UPDATE guarded by `state = 'active'`, and only the
 * caller whose UPDATE took the row publishes `duban.silence.ended`, so two replicas (or a job and
 * the expiry pass) never both announce it.
 */
@Injectable()
export class SilencesService {
  constructor(
    private readonly ds: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * The silence covering an alert at `now`, if any (the earliest-ending one when several do):
   * an active silence of the alert's subject or of its owner unit, in the alert's region, whose
   * window contains `now` (domain/silence.ts `silences`). Runs in the caller's transaction.
   */
  async activeFor(
    m: EntityManager,
    alert: SilencedAlert,
    now: Date,
  ): Promise<{ id: string } | null> {
    const campaignId = await campaignOf(m, alert);
    const candidates = await m
      .createQueryBuilder(Silence, 's')
      .where("s.state = 'active'")
      .andWhere('s.region = :region', { region: alert.region })
      .andWhere(
        new Brackets((q) => {
          q.where('s.subject_type = :subjectType AND s.subject_id = :subjectId', {
            subjectType: alert.subjectType,
            subjectId: alert.subjectId,
          }).orWhere("s.subject_type = 'unit' AND s.unit = :unit", { unit: alert.ownerUnit });
          if (campaignId) {
            q.orWhere("s.subject_type = 'campaign' AND s.subject_id = :campaignId", { campaignId });
          }
        }),
      )
      .orderBy('s.ends_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    const hit = candidates.find((s) => silences(s, { ...alert, campaignId }, now));
    return hit ? { id: hit.id } : null;
  }

  /** Supervisors of the region and admins (the controller's roles); 400 naming the field. */
  async create(actor: Principal, input: NewSilence, now: Date): Promise<Silence> {
    assertRegion(actor, input.region);
    const window = silenceWindow(input, now, this.config.silenceMaxDays);
    const s = this.ds.manager.create(Silence, {
      id: uuidv7(),
      subjectType: input.subjectType,
      ...window,
      region: input.region,
      reason: input.reason,
      state: 'active',
      createdBy: actor.unit ?? actor.subject,
      createdAt: now,
      endedAt: null,
      endedBy: null,
      endReason: null,
    });
    await this.ds.transaction(async (m) => {
      await m.insert(Silence, s);
      await addToOutbox(m, Topics.alerts, [silenceEvent(SilenceEventTypes.created, s, now)]);
    });
    return s;
  }

  async list(actor: Principal, q: SilenceQuery, now: Date): Promise<Page<Silence>> {
    const qb = this.ds.getRepository(Silence).createQueryBuilder('s');
    const region = regionFilter(actor, q.region);
    if (region) qb.andWhere('s.region = :region', { region });
    if (q.subjectType) qb.andWhere('s.subject_type = :subjectType', { subjectType: q.subjectType });
    if (q.unit) qb.andWhere('s.unit = :unit', { unit: q.unit });
    // Active = in force now or still to start; an expired one not yet swept counts as ended.
    if (q.active === true) qb.andWhere("s.state = 'active' AND s.ends_at > :now", { now });
    if (q.active === false) qb.andWhere("(s.state = 'ended' OR s.ends_at <= :now)", { now });
    return keysetPage(qb, q);
  }

  async get(actor: Principal, id: string): Promise<Silence> {
    const s = await this.ds.manager.findOneBy(Silence, { id });
    if (!s || !mayReadRegion(actor, s.region))
      throw new RuleViolation(`no silence ${id}`, 'not-found');
    return s;
  }

  /**
   * Ends a silence early. Idempotent: an ended silence (early or expired) is answered as it is,
   * with no second event.
   */
  async end(actor: Principal, id: string, now: Date): Promise<Silence> {
    const s = await this.get(actor, id);
    assertRegion(actor, s.region);
    const ended = await this.ds.transaction((m) =>
      this.endOnce(m, id, 'deleted', actor.unit ?? actor.subject, now),
    );
    return ended ?? (await this.get(actor, id));
  }

  /** Ends a silence whose time is up, in the caller's transaction; null if not due or ended. */
  expire(m: EntityManager, id: string, now: Date): Promise<Silence | null> {
    return this.endOnce(m, id, 'expired', null, now);
  }

  /** Active silences whose end has come (the expiry pass's work list). */
  async due(m: EntityManager, now: Date): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      "SELECT id FROM silences WHERE state = 'active' AND ends_at <= $1 ORDER BY ends_at, id",
      [now],
    );
    return rows.map((r) => r.id);
  }

  /** Active silences ending before `until`: their expiry jobs are (re)queued. */
  endingBefore(m: EntityManager, until: Date): Promise<Silence[]> {
    return m
      .createQueryBuilder(Silence, 's')
      .where("s.state = 'active' AND s.ends_at <= :until", { until })
      .getMany();
  }

  /**
   * The one place a silence ends: the guarded UPDATE takes the row only while it is active
   * (and, for an expiry, only once its end has come), and the event goes with it.
   */
  private async endOnce(
    m: EntityManager,
    id: string,
    reason: 'expired' | 'deleted',
    by: string | null,
    now: Date,
  ): Promise<Silence | null> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE silences SET state = 'ended', ended_at = $2, ended_by = $3, end_reason = $4
       WHERE id = $1 AND state = 'active' AND ($4 = 'deleted' OR ends_at <= $2)
       RETURNING id`,
      [id, now, by, reason],
    );
    if (rows.length === 0) return null;
    const s = await m.findOneByOrFail(Silence, { id });
    await addToOutbox(m, Topics.alerts, [silenceEvent(SilenceEventTypes.ended, s, now)]);
    return s;
  }
}

/** A campaign task's campaign, from the timetable (its alert names the task, not the campaign). */
async function campaignOf(m: EntityManager, alert: SilencedAlert): Promise<string | null> {
  if (alert.subjectType !== 'campaign-task') return null;
  const entry = await m.findOneBy(TimetableEntry, { milestoneId: alert.subjectId });
  return entry?.campaignId ?? null;
}
