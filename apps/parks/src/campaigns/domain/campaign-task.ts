// A campaign task is a milestone: the shared milestone rules apply as they are.
import {
  Actor,
  MilestoneState,
  cancelMilestone,
  changeForecast,
  completeMilestone,
  daysLate,
  isOverdue,
  reschedule,
  scheduleMilestone,
} from '@duban/milestones';

export type { Actor, MilestoneChange, MilestoneStatus } from '@duban/milestones';

/** A task of a campaign (攻坚行动): one dated promise of its owner unit, maybe in one park. */
export type TaskState = MilestoneState;

export type TaskCommand =
  | { kind: 'forecast'; forecastDate: string | null }
  | { kind: 'complete'; actualDate: string }
  | { kind: 'reschedule'; plannedDate: string; reason: string }
  | { kind: 'cancel'; reason: string };

/**
 * Plans a task. A planned date in the past is accepted: campaigns are often entered after
 * their plan was agreed, and such a task is simply overdue from the start (the scheduler
 * alerts at once).
 */
export const planTask = (
  input: { name: string; ownerUnit: string; plannedDate: string },
  actor: Actor,
): TaskState => scheduleMilestone(input, actor);

/**
 * Applies a change with the milestone rules: only a pending task changes; a reschedule keeps
 * the baseline (plannedDate) and moves currentPlannedDate; completion is not in the future;
 * cancelled and completed are final.
 */
export function changeTask(
  task: TaskState,
  command: TaskCommand,
  today: string,
  actor: Actor,
): TaskState {
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

export const taskView = (task: TaskState, today: string) => ({
  overdue: isOverdue(task, today),
  daysLate: daysLate(task, today),
});
