/**
 * The endpoint's API v1 as the task pane uses it (docs/api.md). A token provider is injected;
 * failures become EndpointError with a kind the status line can say in plain words.
 */
import type { Static } from 'typebox';
import type { CalendarSettings, ContactProfile } from '../../core/settings';

export type EndpointErrorKind = 'notConnected' | 'notSignedIn' | 'notLinked' | 'invalid' | 'server';

export class EndpointError extends Error {
  constructor(
    readonly kind: EndpointErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

// The shapes are the endpoint's response schemas (src/server/http/schemas): type-only imports,
// so nothing of the server reaches the pane's bundle.
export type { MeJson as Me, CatalogCodeJson as CatalogCode, ActivityJson, QuickChoiceJson as QuickChoice, BookingPutJson as BookingPut } from '../../server/http/schemas';
import type { ActivityJson, BookingPutJson, CatalogJson, MeJson, NewActivity, QuickChoiceJson } from '../../server/http/schemas';

export type TokenProvider = () => Promise<string | null>;

export class EndpointClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: TokenProvider,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.token();
    if (!token) throw new EndpointError('notSignedIn', 'not signed in');
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new EndpointError('notConnected', 'the endpoint cannot be reached');
    }
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as { detail?: string; field?: unknown } | null;
    if (res.ok) return data as T;
    const detail = data?.detail ?? `HTTP ${res.status}`;
    let error: EndpointError;
    if (res.status === 401) error = new EndpointError('notSignedIn', detail, 401);
    else if (res.status === 403 && /linked/i.test(detail)) error = new EndpointError('notLinked', detail, 403);
    else if (res.status >= 400 && res.status < 500) error = new EndpointError('invalid', detail, res.status);
    else error = new EndpointError('server', detail, res.status);
    // A problem document that names the input at fault: the forms show their message by that input.
    throw typeof data?.field === 'string' ? new EndpointFieldError(error, data.field) : error;
  }

  me = () => this.call<MeJson>('GET', '/api/v1/me');
  settings = () => this.call<CalendarSettings>('GET', '/api/v1/me/settings');
  putSettings = (s: CalendarSettings) => this.call<CalendarSettings>('PUT', '/api/v1/me/settings', s);
  profile = () => this.call<ContactProfile>('GET', '/api/v1/me/profile');
  putProfile = (p: ContactProfile) => this.call<ContactProfile>('PUT', '/api/v1/me/profile', p);
  catalog = () => this.call<CatalogJson>('GET', '/api/v1/catalog');
  quick = () => this.call<QuickChoiceJson[]>('GET', '/api/v1/me/quick');
  activateQuick = (i: number) => this.call<ActivityJson>('POST', `/api/v1/me/quick/${i}/activate`, {});
  activities = (window?: { from: number; to: number }) =>
    this.call<{ activities: ActivityJson[] }>(
      'GET',
      window ? `/api/v1/me/activities?from=${new Date(window.from).toISOString()}&to=${new Date(window.to).toISOString()}` : '/api/v1/me/activities',
    );
  deleteActivity = (id: string) => this.call<void>('DELETE', `/api/v1/me/activities/${encodeURIComponent(id)}`);
  putBooking = (restId: string, booking: unknown) => this.call<BookingPutJson>('PUT', `/api/v1/me/bookings/${encodeURIComponent(restId)}`, booking);
  /** The endpoint's calendar activity for a booking, looked up around the booking's time. */
  activityStored = (restId: string, from: number, to: number) =>
    this.activities({ from: from - 60_000, to: Math.max(to, from + 60_000) + 60_000 }).then((r) => r.activities.find((a) => a.id === `cal:${restId}`) ?? null);

  // Aktiviteter (tracker issue 12).
  /** Ny aktivitet / Ny återkommande aktivitet → 201 with the activity; a 400 names the input at fault (EndpointFieldError). */
  createActivity = (body: NewActivityBody) => this.call<ActivityJson>('POST', '/api/v1/me/activities', body);
  /** Ta bort a whole recurring rule (`rec:<ruleId>`); one occurrence is deleteActivity(`rec:<ruleId>:<start ms>`). */
  deleteRecurringRule = (ruleId: string) => this.deleteActivity(`rec:${ruleId}`);

  // Snabbval editor and Kollegor (tracker issue 12).
  /** Replaces the whole list of quick choices (at most 8); a 400 names the choice at fault in `field`. */
  putQuick = (list: readonly QuickChoiceJson[]) => this.call<QuickChoiceJson[]>('PUT', '/api/v1/me/quick', list);
  /** Colleagues whose name or extension matches `q` (at least 2 characters), with what the directory shows. */
  colleagues = (q: string) => this.call<ColleaguesJson>('GET', `/api/v1/colleagues?q=${encodeURIComponent(q)}`);

  // Inställningar (tracker issue 12).
  /** Kalender and Kontaktprofiler in one save, all or nothing; a 400 names the input at fault (`profile.lunch.number`). */
  putPreferences = (prefs: Preferences) => this.call<Preferences>('PUT', '/api/v1/me/preferences', prefs);

  // Bookings that will not divert (issue 14).
  /** The coming 14 days' bookings that will not divert (near misses; private/free/tentative with a code), sorted by start, at most 100. */
  problems = () => this.call<ProblemsAnswer>('GET', '/api/v1/me/problems');
}

/** An EndpointError whose problem document named the input at fault (`field`, e.g. "[2].length.minutes"). */
export class EndpointFieldError extends EndpointError {
  constructor(
    cause: EndpointError,
    readonly field: string,
  ) {
    super(cause.kind, cause.message, cause.status);
    this.name = 'EndpointFieldError';
  }
}

// Issue 12's shapes: the endpoint's schemas (type-only, as above).
export type { ColleagueJson, ColleaguesJson } from '../../server/http/schemas';
import type { ColleaguesJson } from '../../server/http/schemas';
/** Standardlängd of a quick choice; `{"until"}` is Slutdatum (an instant). */
export type QuickLength = QuickChoiceJson['length'];

// Aktiviteter and Inställningar (tracker issue 12).
/** A manual or recurring activity as POST /me/activities takes it (the endpoint's NewActivity schema). */
export type NewActivityBody = Static<typeof NewActivity>;
/** Kalender and Kontaktprofiler saved together (PUT /me/preferences): the endpoint's schema type. */
export type { PreferencesJson as Preferences } from '../../server/http/schemas';
import type { PreferencesJson as Preferences } from '../../server/http/schemas';

// Issue 14's shapes: the endpoint's schemas (type-only, as above).
export type { BookingProblemJson, ProblemsAnswerJson as ProblemsAnswer } from '../../server/http/schemas';
import type { ProblemsAnswerJson as ProblemsAnswer } from '../../server/http/schemas';
