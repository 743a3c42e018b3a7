/**
 * The pane's rules for the launch-event handlers (issue 14): after the endpoint answered, the
 * pane's context is cached in Office roamingSettings (per user and add-in, roamed with the
 * mailbox, 32 KB), so the information bar of a new appointment needs no network call. Written
 * only when it changed, so a pane that stays open does not save on every render.
 */
import { LAUNCH_CACHE_KEY, launchCacheOf } from '../../commands/launch';
import type { PaneContext } from '../usePane';

export function saveLaunchCache(ctx: PaneContext, office: typeof Office = Office, now = Date.now()): boolean {
  const rs = office.context?.roamingSettings;
  if (!rs) return false;
  const { savedAt: _unused, ...fresh } = launchCacheOf(ctx, now);
  let previous: unknown = null;
  try {
    const raw = rs.get(LAUNCH_CACHE_KEY);
    const parsed = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : null;
    if (parsed) {
      delete parsed.savedAt;
      previous = JSON.stringify(parsed);
    }
  } catch {
    previous = null;
  }
  if (previous === JSON.stringify(fresh)) return false;
  rs.set(LAUNCH_CACHE_KEY, JSON.stringify({ ...fresh, savedAt: now }));
  rs.saveAsync(() => undefined);
  return true;
}
