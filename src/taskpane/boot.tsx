/**
 * Mounting the pane: the endpoint client (when the endpoint answers and sign-in is possible) is
 * set up in the background, so the first preview never waits for the network or for MSAL.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang } from '../core/catalog';
import { EndpointClient } from './api/client';
import { loadAddinConfig, type SignInAbilities, tokenSourceFor } from './auth';
import { App } from './components/App';
import type { AppointmentPort } from './port';

export interface BootOptions {
  port: AppointmentPort;
  lang: Lang;
  /** The endpoint's base URL ('' = the page's own origin); null: run without the endpoint. */
  baseUrl: string | null;
  signIn: SignInAbilities;
  /** Development sign-in: the user, and the extension to link them to. */
  dev?: { user?: string; extension?: string };
}

function Root({ opts }: { opts: BootOptions }) {
  const [client, setClient] = React.useState<EndpointClient | null | undefined>(undefined);
  React.useEffect(() => {
    let gone = false;
    const base = opts.baseUrl;
    if (base === null) {
      setClient(null);
      return;
    }
    void loadAddinConfig(base).then((config) => {
      const source = config ? tokenSourceFor(base, config, opts.signIn, opts.dev) : null;
      if (!gone) setClient(source ? new EndpointClient(base, () => source.token()) : null);
    });
    return () => {
      gone = true;
    };
  }, [opts]);
  // Until the config is known the pane renders with no client (organisation defaults), then
  // re-keys once so the hook starts connecting.
  return <App key={client === undefined ? 'boot' : 'ready'} port={opts.port} client={client ?? null} lang={opts.lang} />;
}

export function boot(container: HTMLElement, opts: BootOptions): void {
  createRoot(container).render(<Root opts={opts} />);
}
