/** How calendar sync is going per linked user, for GET /api/v1/admin/calendar. */
import { userKey } from '../runtime';
import type { CalendarSyncRow, UserRow } from '../store/types';

export interface CalendarStatus {
  oid: string;
  extension: string | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lagSeconds: number | null;
  lastRoundLagMs: number | null;
  windowStart: number | null;
  windowEnd: number | null;
  subscriptionActive: boolean;
  subscriptionExpiresAt: number | null;
  /** The process reading this user's calendar now (issue 18; null: none holds the lease at the moment). */
  process: string | null;
}

export function calendarStatus(users: readonly UserRow[], rows: readonly CalendarSyncRow[], now: number, holder: (u: UserRow) => string | null = () => null): CalendarStatus[] {
  const byKey = new Map(rows.map((r) => [userKey(r), r]));
  return users.map((u) => {
    const r = byKey.get(userKey(u));
    return {
      oid: u.oid,
      extension: u.extension,
      lastSuccessAt: r?.lastSuccessAt ?? null,
      lastError: r?.lastError ?? null,
      lastErrorAt: r?.lastErrorAt ?? null,
      lagSeconds: r?.lastSuccessAt != null ? Math.max(0, Math.round((now - r.lastSuccessAt) / 1000)) : null,
      lastRoundLagMs: r?.lagMs ?? null,
      windowStart: r?.windowStart ?? null,
      windowEnd: r?.windowEnd ?? null,
      subscriptionActive: Boolean(r?.subscriptionId && (r.subscriptionExpiresAt ?? 0) > now),
      subscriptionExpiresAt: r?.subscriptionExpiresAt ?? null,
      process: holder(u),
    };
  });
}
