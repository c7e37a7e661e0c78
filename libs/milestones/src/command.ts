import { MilestoneEventType, MilestoneEventTypes } from '@duban/contracts';
import {
  Actor,
  MilestoneState,
  cancelMilestone,
  changeForecast,
  completeMilestone,
  reschedule,
} from './milestone';

/** What may be done to a milestone once it is set, in whatever domain it belongs to. */
export type MilestoneCommand =
  | { kind: 'forecast'; forecastDate: string | null }
  | { kind: 'complete'; actualDate: string }
  | { kind: 'reschedule'; plannedDate: string; reason: string }
  | { kind: 'cancel'; reason: string };

/**
 * Who may give a command, besides an admin: the owner unit reports on its own deadline
 * (forecast, completion); moving or dropping the deadline is the call of the unit that leads
 * the work and set it (a project's lead unit, a campaign's, a transport work's).
 */
export const MAY_GIVE: Readonly<Record<MilestoneCommand['kind'], 'owner or lead' | 'lead'>> = {
  forecast: 'owner or lead',
  complete: 'owner or lead',
  reschedule: 'lead',
  cancel: 'lead',
};

/** The shared milestone event each command publishes. */
export const EVENT_OF: Readonly<Record<MilestoneCommand['kind'], MilestoneEventType>> = {
  forecast: MilestoneEventTypes.forecastChanged,
  complete: MilestoneEventTypes.completed,
  reschedule: MilestoneEventTypes.rescheduled,
  cancel: MilestoneEventTypes.cancelled,
};

/** The milestone's state after the command (or the rule it breaks, thrown). */
export function applyCommand(
  m: MilestoneState,
  command: MilestoneCommand,
  today: string,
  actor: Actor,
): MilestoneState {
  switch (command.kind) {
    case 'forecast':
      return changeForecast(m, command.forecastDate, actor);
    case 'complete':
      return completeMilestone(m, command.actualDate, today, actor);
    case 'reschedule':
      return reschedule(m, command.plannedDate, command.reason, actor);
    case 'cancel':
      return cancelMilestone(m, command.reason, actor);
  }
}

/** The units that may give `command`: the lead unit always, the owner unit when it may. */
export function unitsThatMayGive(
  command: MilestoneCommand['kind'],
  units: { ownerUnit: string; leadUnit: string },
): string[] {
  return MAY_GIVE[command] === 'lead' ? [units.leadUnit] : [units.ownerUnit, units.leadUnit];
}
