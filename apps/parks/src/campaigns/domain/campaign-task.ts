// A campaign task is a shared milestone: @duban/milestones holds its rules (planning, dates,
// final states, lateness). What is the campaign's own is who may change a task in which way.
import {
  Actor,
  MilestoneState,
  cancelMilestone,
  changeForecast,
  completeMilestone,
  reschedule,
} from '@duban/milestones';

export type TaskCommand =
  | { kind: 'forecast'; forecastDate: string | null }
  | { kind: 'complete'; actualDate: string }
  | { kind: 'reschedule'; plannedDate: string; reason: string }
  | { kind: 'cancel'; reason: string };

/**
 * Who may give a command, besides an admin. As with a project's milestones, the task's owner
 * unit reports on its own deadline (forecast, completion); moving or dropping the deadline is
 * the campaign's lead unit's call, which set it.
 */
export const MAY_GIVE: Readonly<Record<TaskCommand['kind'], 'owner or lead' | 'lead'>> = {
  forecast: 'owner or lead',
  complete: 'owner or lead',
  reschedule: 'lead',
  cancel: 'lead',
};

/** The milestone change a command stands for. */
export function changeTask(
  task: MilestoneState,
  command: TaskCommand,
  today: string,
  actor: Actor,
): MilestoneState {
  switch (command.kind) {
    case 'forecast':
      return changeForecast(task, command.forecastDate, actor);
    case 'complete':
      return completeMilestone(task, command.actualDate, today, actor);
    case 'reschedule':
      return reschedule(task, command.plannedDate, command.reason, actor);
    case 'cancel':
      return cancelMilestone(task, command.reason, actor);
  }
}
