/**
 * The webhook connector's settings (CONNECTOR=webhook): its variables, merged into config.ts's
 * one schema through the registry (../index.ts), and their checks at start.
 */
import { type Static, type TObject, Type } from 'typebox';
import { type ConfigFail, httpUrl } from '../../config-url';

export const WEBHOOK_ENV = {
  WEBHOOK_URL: Type.String({ default: '', expected: 'the receiver, an http(s) URL' }),
  WEBHOOK_SECRET: Type.String({ default: '', expected: 'the HMAC secret, at least 16 characters' }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000, expected: 'milliseconds, 100–120000' }),
  WEBHOOK_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 1_000, default: 1, expected: 'deliveries per POST, 1–1000 (1: one per POST)' }),
};

export type WebhookEnv = Static<TObject<typeof WEBHOOK_ENV>>;

/** Config.connector with CONNECTOR=webhook. */
export interface WebhookSettings {
  name: 'webhook';
  url: string;
  secret: string;
  timeoutMs: number;
  batchSize: number;
}

export function webhookConfig(e: WebhookEnv, fail: ConfigFail): WebhookSettings {
  if (e.WEBHOOK_URL === '') throw fail('WEBHOOK_URL', 'is required with CONNECTOR=webhook: the receiver, an http(s) URL');
  const url = httpUrl('WEBHOOK_URL', e.WEBHOOK_URL, fail);
  if (e.WEBHOOK_SECRET.length < 16) throw fail('WEBHOOK_SECRET', 'is required with CONNECTOR=webhook and must be at least 16 characters');
  return { name: 'webhook', url, secret: e.WEBHOOK_SECRET, timeoutMs: e.WEBHOOK_TIMEOUT_MS, batchSize: e.WEBHOOK_BATCH_SIZE };
}
