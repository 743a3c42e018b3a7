/**
 * Quick choices (snabbval): at most eight stored presets a user activates with one click, each
 * becoming a quick activity that starts now.
 */
import { FORWARD_KEY, type Forwarding, formatInstant, isObject, normalisePhoneNumber, type Org, parseActivityKey, parseForwarding, parseInstant, suggestEnd, ValidationError } from '../../core';
import { ConflictError, NotFoundError } from '../errors';
import type { UserRow } from '../store/types';
import { type Activities, type ActivityView, optionalText } from './activities';
import type { Deps, UserContext } from './context';

export const MAX_QUICK = 8;

export interface QuickChoice {
  key: string;
  /**
   * Minutes, "nextWorkingDay", "untilFurtherNotice", "standard" (the code's standard length), or
   * an end date and time (Slutdatum, user guide 5), stored as a UTC instant with Z.
   */
  length: { minutes: number } | { until: string } | 'nextWorkingDay' | 'untilFurtherNotice' | 'standard';
  forwarding: Forwarding | null;
  text: string | null;
}

export class QuickChoices {
  constructor(
    private readonly d: Pick<Deps, 'store' | 'clock' | 'contexts'>,
    private readonly activities: Activities,
  ) {}

  async getQuick(user: UserRow): Promise<QuickChoice[]> {
    const doc = await this.d.store.getDoc(user, 'quick');
    return Array.isArray(doc) ? (doc as QuickChoice[]) : [];
  }

  async putQuick(user: UserRow, input: unknown): Promise<QuickChoice[]> {
    const org = await this.d.contexts.org();
    if (!Array.isArray(input)) throw new ValidationError('quick', 'must be a list of quick choices');
    if (input.length > MAX_QUICK) throw new ValidationError('quick', `holds at most ${MAX_QUICK} quick choices ("Du kan max skapa åtta stycken snabbval"); got ${input.length}`);
    const now = this.d.clock();
    const choices = input.map((q, i) => parseQuickChoice(q, org, `quick[${i}]`, now));
    await this.d.store.putDoc(user, 'quick', choices, this.d.clock());
    return choices;
  }

  async activateQuick(ctx: UserContext, index: number): Promise<ActivityView> {
    const choices = await this.getQuick(ctx.user);
    const q = choices[index];
    if (!q) throw new NotFoundError(`Quick choice ${index}`);
    const from = this.d.clock();
    const code = q.key === FORWARD_KEY ? null : ctx.org.catalog.find(q.key) ?? null;
    let to: number | null;
    if (q.length === 'untilFurtherNotice') to = null;
    else if (q.length === 'nextWorkingDay') to = ctx.org.calendar.nextWorkingDayStart(from);
    else if (q.length === 'standard') to = suggestEnd(code, from, ctx.org.calendar);
    else if ('until' in q.length) {
      to = Date.parse(q.length.until);
      // Saved before its end date passed: the choice is still there, but cannot start (docs/decisions.md).
      if (!(to > from)) {
        throw new ConflictError(`Quick choice ${index} ends at ${q.length.until} (Slutdatum), which has passed; choose a later end date and save the quick choices again.`, {
          field: `quick[${index}].length.until`,
        });
      }
    } else to = from + q.length.minutes * 60_000;
    return this.activities.createActivity(ctx, { key: q.key, forwarding: q.forwarding ?? undefined, from, to, text: q.text }, 'quick');
  }
}

function parseQuickChoice(q: unknown, org: Org, field: string, now: number): QuickChoice {
  if (!isObject(q)) throw new ValidationError(field, 'must be an object like {"key": "L", "length": "standard"}');
  const { key } = parseActivityKey(q.key, org.catalog, `${field}.key`);
  let length: QuickChoice['length'];
  const l = q.length ?? 'standard';
  if (l === 'nextWorkingDay' || l === 'untilFurtherNotice' || l === 'standard') length = l;
  else if (isObject(l) && Number.isInteger(l.minutes) && (l.minutes as number) >= 1 && (l.minutes as number) <= 7 * 24 * 60) {
    length = { minutes: l.minutes as number };
  } else if (isObject(l) && 'until' in l && Object.keys(l).length === 1) {
    const until = parseInstant(l.until, `${field}.length.until`);
    if (until <= now) throw new ValidationError(`${field}.length.until`, `must lie in the future (Slutdatum); ${formatInstant(until)} has passed`);
    length = { until: formatInstant(until) };
  } else throw new ValidationError(`${field}.length`, 'must be "standard", "nextWorkingDay", "untilFurtherNotice", {"minutes": 1..10080} or {"until": "<ISO instant>"}');
  if (key === FORWARD_KEY && length === 'standard') length = 'untilFurtherNotice';
  let forwarding: Forwarding | null = null;
  if (q.forwarding !== undefined && q.forwarding !== null) {
    forwarding = parseForwarding(q.forwarding, `${field}.forwarding`, undefined, true);
    if (key === FORWARD_KEY && forwarding.mode !== 'number') throw new ValidationError(`${field}.forwarding.mode`, 'must be "number" for Vidarekoppla');
  }
  if (forwarding?.number) forwarding.number = normalisePhoneNumber(forwarding.number, `${field}.forwarding.number`);
  return { key, length, forwarding, text: optionalText(q.text, `${field}.text`) };
}
