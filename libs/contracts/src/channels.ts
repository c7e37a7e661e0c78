import { AlertEventTypes } from './alerts.events';
import { ChangeRequestEventTypes } from './change-request.events';
import { INGEST_REJECTED, ParkEventTypes } from './directory.events';
import { EvaluationEventTypes } from './evaluation.events';
import { MilestoneEventTypes } from './milestone.events';
import { ParksEventTypes } from './parks.events';
import { ProjectEventTypes } from './projects.events';
import { StatusEventTypes } from './status.events';
import { SilenceEventTypes } from './silence.events';
import { TopicName, Topics } from './topics';
import { TransportEventTypes } from './transport.events';

type TypeTable = Record<string, string>;

// In each domain's type table, inbound types (what department systems send on the ingest
// topic) are the keys named `ingest…`; the rest is what the service publishes.
const inbound = (t: TypeTable): string[] =>
  Object.entries(t).flatMap(([k, v]) => (k.startsWith('ingest') ? [v] : []));
const outbound = (t: TypeTable): string[] =>
  Object.entries(t).flatMap(([k, v]) => (k.startsWith('ingest') ? [] : [v]));
// A domain that owns milestones also publishes the change requests against them.
const milestones = [
  ...Object.values(MilestoneEventTypes),
  ...Object.values(ChangeRequestEventTypes),
];

/**
 * Which event types travel on which topic: the contract integrators subscribe by (the AsyncAPI
 * document is generated from it) and what `addToOutbox` holds every publish to.
 */
export const CHANNELS: Readonly<Record<TopicName, readonly string[]>> = {
  [Topics.projects]: [...outbound(ProjectEventTypes), ...milestones, INGEST_REJECTED],
  [Topics.projectsIngest]: inbound(ProjectEventTypes),
  [Topics.parks]: [
    ...new Set([...Object.values(ParkEventTypes), ...outbound(ParksEventTypes)]),
    ...milestones,
    INGEST_REJECTED,
  ],
  [Topics.parksIngest]: inbound(ParksEventTypes),
  [Topics.transport]: [...outbound(TransportEventTypes), ...milestones, INGEST_REJECTED],
  [Topics.transportIngest]: inbound(TransportEventTypes),
  [Topics.evaluation]: [...Object.values(EvaluationEventTypes), ...milestones],
  [Topics.alerts]: [
    ...Object.values(AlertEventTypes),
    ...Object.values(StatusEventTypes),
    ...Object.values(SilenceEventTypes),
  ],
};

const INGEST_TOPICS: ReadonlySet<string> = new Set([
  Topics.projectsIngest,
  Topics.parksIngest,
  Topics.transportIngest,
]);

/** Whether department systems write this topic (Duban receives) rather than Duban publishing. */
export const isIngestTopic = (topic: string): boolean => INGEST_TOPICS.has(topic);

/** Whether `type` may be published on `topic` (its un-prefixed name). */
export function topicCarries(topic: string, type: string): boolean {
  return (
    (CHANNELS as Record<string, readonly string[] | undefined>)[topic]?.includes(type) ?? false
  );
}
