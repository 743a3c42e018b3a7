/**
 * Mounting the pane: the endpoint client (when the endpoint answers and sign-in is possible) is
 * set up in the background, so the first preview never waits for the network or for MSAL.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang } from '../core/catalog';
import { EndpointClient, type Me } from './api/client';
import { loadAddinConfig, type SignInAbilities, tokenSourceFor } from './auth';
import { App, type SignInProblem } from './components/App';
import type { AppointmentPort } from './port';
import type { PaneContext } from './usePane';

export interface BootOptions {
  port: AppointmentPort;
  lang: Lang;
  /** The endpoint's base URL ('' = the page's own origin); null: run without the endpoint. */
  baseUrl: string | null;
  signIn: SignInAbilities;
  /** Development sign-in: the user, and the extension to link them to. */
  dev?: { user?: string; extension?: string };
  /**
   * Told the pane's context (the user's rules, the catalog, the working day) each time it changes
   * once the endpoint has answered (connection 'connected'); never with the organisation defaults.
   */
  onContext?: (ctx: PaneContext, me: Me | null) => void;
}

/**
 * When development sign-in gives no token, ask once more to learn why: a 400 means the endpoint
 * refused the user id or the extension (the pane says which); anything else stays "not connected".
 */
async function devRefusal(base: string, dev: BootOptions['dev']): Promise<SignInProblem | null> {
  const user = dev?.user ?? 'dev.user';
  try {
    const res = await fetch(`${base}/addin/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(dev?.extension ? { user, extension: dev.extension } : { user }),
    });
    const body = (await res.json().catch(() => null)) as { field?: string } | null;
    if (res.status !== 400) return null;
    return body?.field === 'extension' ? { kind: 'devExtensionRefused', extension: dev?.extension ?? '' } : { kind: 'devUserRefused', user };
  } catch {
    return null;
  }
}

function Root({ opts }: { opts: BootOptions }) {
  const [client, setClient] = React.useState<EndpointClient | null | undefined>(undefined);
  const [problem, setProblem] = React.useState<SignInProblem | null>(null);
  React.useEffect(() => {
    let gone = false;
    const base = opts.baseUrl;
    if (base === null) {
      setClient(null);
      return;
    }
    void loadAddinConfig(base).then((config) => {
      const source = config ? tokenSourceFor(base, config, opts.signIn, opts.dev) : null;
      if (gone) return;
      setClient(source ? new EndpointClient(base, () => source.token()) : null);
      if (source && config?.devSignIn) {
        void source.token().then(async (token) => {
          const why = token ? null : await devRefusal(base, opts.dev);
          if (!gone && why) setProblem(why);
        });
      }
    });
    return () => {
      gone = true;
    };
  }, [opts]);
  // Until the config is known the pane renders with no client (organisation defaults), then
  // re-keys once so the hook starts connecting.
  return <App key={client === undefined ? 'boot' : 'ready'} port={opts.port} client={client ?? null} lang={opts.lang} signInProblem={problem} onContext={opts.onContext} />;
}

export function boot(container: HTMLElement, opts: BootOptions): void {
  createRoot(container).render(<Root opts={opts} />);
}
