import { chinaDate } from '@duban/contracts';
import { daysLate, isOverdue } from '@duban/milestones';
import { GATE_TERMS } from '../works/domain/phase';
import { Gate } from './gate.entity';

export type GateView = Gate & { term: string; overdue: boolean; daysLate: number };

/** A gate as HTTP shows it: with its Chinese term and how late it is today (China time). */
export function gateView(g: Gate, now: Date): GateView {
  const today = chinaDate(now);
  return {
    ...g,
    term: GATE_TERMS[g.gate],
    overdue: isOverdue(g, today),
    daysLate: daysLate(g, today),
  };
}
