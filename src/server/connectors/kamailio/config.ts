/**
 * The Kamailio connector's settings (CONNECTOR=kamailio, SPEC 11): its variables, merged into
 * config.ts's one schema through the registry (../index.ts), and their checks at start.
 */
import { type Static, type TObject, Type } from 'typebox';
import { type ConfigFail, httpUrl } from '../../config-url';

export const KAMAILIO_ENV = {
  KAMAILIO_RPC_URL: Type.String({ default: '', expected: "Kamailio's JSON-RPC endpoint, an http(s) URL such as http://127.0.0.1:5071/RPC" }),
  KAMAILIO_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 5_000, expected: 'milliseconds, 100–120000' }),
  KAMAILIO_TABLE: Type.String({ default: 'kkdiv', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', expected: 'the htable name the Kamailio config reads, letters, digits and _' }),
};

export type KamailioEnv = Static<TObject<typeof KAMAILIO_ENV>>;

/** Config.connector with CONNECTOR=kamailio. */
export interface KamailioSettings {
  name: 'kamailio';
  url: string;
  table: string;
  timeoutMs: number;
}

export function kamailioConfig(e: KamailioEnv, fail: ConfigFail): KamailioSettings {
  if (e.KAMAILIO_RPC_URL === '') throw fail('KAMAILIO_RPC_URL', "is required with CONNECTOR=kamailio: Kamailio's JSON-RPC endpoint, an http(s) URL");
  const url = httpUrl('KAMAILIO_RPC_URL', e.KAMAILIO_RPC_URL, fail);
  return { name: 'kamailio', url, table: e.KAMAILIO_TABLE, timeoutMs: e.KAMAILIO_TIMEOUT_MS };
}
