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
}
