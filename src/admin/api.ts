/**
 * The admin API as the console calls it (issue 13's contract): a bearer token from the injected
 * provider, JSON in and out, and every failure an AdminError carrying the status and the
 * problem document's `field`, so forms can put their message by the input at fault. A 401 and a
 * 403 are also reported to the app (sign in again; Ingen åtkomst) before the error is thrown.
 */
import type {
  AdminCatalogCode,
  AdminPreview,
  AdminUser,
  AdminUsersPage,
  CalendarStatus,
  DeliveriesPage,
  DirectoryStatus,
  DirectorySync,
  ImportResult,
  JournalEntry,
  Me,
  OrgAnswer,
  OrgDocument,
  PreviewBooking,
  RetryAllAnswer,
  UserLink,
} from './types';

export type AdminErrorKind = 'notConnected' | 'notSignedIn' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'tooLarge' | 'server';

export class AdminError extends Error {
  constructor(
    readonly kind: AdminErrorKind,
    /** The HTTP status; 0 when the endpoint could not be reached. */
    readonly status: number,
    /** The problem document's `detail` (English, for logs and developers; never shown as a field message). */
    readonly detail: string,
    /** The input at fault, as the problem document names it (`body.extension`, `org.catalog[2].mex`). */
    readonly field: string | null = null,
  ) {
    super(detail);
    this.name = 'AdminError';
  }
}

export function kindOf(status: number): AdminErrorKind {
  if (status === 401) return 'notSignedIn';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 413) return 'tooLarge';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
}

export type TokenProvider = () => Promise<string | null>;

export interface AdminClientEvents {
  /** A route answered 403: the signed-in user lacks the Admin app role. */
  onForbidden?: () => void;
  /** A route answered 401: the token is gone or expired. */
  onUnauthorized?: () => void;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function qs(q: Query): string {
  const parts = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const seg = encodeURIComponent;

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: TokenProvider,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
    private readonly events: AdminClientEvents = {},
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.token();
    if (!token) {
      this.events.onUnauthorized?.();
      throw new AdminError('notSignedIn', 401, 'not signed in');
    }
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new AdminError('notConnected', 0, 'the endpoint cannot be reached');
    }
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as { detail?: unknown; field?: unknown } | null;
    if (res.ok) return data as T;
    if (res.status === 403) this.events.onForbidden?.();
    if (res.status === 401) this.events.onUnauthorized?.();
    const detail = typeof data?.detail === 'string' ? data.detail : `HTTP ${res.status}`;
    throw new AdminError(kindOf(res.status), res.status, detail, typeof data?.field === 'string' ? data.field : null);
  }

  me = () => this.call<Me>('GET', '/api/v1/me');

  // Användare och anknytningar
  users = (q: { q?: string; offset?: number; limit?: number; linked?: 'any' | 'linked' | 'unlinked'; failed?: boolean }) =>
    this.call<AdminUsersPage>('GET', `/api/v1/admin/users${qs(q)}`);
  putUser = (oid: string, link: UserLink) => this.call<AdminUser>('PUT', `/api/v1/admin/users/${seg(oid)}`, link);
  unlinkUser = (oid: string) => this.call<AdminUser>('DELETE', `/api/v1/admin/users/${seg(oid)}/extension`);

  // Import
  importUsers = (csv: string, dryRun: boolean) => this.call<ImportResult>('POST', '/api/v1/admin/users/import', { csv, dryRun });

  // Leveranser
  deliveries = (q: { extension?: string; failed?: boolean; offset?: number; limit?: number }) =>
    this.call<DeliveriesPage>('GET', `/api/v1/admin/deliveries${qs({ ...q, failed: q.failed ? true : undefined })}`);
  retryDelivery = (extension: string) => this.call<{ extension: string; retrying: boolean }>('POST', `/api/v1/admin/deliveries/${seg(extension)}/retry`, {});
  retryFailed = () => this.call<RetryAllAnswer>('POST', '/api/v1/admin/deliveries/retry', {});

  // Kalendersynk and the directory
  calendar = () => this.call<CalendarStatus>('GET', '/api/v1/admin/calendar');
  resync = (oid: string) => this.call<{ oid: string; resyncing: boolean }>('POST', `/api/v1/admin/calendar/${seg(oid)}/resync`, {});
  directory = () => this.call<DirectoryStatus>('GET', '/api/v1/admin/directory');
  directorySync = (dryRun: boolean) => this.call<DirectorySync>('POST', '/api/v1/admin/directory/sync', { dryRun });

  // Koder och organisation
  org = () => this.call<OrgAnswer>('GET', '/api/v1/admin/org');
  putOrg = (org: OrgDocument) => this.call<OrgAnswer>('PUT', '/api/v1/admin/org', org);
  catalog = () => this.call<{ codes: AdminCatalogCode[] }>('GET', '/api/v1/admin/catalog');
  previewOrg = (org: OrgDocument, booking: PreviewBooking) => this.call<AdminPreview>('POST', '/api/v1/admin/org/preview', { org, booking });

  // Journal
  journal = (q: { extension?: string; limit?: number }) => this.call<{ entries: JournalEntry[] }>('GET', `/api/v1/admin/switch${qs(q)}`);
}
