import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  AddSectionBody,
  OpenSectionBody,
  RuleViolation,
  SectionProgressBody,
  Topics,
  TransportEventTypes,
  chinaDate,
} from '@duban/contracts';
import { Principal } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { kmToMetres } from '../mileage/domain/length';
import { MileageService } from '../mileage/mileage.service';
import { readableWork, writableWork } from '../works/access';
import { openSection, reportProgress, requireSectionsMayBeAdded } from './domain/section';
import { Section } from './section.entity';
import { sectionEvent, sectionOpenedEvent } from './section.events';

/** Sections (标段) of a work: added, their progress reported, opened to traffic. */
@Injectable()
export class SectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly mileage: MileageService,
  ) {}

  add(actor: Principal, workId: string, body: AddSectionBody) {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, workId);
      requireSectionsMayBeAdded(work.phase);
      const section = m.create(Section, {
        id: uuidv7(),
        workId,
        name: body.name,
        lengthMetres: kmToMetres(body.lengthKm),
        progressPct: 0,
        openedOn: null,
        version: 1,
      });
      await m.insert(Section, section);
      await addToOutbox(m, Topics.transport, [
        sectionEvent(TransportEventTypes.sectionAdded, work, section),
      ]);
      return section;
    });
  }

  /** 404 for a work in another region than the caller's token is bound to. */
  async list(actor: Principal, workId: string): Promise<Section[]> {
    await readableWork(this.ds.manager, actor, workId);
    return this.ds.manager.find(Section, { where: { workId }, order: { id: 'ASC' } });
  }

  reportProgress(
    actor: Principal,
    workId: string,
    sectionId: string,
    body: z.infer<typeof SectionProgressBody>,
  ) {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, workId);
      const section = await findSection(m, workId, sectionId);
      Object.assign(section, reportProgress(section, body.progressPct), {
        version: section.version + 1,
      });
      await m.save(section);
      await addToOutbox(m, Topics.transport, [
        sectionEvent(TransportEventTypes.sectionProgressChanged, work, section),
      ]);
      return section;
    });
  }

  /** 通车: the section opens and its length joins the region's operating mileage, atomically. */
  open(actor: Principal, workId: string, sectionId: string, body: z.infer<typeof OpenSectionBody>) {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, workId);
      const section = await findSection(m, workId, sectionId);
      const today = chinaDate(this.clock.now());
      const opened = openSection(section, work.phase, body.openedOn, today);
      Object.assign(section, opened, { version: section.version + 1 });
      await m.save(section);
      await addToOutbox(m, Topics.transport, [
        sectionOpenedEvent(work, { ...section, openedOn: body.openedOn }),
      ]);
      await this.mileage.addOpened(m, work.regionCode, work.kind, section.lengthMetres);
      return section;
    });
  }
}

async function findSection(m: EntityManager, workId: string, id: string): Promise<Section> {
  const section = await m.findOneBy(Section, { id, workId });
  if (!section)
    throw new RuleViolation(`transport work ${workId} has no section ${id}`, 'not-found');
  return section;
}
