import { DubanEvent, SilenceData, SilenceEventTypes, createEvent } from '@duban/contracts';
import { Silence } from './silence.entity';

export function toSilenceData(s: Silence): SilenceData {
  return {
    silenceId: s.id,
    subjectType: s.subjectType,
    subjectId: s.subjectId,
    unit: s.unit,
    region: s.region,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    reason: s.reason,
    createdBy: s.createdBy,
    state: s.state,
    endedAt: s.endedAt?.toISOString() ?? null,
    endedBy: s.endedBy,
    endReason: s.endReason,
  };
}

/** Keyed by the silence id, so a silence's created and ended stay in order on the alerts topic. */
export function silenceEvent(
  type: (typeof SilenceEventTypes)[keyof typeof SilenceEventTypes],
  s: Silence,
  at: Date,
): DubanEvent {
  return createEvent({
    type,
    service: 'scheduler',
    subject: s.id,
    region: s.region,
    time: at,
    data: toSilenceData(s),
  });
}
