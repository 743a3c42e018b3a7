/**
 * The connector registry: CONNECTOR names one switch, and each switch's folder brings its own
 * settings (environment variables, TypeBox schema, checks) and its factory. config.ts merges the
 * schemas below into its one schema and asks `connectorSettings` for Config.connector; main.ts
 * makes the connector with `makeConnector`. A new switch: one folder, one line in CONNECTORS
 * (README.md).
 */
import { type Static, type TObject, Type } from 'typebox';
import type { ConfigFail } from '../config-url';
import { JOURNAL } from './journal';
import { KAMAILIO } from './kamailio';
import type { ConnectorDeps, SwitchConnector } from './types';
import { WEBHOOK } from './webhook';

/** name → definition. The first is the default. */
export const CONNECTORS = {
  journal: JOURNAL,
  webhook: WEBHOOK,
  kamailio: KAMAILIO,
};

type Definitions = typeof CONNECTORS;
export type ConnectorName = keyof Definitions;

/** Config.connector: one connector's settings, told apart by `name`. */
export type ConnectorSettings = { [K in ConnectorName]: ReturnType<Definitions[K]['settings']> }[ConnectorName];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type ConnectorsEnv = UnionToIntersection<Definitions[ConnectorName]['env']>;

const NAMES = Object.keys(CONNECTORS) as ConnectorName[];

/** "a", "a" or "b", "a", "b" or "c" … */
const alternatives = (names: readonly string[]) => {
  const quoted = names.map((n) => JSON.stringify(n));
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
};

function mergedEnv(): ConnectorsEnv {
  const merged: Record<string, unknown> = {};
  for (const name of NAMES) {
    for (const [variable, schema] of Object.entries(CONNECTORS[name].env)) {
      // A programming error, caught by any test that loads the configuration.
      if (variable in merged || variable === 'CONNECTOR') throw new Error(`connector ${name}: ${variable} is already declared by another connector`);
      merged[variable] = schema;
    }
  }
  return merged as ConnectorsEnv;
}

/** CONNECTOR and every connector's own variables, for config.ts's schema. */
export const CONNECTOR_ENV = {
  CONNECTOR: Type.Union(
    NAMES.map((n) => Type.Literal(n)),
    { default: NAMES[0], expected: alternatives(NAMES) },
  ),
  ...mergedEnv(),
};

type ConnectorEnv = Static<TObject<typeof CONNECTOR_ENV>>;

/** The chosen connector's settings, checked; throws `fail(variable, detail)` on the first bad one. */
export function connectorSettings(e: ConnectorEnv, fail: ConfigFail): ConnectorSettings {
  const definition = CONNECTORS[e.CONNECTOR as ConnectorName];
  return (definition.settings as (env: ConnectorEnv, fail: ConfigFail) => ConnectorSettings)(e, fail);
}

export function makeConnector(config: { connector: ConnectorSettings }, deps: ConnectorDeps): SwitchConnector {
  const settings = config.connector;
  const definition = CONNECTORS[settings.name];
  return (definition.create as (settings: ConnectorSettings, deps: ConnectorDeps) => SwitchConnector)(settings, deps);
}
