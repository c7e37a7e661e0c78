/** The transport department's I/O: reading its world and playing a transport-actions.ts action. */
import { Topics, TransportEventTypes } from '@duban/contracts';
import { Reader, Stage, short } from './client';
import { SimGate, SimSection, SimWork, TransportAction, TransportWorld } from './transport-actions';

export async function readTransport(read: Reader): Promise<TransportWorld> {
  const works = await read.all<SimWork>('/api/v1/transport-works');
  const base = (w: SimWork) => `/api/v1/transport-works/${w.id}`;
  const [gates, sections] = await Promise.all([
    Promise.all(works.map((w) => read.get<SimGate[]>(`${base(w)}/gates`))),
    // Only a work in construction has sections whose progress the simulator reports.
    Promise.all(
      works.map((w) =>
        w.phase === 'construction'
          ? read.get<SimSection[]>(`${base(w)}/sections`)
          : Promise.resolve([]),
      ),
    ),
  ]);
  return { works: works.map((work, i) => ({ work, gates: gates[i], sections: sections[i] })) };
}

export async function playTransport(
  action: TransportAction,
  read: Reader,
  stage: Stage,
): Promise<void> {
  const { send } = stage;
  const { work } = action;
  const about = `(work ${short(work.name)})`;
  switch (action.kind) {
    case 'gate-met': {
      const { gate, body } = action;
      const as = { unit: action.unit, region: work.regionCode };
      const late = gate.currentPlannedDate < body.actualDate ? ', late' : '';
      const what =
        `reported gate ${gate.gate} met on ${body.actualDate} ` +
        `(due ${gate.currentPlannedDate}${late}) ${about}`;
      stage.markBusy(gate.id);
      if (action.transport === 'http') {
        await send.http(
          read.base,
          'POST',
          as,
          `/api/v1/transport-works/${work.id}/gates/${gate.gate}/complete`,
          body,
          what,
        );
      } else {
        await send.kafka(as, {
          topic: Topics.transportIngest,
          type: TransportEventTypes.ingestGateMetReported,
          subject: gate.id,
          key: work.id,
          data: { workId: work.id, gate: gate.gate, ...body },
          what,
        });
      }
      return;
    }
    case 'gate-forecast': {
      const { gate, body } = action;
      stage.markBusy(gate.id);
      await send.kafka(
        { unit: gate.ownerUnit, region: work.regionCode },
        {
          topic: Topics.transportIngest,
          type: TransportEventTypes.ingestGateForecastReported,
          subject: gate.id,
          key: work.id,
          data: { workId: work.id, gate: gate.gate, ...body },
          what:
            `forecasts gate ${gate.gate} for ${body.forecastDate}, after its plan ` +
            `${gate.currentPlannedDate} ${about}`,
        },
      );
      return;
    }
    case 'section-progress': {
      const { section, body } = action;
      stage.markBusy(section.id);
      // Sections belong to the work: its lead unit reports them.
      await send.kafka(
        { unit: work.leadUnit, region: work.regionCode },
        {
          topic: Topics.transportIngest,
          type: TransportEventTypes.ingestSectionProgressReported,
          subject: section.id,
          key: work.id,
          data: { workId: work.id, sectionId: section.id, ...body },
          what: `reported ${section.name} at ${body.progressPct}% (was ${section.progressPct}%) ${about}`,
        },
      );
      return;
    }
  }
}
