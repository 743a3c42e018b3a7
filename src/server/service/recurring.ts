/**
 * Recurring activities (SPEC 8.5, CMG-Web's "Ny återkommande aktivitet"): the rule a manual
 * activity with a `recurrence` becomes, and its occurrences in a window. An occurrence deleted
 * by the user becomes an exception of its rule (activities.ts).
 */
import { expandRecurringRule, isObject, parseLocalDate, type RecurringRule, type Repeat, ValidationError, validateRecurringRule } from '../../core';
import type { RecurringRow } from '../store/types';
import type { ActivityView, RuleView } from './views';
import type { UserContext } from './context';

/** The rule itself, as listed (id `rec:<rule>`; deleting that id removes the whole rule). */
export function recurringRuleView(r: RecurringRow): ActivityView {
  return {
    id: `rec:${r.id}`,
    source: 'recurring',
    key: r.key,
    forwarding: { mode: r.mode, number: r.number },
    from: r.firstStart,
    to: r.firstEnd,
    text: r.text,
    operatorOnly: r.operatorOnly,
    dismissed: false,
    ruleId: r.id,
    rule: ruleDefinition(r),
  };
}

function ruleDefinition(r: RecurringRow): RuleView {
  const repeat = r.repeat as Repeat;
  return {
    repeat: repeat.kind === 'weekly' ? { weeks: repeat.weeks } : repeat.kind,
    until: r.until,
    endsNextWorkingDay: r.endsNextWorkingDay,
  };
}

/** The rule's occurrences in a window, without its exceptions (ids `rec:<rule>:<start>`). */
export function recurringActivities(ctx: UserContext, r: RecurringRow, window: { from: number; to: number }): ActivityView[] {
  const rule: RecurringRule = {
    firstStart: r.firstStart,
    firstEnd: r.firstEnd,
    repeat: r.repeat as Repeat,
    until: r.until,
    endsNextWorkingDay: r.endsNextWorkingDay,
  };
  const skip = new Set(r.exceptions);
  return expandRecurringRule(rule, window, ctx.org.calendar)
    .filter((o) => !skip.has(o.start))
    .map((o) => ({ ...recurringRuleView(r), id: `rec:${r.id}:${o.start}`, from: o.start, to: o.end }));
}

/** A new activity's `recurrence` as a rule from its first occurrence; fields named as the caller sent them. */
export function parseRecurrenceInput(input: unknown, from: number, to: number | null, zone: string): RecurringRule {
  if (!isObject(input)) throw new ValidationError('recurrence', 'must be an object like {"repeat": "everyWorkingDay", "until": null}');
  let repeat: Repeat;
  if (input.repeat === 'everyWorkingDay' || input.repeat === 'everyDay') repeat = { kind: input.repeat };
  else if (isObject(input.repeat) && typeof input.repeat.weeks === 'number') repeat = { kind: 'weekly', weeks: input.repeat.weeks as 1 };
  else throw new ValidationError('recurrence.repeat', 'must be "everyWorkingDay", "everyDay" or {"weeks": 1..6}');
  const until = input.until === undefined || input.until === null ? null : parseLocalDate(input.until, 'recurrence.until');
  if (input.endsNextWorkingDay !== undefined && typeof input.endsNextWorkingDay !== 'boolean') {
    throw new ValidationError('recurrence.endsNextWorkingDay', 'must be true or false');
  }
  const endsNextWorkingDay = input.endsNextWorkingDay === true;
  if (!endsNextWorkingDay && to === null) throw new ValidationError('to', 'is required for a recurring activity (or set recurrence.endsNextWorkingDay)');
  const rule: RecurringRule = { firstStart: from, firstEnd: to ?? from, repeat, until, endsNextWorkingDay };
  try {
    validateRecurringRule(rule, 'rule', zone);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const field = e.field.replace(/^rule\.firstEnd$/, 'to').replace(/^rule\.firstStart$/, 'from').replace(/^rule\./, 'recurrence.');
    throw new ValidationError(field, e.detail);
  }
  return rule;
}
