/**
 * Activities from all four sources (SPEC 8): calendar bookings, manual and quick activities,
 * and recurring rules; listed together, created (manual, recurring, quick), and deleted.
 */
import { randomUUID } from 'node:crypto';
import {
  type Activity,
  cleanText,
  type ContactProfile,
  DAY_MS,
  FORWARD_KEY,
  type Forwarding,
  isObject,
  parseActivityKey,
  parseForwarding,
  parseInstant,
  suggestEnd,
  ValidationError,
} from '../../core';
import { NotFoundError } from '../errors';
import type { ActivityRow, BookingRow, RecurringRow, UserRow } from '../store/types';
import { calendarActivities } from './bookings';
import type { Deps, UserContext } from './context';
import type { ActivityView } from './views';
export type { ActivityView } from './views';
import { parseRecurrenceInput, recurringActivities, recurringRuleView } from './recurring';

const TEXT_MAX = 200;

export class Activities {
  constructor(private readonly d: Pick<Deps, 'store' | 'clock' | 'changed'>) {}

  async listActivities(ctx: UserContext, from: number, to: number): Promise<ActivityView[]> {
    if (!(to > from)) throw new ValidationError('to', 'must be later than from');
    if (to - from > 366 * DAY_MS) throw new ValidationError('to', 'the window may span at most 366 days');
    const [bookings, manual, rules] = await Promise.all([
      this.d.store.listBookings(ctx.user, from, to),
      this.d.store.listActivities(ctx.user, from, to),
      this.d.store.listRecurring(ctx.user),
    ]);
    return assemble(ctx, bookings, manual, rules, { from, to });
  }

  async createActivity(ctx: UserContext, input: unknown, source: 'manual' | 'quick' = 'manual'): Promise<ActivityView> {
    if (!isObject(input)) throw new ValidationError('activity', 'must be an object');
    const org = ctx.org;
    const { key, code } = parseActivityKey(input.key, org.catalog, 'key');
    const group: keyof ContactProfile = code ? code.group : 'forward';
    const from = input.from === undefined || input.from === null ? this.d.clock() : typeof input.from === 'number' ? input.from : parseInstant(input.from, 'from');
    let forwarding: Forwarding;
    const profileForwarding = ctx.profile[group];
    if (input.forwarding === undefined || input.forwarding === null) forwarding = profileForwarding;
    else forwarding = parseForwarding(input.forwarding, 'forwarding', profileForwarding, false);
    if (key === FORWARD_KEY && forwarding.mode !== 'number') throw new ValidationError('forwarding.mode', 'must be "number" for Vidarekoppla');
    if (forwarding.mode === 'number' && !forwarding.number) {
      throw new ValidationError('forwarding.number', 'is required: Vidarekoppla / Till nummer needs a number, here or in your contact profile');
    }
    // A shared extension never closes (SPEC 2: delad anknytning is always soft).
    if (ctx.user.shared) forwarding = { mode: 'none', number: null };
    const text = optionalText(input.text, 'text');
    if (input.operatorOnly !== undefined && typeof input.operatorOnly !== 'boolean') throw new ValidationError('operatorOnly', 'must be true or false');
    const operatorOnly = input.operatorOnly === true;

    let to: number | null;
    if (input.to === null) to = null;
    else if (input.to === undefined) to = suggestEnd(code, from, org.calendar);
    else to = typeof input.to === 'number' ? input.to : parseInstant(input.to, 'to');
    const now = this.d.clock();

    if (input.recurrence !== undefined && input.recurrence !== null) {
      if (source !== 'manual') throw new ValidationError('recurrence', 'is only for manual activities');
      const rule = parseRecurrenceInput(input.recurrence, from, to, org.calendar.zone);
      const row: RecurringRow = {
        tid: ctx.user.tid,
        oid: ctx.user.oid,
        id: randomUUID(),
        key,
        mode: forwarding.mode,
        number: forwarding.number,
        firstStart: rule.firstStart,
        firstEnd: rule.firstEnd,
        repeat: rule.repeat,
        until: rule.until,
        endsNextWorkingDay: rule.endsNextWorkingDay,
        text,
        operatorOnly,
        exceptions: [],
        createdAt: now,
      };
      await this.d.store.insertRecurring(row);
      this.d.changed(ctx.user.extension);
      return { ...recurringRuleView(row), from: rule.firstStart, to: rule.endsNextWorkingDay ? org.calendar.nextWorkingDayStart(rule.firstStart) : rule.firstEnd };
    }

    if (to !== null && to <= from) throw new ValidationError('to', 'must be later than from');
    const row: ActivityRow = {
      tid: ctx.user.tid,
      oid: ctx.user.oid,
      id: randomUUID(),
      source,
      key,
      mode: forwarding.mode,
      number: forwarding.number,
      from,
      to,
      text,
      operatorOnly,
      createdAt: now,
    };
    await this.d.store.insertActivity(row);
    this.d.changed(ctx.user.extension);
    return viewOfRow(row);
  }

  /**
   * Deletes an activity. A calendar one is dismissed for its booking version and the calendar
   * item is left alone (SPEC 8.4); a recurring occurrence becomes an exception of its rule; a
   * rule id (`rec:<rule>`) removes the whole rule.
   */
  async deleteActivity(user: UserRow, id: string): Promise<void> {
    await this.removeActivity(user, id);
    this.d.changed(user.extension);
  }

  private async removeActivity(user: UserRow, id: string): Promise<void> {
    if (id.startsWith('cal:')) {
      const bookingId = id.slice(4).replace(/:\d+$/, '');
      if (!(await this.d.store.dismissBooking(user, bookingId))) throw new NotFoundError('The activity');
      return;
    }
    if (id.startsWith('rec:')) {
      const [, ruleId, start] = id.split(':');
      const rule = ruleId ? await this.d.store.getRecurring(user, ruleId) : null;
      if (!rule) throw new NotFoundError('The activity');
      if (start === undefined) await this.d.store.deleteRecurring(user, rule.id);
      else await this.d.store.setRecurringExceptions(user, rule.id, [...new Set([...rule.exceptions, Number(start)])]);
      return;
    }
    if (!(await this.d.store.deleteActivity(user, id))) throw new NotFoundError('The activity');
  }
}

/** A user's activities in a window from their stored bookings, activities and rules. */
export function assemble(ctx: UserContext, bookings: BookingRow[], manual: ActivityRow[], rules: RecurringRow[], window: { from: number; to: number }): ActivityView[] {
  const out: ActivityView[] = [];
  for (const b of bookings) out.push(...calendarActivities(ctx, b, window));
  for (const a of manual) out.push(viewOfRow(a));
  for (const r of rules) out.push(...recurringActivities(ctx, r, window));
  out.sort((x, y) => x.from - y.from || (x.id < y.id ? -1 : 1));
  return out;
}

/** An optional text field: trimmed, at most TEXT_MAX characters, and null when empty. */
export function optionalText(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ValidationError(field, 'must be a text');
  // Issue 10: no control, bidi-override or invisible characters reach colleagues or the switch.
  const t = cleanText(v).trim();
  if (t.length > TEXT_MAX) throw new ValidationError(field, `must be at most ${TEXT_MAX} characters`);
  return t === '' ? null : t;
}

function viewOfRow(a: ActivityRow): ActivityView {
  return {
    id: a.id,
    source: a.source,
    key: a.key,
    forwarding: { mode: a.mode, number: a.number },
    from: a.from,
    to: a.to,
    text: a.text,
    operatorOnly: a.operatorOnly,
    dismissed: false,
  };
}
