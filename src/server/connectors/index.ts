/**
 * The connector registry: CONNECTOR names one, and its settings are validated at start.
 */
import type { Config } from '../config';
import type { Store } from '../store/types';
import { JournalConnector } from './journal';
import type { SwitchConnector } from './types';
import { WebhookConnector } from './webhook';

export type ConnectorFactory = (config: Config, deps: { store: Store; clock: () => number }) => SwitchConnector;

export const CONNECTORS: Record<Config['connector']['name'], ConnectorFactory> = {
  journal: (_config, { store, clock }) => new JournalConnector(store, clock),
  webhook: (config) => {
    const c = config.connector;
    if (c.name !== 'webhook') throw new Error('webhook connector without its configuration');
    return new WebhookConnector({ url: c.url, secret: c.secret, timeoutMs: c.timeoutMs });
  },
};

export function makeConnector(config: Config, deps: { store: Store; clock: () => number }): SwitchConnector {
  return CONNECTORS[config.connector.name](config, deps);
}
