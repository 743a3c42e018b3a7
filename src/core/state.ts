/**
 * Which diversion is in force at an instant (SPEC 9), its return time, the switch's MX-ONE style
 * absence information (SPEC 10: MEX digit plus HHMM or MMDD), and the next instant it can change.
 */
import type { Activity, ActivitySource } from './activity';
import { type Catalog, FORWARD_KEY, FORWARD_LABEL, type Localized } from './catalog';
import type { Forwarding } from './settings';
import { type Instant, localDateOf, switchClock } from './time';

export interface EffectiveState {
  activityId: string;
  key: string;
  /** MEX code 0–9; null for Vidarekoppla. */
  mex: number | null;
  label: Localized;
  forwarding: Forwarding;
  /** Start of the winning activity. */
  since: Instant;
  /** When the person is reachable again; null: tills vidare. */
  returnAt: Instant | null;
  text: string | null;
  operatorOnly: boolean;
}

export interface SwitchAbsence {
  reasonCode: number | null;
  returnTime?: string;
  returnDate?: string;
}

// SPEC 9.2: manual > quick > recurring > calendar.
const SOURCE_RANK: Record<ActivitySource, number> = { manual: 4, quick: 3, recurring: 2, calendar: 1 };

const isHard = (a: Activity) => a.forwarding.mode !== 'none';
const endOf = (a: Activity) => a.to ?? Number.POSITIVE_INFINITY;

function mexOf(a: Activity, catalog: Catalog): number | null {
  return a.key === FORWARD_KEY ? null : (catalog.find(a.key)?.mex ?? null);
}

/** SPEC 9.2: latest end (open is latest), then latest start, then source, then lowest MEX, then id. */
function beats(a: Activity, b: Activity, catalog: Catalog): boolean {
  const ea = endOf(a);
  const eb = endOf(b);
  if (ea !== eb) return ea > eb;
  if (a.from !== b.from) return a.from > b.from;
  const sa = SOURCE_RANK[a.source];
  const sb = SOURCE_RANK[b.source];
  if (sa !== sb) return sa > sb;
  const ma = mexOf(a, catalog) ?? 10;
  const mb = mexOf(b, catalog) ?? 10;
  if (ma !== mb) return ma < mb;
  return a.id < b.id;
}

export function effectiveState(activities: readonly Activity[], at: Instant, catalog: Catalog): EffectiveState | null {
  let hard: Activity | null = null;
  let soft: Activity | null = null;
  for (const a of activities) {
    if (a.dismissed || a.from > at || endOf(a) <= at) continue;
    if (isHard(a)) {
      if (!hard || beats(a, hard, catalog)) hard = a;
    } else if (!soft || beats(a, soft, catalog)) soft = a;
  }
  const winner = hard ?? soft;
  if (!winner) return null;
  const code = winner.key === FORWARD_KEY ? null : catalog.find(winner.key);
  return {
    activityId: winner.id,
    key: winner.key,
    mex: code ? code.mex : null,
    label: code ? code.label : FORWARD_LABEL,
    forwarding: winner.forwarding,
    since: winner.from,
    returnAt: hard ? chainedReturn(activities, hard) : soft!.to,
    text: winner.text ?? null,
    operatorOnly: winner.operatorOnly ?? false,
  };
}

/**
 * SPEC 9.3: from the winner's end, extend while some hard activity (active or future) starts at
 * or before the current return time and ends later: 10–11 and 11–12 give "åter 12.00" at 10.00.
 * The result is the fixpoint of that rule. A few linear passes reach it for real calendars; a
 * long chain stored out of order falls back to one pass over the candidates sorted by start.
 */
function chainedReturn(activities: readonly Activity[], winner: Activity): Instant | null {
  if (winner.to === null) return null;
  let r = winner.to;
  for (let pass = 0; pass < 3; pass++) {
    let grew = false;
    for (const a of activities) {
      if (a.dismissed || a.from > r || !isHard(a)) continue;
      if (a.to === null) return null;
      if (a.to > r) {
        r = a.to;
        grew = true;
      }
    }
    if (!grew) return r;
  }
  const later = activities.filter((a) => !a.dismissed && isHard(a) && endOf(a) > r);
  later.sort((x, y) => x.from - y.from);
  for (const a of later) {
    if (a.from > r) break;
    if (a.to === null) return null;
    if (a.to > r) r = a.to;
  }
  return r;
}

/**
 * SPEC 10: the switch stores a time of day HHMM when the return falls on the same local date as
 * the moment the state is applied, otherwise a date MMDD; nothing when there is no return time.
 */
export function switchAbsence(state: EffectiveState, appliedAt: Instant, zone: string): SwitchAbsence {
  const out: SwitchAbsence = { reasonCode: state.mex };
  if (state.returnAt === null) return out;
  const back = switchClock(state.returnAt, zone);
  if (back.date === localDateOf(appliedAt, zone)) out.returnTime = back.hhmm;
  else out.returnDate = back.mmdd;
  return out;
}

/**
 * The first instant after `after` at which the effective state can change: the nearest start or
 * end of a non-dismissed activity. The endpoint's scheduler sleeps until then. null: none ahead.
 */
export function nextBoundary(activities: readonly Activity[], after: Instant): Instant | null {
  let next = Number.POSITIVE_INFINITY;
  for (const a of activities) {
    if (a.dismissed) continue;
    if (a.from > after && a.from < next) next = a.from;
    if (a.to !== null && a.to > after && a.to < next) next = a.to;
  }
  return next === Number.POSITIVE_INFINITY ? null : next;
}
