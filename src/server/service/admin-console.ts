/**
 * The admin console's views and actions (issue 13): a page of users with what holds on their
 * extension, what the switch has and how their calendar sync goes; unlinking; a page of
 * deliveries; retrying all failed ones; and a draft organisation tried on a sample booking.
 */
import { buildOrg, type EffectiveState, isObject, mergeProfile, mergeSettings, type Org, parseBooking, type Resolution, resolveBooking, ValidationError } from '../../core';
import { NotFoundError } from '../errors';
import type { CalendarSyncRow, DeliveryPageQuery, Page, SwitchStateRow, UserKey, UserPageQuery, UserRow } from '../store/types';
import { userKey } from '../runtime';
import { resolveContext } from './bookings';
import type { Deps, UserContext } from './context';
import type { ExtensionState } from './states';

export const PAGE_MAX = 1000;

/** One user as the console lists them. */
export interface ConsoleUser {
  user: UserRow;
  /** What holds on their extension now; null: nothing (or not linked). */
  state: EffectiveState | null;
  delivery: SwitchStateRow | null;
  calendar: CalendarSyncRow | null;
}

/** A page's bounds from the query string, checked (400 naming the parameter). */
export function pageBounds(offset: string | undefined, limit: string | undefined, defaultLimit = 100): { offset: number; limit: number } {
  const o = offset === undefined ? 0 : Number(offset);
  const l = limit === undefined ? defaultLimit : Number(limit);
  if (!Number.isInteger(o) || o < 0) throw new ValidationError('offset', 'must be a whole number ≥ 0');
  if (!Number.isInteger(l) || l < 1 || l > PAGE_MAX) throw new ValidationError('limit', `must be a whole number 1–${PAGE_MAX}`);
  return { offset: o, limit: l };
}

export class AdminConsole {
  constructor(
    private readonly d: Pick<Deps, 'store' | 'clock' | 'contexts' | 'changed'>,
    private readonly states: (extensions: string[], at: number) => Promise<Map<string, ExtensionState>>,
    private readonly orgTimeZone: string,
  ) {}

  async pageUsers(query: UserPageQuery): Promise<Page<ConsoleUser> & { now: number; org: Org }> {
    const now = this.d.clock();
    const page = await this.d.store.pageUsers(query);
    const extensions = [...new Set(page.items.map((u) => u.extension).filter((e): e is string => e !== null))];
    const [states, deliveries, calendars, org] = await Promise.all([
      extensions.length > 0 ? this.states(extensions, now) : Promise.resolve(new Map<string, ExtensionState>()),
      this.d.store.switchStatesFor(extensions),
      this.d.store.calendarSyncFor(page.items),
      this.d.contexts.org(),
    ]);
    const delivery = new Map(deliveries.map((r) => [r.extension, r]));
    const calendar = new Map(calendars.map((r) => [userKey(r), r]));
    return {
      now,
      org,
      total: page.total,
      items: page.items.map((user) => ({
        user,
        state: user.extension ? (states.get(user.extension)?.state ?? null) : null,
        delivery: user.extension ? (delivery.get(user.extension) ?? null) : null,
        calendar: calendar.get(userKey(user)) ?? null,
      })),
    };
  }

  /** Takes a user off their extension; the user, their settings and activities stay. */
  async unlinkUser(k: UserKey): Promise<UserRow> {
    const before = await this.d.store.getUser(k);
    if (!before) throw new NotFoundError('The user');
    const row = await this.d.store.unlinkUser(k, this.d.clock());
    this.d.contexts.forgetUser(k);
    this.d.changed(before.extension);
    return row;
  }

  pageDeliveries(query: DeliveryPageQuery): Promise<Page<SwitchStateRow>> {
    return this.d.store.pageSwitchStates(query);
  }

  /** Every delivery not made whose last attempt failed is tried again now; their extensions. */
  retryFailedDeliveries(): Promise<string[]> {
    return this.d.store.retryFailedDeliveries();
  }

  /**
   * What a sample booking would do under a draft organisation document, before it is saved: the
   * draft is checked as PUT /admin/org checks it (a fault names its field, `org.catalog[0].mex`),
   * the user is a plain one with the draft's default settings (or `settings` given).
   */
  previewOrg(draft: unknown, booking: unknown, settings: unknown): { resolution: Resolution; language: 'sv' | 'en' } {
    if (!isObject(draft)) throw new ValidationError('org', 'must be an object');
    const org = buildOrg({ timeZone: this.orgTimeZone, ...draft }, 'org');
    const merged = mergeSettings(settings ?? undefined, org.settings, org.catalog, 'settings');
    const ctx: UserContext = {
      user: { tid: '', oid: '', displayName: null, upn: null, mail: null, extension: null, shared: false, createdAt: 0, updatedAt: 0 },
      org,
      settings: merged,
      profile: mergeProfile(undefined, org.profile, 'profile'),
    };
    return { resolution: resolveBooking(parseBooking(booking), resolveContext(ctx)), language: merged.language };
  }
}
