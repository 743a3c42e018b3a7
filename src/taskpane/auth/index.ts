/**
 * Sign-in for the task pane. Order: a development token from the endpoint (only offered when it
 * runs with development sign-in on loopback), then nested app authentication (NestedAppAuth 1.1,
 * msal-browser loaded on demand as its own chunk so it never delays the first preview).
 * Never edits the DOM; never logs tokens.
 */
import type { AddinConfigJson, DevTokenJson } from '../../server/http/schemas';

/** /addin/config.json, as the endpoint's schema declares it (type-only import). */
export type AddinConfig = AddinConfigJson;

export const NO_CONFIG: AddinConfig = { devSignIn: false, clientId: null, scope: null, authority: null };

export async function loadAddinConfig(baseUrl: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<AddinConfig | null> {
  try {
    const res = await fetchFn(`${baseUrl}/addin/config.json`, { cache: 'no-store' });
    if (!res.ok) return null;
    return { ...NO_CONFIG, ...((await res.json()) as Partial<AddinConfig>) };
  } catch {
    return null;
  }
}

export interface TokenSource {
  token(): Promise<string | null>;
}

/** A development token (AUTH_MODE=dev on loopback), fetched once and kept in memory. */
export function devTokenSource(baseUrl: string, user = 'dev.user', extension?: string, fetchFn: typeof fetch = (...a) => fetch(...a)): TokenSource {
  let cached: Promise<string | null> | null = null;
  return {
    token() {
      cached ??= fetchFn(`${baseUrl}/addin/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(extension ? { user, extension } : { user }),
      })
        .then(async (r) => (r.ok ? ((await r.json()) as DevTokenJson).token : null))
        .catch(() => null);
      return cached;
    },
  };
}

/** Nested app authentication; the msal-browser chunk is imported on the first call only. */
export function naaTokenSource(clientId: string, scope: string, authority: string | null = null): TokenSource {
  let client: Promise<{ token(): Promise<string | null> }> | null = null;
  return {
    async token() {
      client ??= import(/* webpackChunkName: "msal" */ './naa').then((m) => m.createNaaClient(clientId, scope, authority));
      return (await client).token();
    },
  };
}

/** The Office dialog fallback: one sign-in, the token kept in memory for the pane's life. */
export function dialogTokenSource(open: () => Promise<string | null>): TokenSource {
  let cached: string | null = null;
  return {
    async token() {
      cached ??= await open();
      return cached;
    },
  };
}

export interface SignInAbilities {
  naa: boolean;
  /** Opens the Office dialog sign-in; absent where the Dialog API is missing (or in the harness). */
  dialog?: () => Promise<string | null>;
}

export function tokenSourceFor(baseUrl: string, config: AddinConfig, can: SignInAbilities, dev?: { user?: string; extension?: string }): TokenSource | null {
  if (config.devSignIn) return devTokenSource(baseUrl, dev?.user, dev?.extension);
  if (!config.clientId || !config.scope) return null;
  if (can.naa) return naaTokenSource(config.clientId, config.scope, config.authority ?? null);
  if (can.dialog) return dialogTokenSource(can.dialog);
  return null;
}
