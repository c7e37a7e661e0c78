import { define, EventDefinition } from './event-definition';
import { EVALUATION_EVENT_DEFINITIONS } from './evaluation.events';
import { PARKS_EVENT_DEFINITIONS } from './parks.events';
import { TRANSPORT_EVENT_DEFINITIONS } from './transport.events';
import { AlertData, AlertEventTypes, MilestoneDueSoonData } from './alerts.events';
import { CHANGE_REQUEST_EVENT_DEFINITIONS } from './change-request.events';
import { STATUS_EVENT_DEFINITIONS } from './status.events';
import { SILENCE_EVENT_DEFINITIONS } from './silence.events';
import { INGEST_REJECTED, IngestRejectedData, ParkData, ParkEventTypes } from './directory.events';
import { MilestoneEventData, MilestoneEventTypes } from './milestone.events';
import {
  ProgressReportData,
  ProjectData,
  ProjectEventTypes as P,
  ProjectIngest,
  ProjectStatusChangedData,
} from './projects.events';

/**
 * Every event type Duban publishes or accepts, with its schema. Publishing or consuming a
 * type that is not here is an error: integrators can trust this list (and the AsyncAPI
 * document generated from it) to be complete.
 */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(
    MilestoneEventTypes.scheduled,
    MilestoneEventData,
    'A milestone was set with its baseline date',
  ),
  define(
    MilestoneEventTypes.forecastChanged,
    MilestoneEventData,
    "The owner's forecast date changed",
  ),
  define(
    MilestoneEventTypes.rescheduled,
    MilestoneEventData,
    'The planned date was formally moved',
  ),
  define(
    MilestoneEventTypes.completed,
    MilestoneEventData,
    'The milestone was met on its actual date',
  ),
  define(MilestoneEventTypes.cancelled, MilestoneEventData, 'The milestone no longer applies'),
  define(P.registered, ProjectData, 'A key project was registered'),
  define(P.updated, ProjectData, "A key project's details changed"),
  define(P.statusChanged, ProjectStatusChangedData, 'A key project moved along its lifecycle'),
  define(P.reportSubmitted, ProgressReportData, 'A monthly progress report was submitted'),
  define(P.reportCorrected, ProgressReportData, 'A monthly progress report was corrected'),
  define(P.itemResolved, ProgressReportData, 'A problem or coordination request was resolved'),
  define(P.ingestProgressReported, ProjectIngest.progressReported, 'Inbound: a progress report'),
  define(P.ingestForecastReported, ProjectIngest.forecastReported, 'Inbound: a milestone forecast'),
  define(P.ingestCompletionReported, ProjectIngest.completionReported, 'Inbound: a milestone met'),
  define(
    P.ingestStatusChangeRequested,
    ProjectIngest.statusChangeRequested,
    'Inbound: a status change',
  ),
  define(ParkEventTypes.registered, ParkData, 'A park was registered'),
  define(ParkEventTypes.updated, ParkData, "A park's details changed"),
  define(INGEST_REJECTED, IngestRejectedData, 'An inbound update was refused; the reason says why'),
  define(AlertEventTypes.raised, AlertData, 'A milestone slipped: an alert was raised'),
  define(AlertEventTypes.severityChanged, AlertData, "An open alert's severity changed"),
  define(AlertEventTypes.escalated, AlertData, 'An unacknowledged alert went up a level'),
  define(AlertEventTypes.acknowledged, AlertData, 'Someone answerable acknowledged the alert'),
  define(
    AlertEventTypes.resolved,
    AlertData,
    'The supervised side resolved the alert (met, cancelled, approved change): awaits verification',
  ),
  define(AlertEventTypes.reminded, AlertData, 'An open or acknowledged alert was reminded (催办)'),
  define(
    AlertEventTypes.commitmentMissed,
    AlertData,
    'The commit date passed with the alert unresolved: open again, one level up',
  ),
  define(
    AlertEventTypes.closed,
    AlertData,
    'A resolution was verified and the alert closed (销号)',
  ),
  define(
    AlertEventTypes.reopened,
    AlertData,
    'A supervisor rejected the resolution: open again, one level up',
  ),
  define(AlertEventTypes.dueSoon, MilestoneDueSoonData, "A milestone's deadline is near"),
  ...CHANGE_REQUEST_EVENT_DEFINITIONS,
  ...STATUS_EVENT_DEFINITIONS,
  ...SILENCE_EVENT_DEFINITIONS,
  ...PARKS_EVENT_DEFINITIONS,
  ...TRANSPORT_EVENT_DEFINITIONS,
  ...EVALUATION_EVENT_DEFINITIONS,
];

const byType = new Map<string, EventDefinition>(EVENT_DEFINITIONS.map((d) => [d.type, d]));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** `dataschema` value naming a type's schema version. */
export const dataSchemaFor = (def: Pick<EventDefinition, 'type' | 'version'>): string =>
  `urn:duban:schema:${def.type}:v${def.version}`;
