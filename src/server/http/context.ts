/**
 * What the HTTP layer's plugins are given: the use cases (Service), the configuration, metrics,
 * and the background workers. Its own module, so no route file imports the app factory.
 */
import type { Counter, Registry } from 'prom-client';
import type { GoogleCalendarSync } from '../calendar/google/sync';
import type { CalendarSync } from '../calendar/sync';
import type { Config } from '../config';
import type { DirectorySync } from '../directory/sync';
import type { DirectoryLookup } from '../directory/types';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';

export interface HttpContext {
  service: Service;
  config: Config;
  metrics: { bookings: Counter<'outcome'> };
  /** The scheduler and outbox, when the app has a connector. */
  scheduler: Scheduler | null;
  /** Calendar sync through Microsoft Graph, when configured. */
  calendar: CalendarSync | null;
  /** Calendar sync through Google Calendar (issue 17), when configured. */
  google: GoogleCalendarSync | null;
  /** The Prometheus registry /metrics shows. */
  registry: Registry;
  /** Whether the database answers (/readyz). */
  ping: () => Promise<boolean>;
  /** The organisation's directory (Graph), for the CSV import's UPN/e-mail lookups; null: not configured. */
  directory: DirectoryLookup | null;
  /** Linking users from the directory; null: Graph is not configured. */
  directorySync: DirectorySync | null;
}
