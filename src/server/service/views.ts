/** What the activity list shows of one activity (calendar, manual, recurring, quick), before it becomes JSON. */
import type { Activity, Forwarding } from '../../core';

export interface ActivityView {
  id: string;
  source: Activity['source'];
  key: string;
  forwarding: Forwarding;
  from: number;
  to: number | null;
  text: string | null;
  operatorOnly: boolean;
  dismissed: boolean;
  /** For calendar activities: the booking they come from. For recurring ones: the rule. */
  bookingId?: string;
  ruleId?: string;
  /** For recurring activities: the rule as it was made (guide 3.3.2), so the list can name its rhythm and end. */
  rule?: RuleView;
}

/** A recurring rule's definition in the API's words (as `recurrence` is sent when creating it). */
export interface RuleView {
  repeat: 'everyWorkingDay' | 'everyDay' | { weeks: number };
  /** Återkommande aktivitet slutar: the last day, YYYY-MM-DD; null: tills vidare. */
  until: string | null;
  endsNextWorkingDay: boolean;
}
