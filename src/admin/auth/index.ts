/**
 * Sign-in for the console. GET /admin/config.json says which: development sign-in (a form that
 * asks POST /addin/dev/token for a token, kept in memory and in sessionStorage for the tab's
 * life), or Entra ID with the MSAL redirect flow (msal-browser loaded on demand as its own
 * chunk). Never edits the DOM outside React; never logs tokens.
 */
import { AdminError, kindOf } from '../api';
import type { ConsoleConfig } from '../types';
import type { EntraSignIn, Session } from './session';

export type { EntraSignIn, Session } from './session';

export const NO_CONFIG: ConsoleConfig = { devSignIn: false, clientId: null, scope: null, authority: null };
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com/organizations';
const DEV_TOKEN_KEY = 'kk-admin-dev-token';

export async function loadConsoleConfig(baseUrl: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<ConsoleConfig | null> {
  try {
    const res = await fetchFn(`${baseUrl}/admin/config.json`, { cache: 'no-store' });
    if (!res.ok) return null;
    return { ...NO_CONFIG, ...((await res.json()) as Partial<ConsoleConfig>) };
  } catch {
    return null;
  }
}

/** POST /addin/dev/token {user, admin}; a 400 becomes an AdminError naming the field at fault. */
export async function devToken(baseUrl: string, user: string, admin: boolean, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<string> {
  let res: Response;
  try {
    res = await fetchFn(`${baseUrl}/addin/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, admin }),
    });
  } catch {
    throw new AdminError('notConnected', 0, 'the endpoint cannot be reached');
  }
  const data = (await res.json().catch(() => null)) as { token?: unknown; detail?: unknown; field?: unknown } | null;
  if (res.ok && typeof data?.token === 'string') return data.token;
  const status = res.ok ? 500 : res.status;
  throw new AdminError(kindOf(status), status, typeof data?.detail === 'string' ? data.detail : `HTTP ${status}`, typeof data?.field === 'string' ? data.field : null);
}

function sessionStore(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** A development token in memory; sessionStorage keeps it across a reload of the same tab (development only). */
export function devSession(token: string, storage: Storage | null = sessionStore()): Session {
  let current: string | null = token;
  try {
    storage?.setItem(DEV_TOKEN_KEY, token);
  } catch {
    // Storage refused: memory only.
  }
  return {
    token: async () => current,
    async signOut() {
      current = null;
      try {
        storage?.removeItem(DEV_TOKEN_KEY);
      } catch {
        // nothing kept
      }
    },
  };
}

/** The development token a reload of this tab left in sessionStorage, if any. */
export function storedDevSession(storage: Storage | null = sessionStore()): Session | null {
  let token: string | null = null;
  try {
    token = storage?.getItem(DEV_TOKEN_KEY) ?? null;
  } catch {
    token = null;
  }
  return token ? devSession(token, storage) : null;
}

export function forgetDevSession(storage: Storage | null = sessionStore()): void {
  try {
    storage?.removeItem(DEV_TOKEN_KEY);
  } catch {
    // nothing kept
  }
}

let entra: { key: string; value: Promise<EntraSignIn> } | null = null;

/**
 * Loads msal-browser (own chunk), finishes a redirect that came back, and says whether someone is
 * signed in. Once per page and configuration: MSAL's redirect result may be handled only once.
 */
export async function entraSignIn(config: ConsoleConfig, redirectUri: string): Promise<EntraSignIn | null> {
  if (!config.clientId || !config.scope) return null;
  const options = { clientId: config.clientId, scope: config.scope, authority: config.authority ?? DEFAULT_AUTHORITY, redirectUri };
  const key = JSON.stringify(options);
  if (entra?.key !== key) {
    const value = import(/* webpackChunkName: "msal" */ './msal').then((m) => m.createRedirectSignIn(options));
    entra = { key, value };
    value.catch(() => {
      if (entra?.value === value) entra = null;
    });
  }
  return entra.value;
}
