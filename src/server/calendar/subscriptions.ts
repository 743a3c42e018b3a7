/**
 * Graph change-notification subscriptions of the users' events (issue 6): created with a random
 * clientState the notification route checks, renewed a day before they expire, recreated when
 * Graph no longer has them. Failures are recorded on the user's sync row for the admin view.
 */
import { randomBytes } from 'node:crypto';
import type { Log } from '../runtime';
import type { CalendarSyncRow, Store, UserKey, UserRow } from '../store/types';
import type { GraphConfig } from './config';
import { describe, type GraphClient, GraphError } from './graph-client';

/** Outlook event subscriptions live at most about 3 days in Graph v1.0; ask for a little less. */
export const SUBSCRIPTION_MINUTES = 4_200;
/** Renew when less than this is left (polling runs far more often). */
export const RENEW_BEFORE_MS = 24 * 3_600_000;

export interface SubscriptionDeps {
  client: GraphClient;
  store: Store;
  config: GraphConfig;
  clock: () => number;
  log: Log;
}

export class Subscriptions {
  constructor(private readonly d: SubscriptionDeps) {}

  /** Creates the user's subscription, or renews it when it expires within a day. */
  async ensure(user: UserRow, known?: CalendarSyncRow | null): Promise<void> {
    if (!this.d.config.notificationUrl) return;
    const row = known !== undefined ? known : await this.d.store.getCalendarSync(user);
    const now = this.d.clock();
    if (row?.subscriptionId && (row.subscriptionExpiresAt ?? 0) - now > RENEW_BEFORE_MS) return;
    if (row?.subscriptionId) await this.renew(row);
    else await this.create(user);
  }

  private expiry(): string {
    return new Date(this.d.clock() + SUBSCRIPTION_MINUTES * 60_000).toISOString();
  }

  async create(user: UserKey): Promise<void> {
    const { client, config, store, log } = this.d;
    const clientState = randomBytes(24).toString('base64url');
    try {
      const res = await client.request(user.oid, 'POST', `${config.baseUrl}/subscriptions`, {
        body: {
          changeType: 'created,updated,deleted',
          notificationUrl: config.notificationUrl,
          lifecycleNotificationUrl: config.notificationUrl,
          resource: `/users/${user.oid}/events`,
          expirationDateTime: this.expiry(),
          clientState,
        },
      });
      const body = res.body as { id?: unknown; expirationDateTime?: unknown };
      if (typeof body?.id !== 'string') throw new GraphError(res.status, 'invalidResponse', 'subscription without id');
      const expires = typeof body.expirationDateTime === 'string' ? Date.parse(body.expirationDateTime) : Date.parse(this.expiry());
      await store.patchCalendarSync(user, { subscriptionId: body.id, subscriptionExpiresAt: expires, clientState }, this.d.clock());
      log.info({ oid: user.oid }, 'calendar subscription created');
    } catch (err) {
      log.warn({ oid: user.oid, error: describe(err) }, 'calendar subscription failed');
      const now = this.d.clock();
      await store.patchCalendarSync(user, { lastError: `subscription: ${describe(err)}`, lastErrorAt: now }, now);
      throw err;
    }
  }

  async renew(row: CalendarSyncRow): Promise<void> {
    const { client, config, store } = this.d;
    if (!row.subscriptionId) return this.create(row);
    try {
      const res = await client.request(row.oid, 'PATCH', `${config.baseUrl}/subscriptions/${encodeURIComponent(row.subscriptionId)}`, { body: { expirationDateTime: this.expiry() } });
      const body = res.body as { expirationDateTime?: unknown };
      const expires = typeof body?.expirationDateTime === 'string' ? Date.parse(body.expirationDateTime) : Date.parse(this.expiry());
      await store.patchCalendarSync(row, { subscriptionExpiresAt: expires }, this.d.clock());
    } catch (err) {
      // Gone (expired or removed): make a new one.
      if (err instanceof GraphError && err.status === 404) {
        await store.patchCalendarSync(row, { subscriptionId: null, subscriptionExpiresAt: null, clientState: null }, this.d.clock());
        return this.create(row);
      }
      throw err;
    }
  }
}
