/**
 * The http(s) URL check of the configuration, shared by config.ts, calendar/config.ts and the
 * connectors' settings. It imports nothing, so any of them can use it without an import cycle.
 */

/** Builds the error for a bad variable (config.ts passes one that makes a ConfigError). */
export type ConfigFail = (variable: string, detail: string) => Error;

/** `value` as an http(s) URL without trailing slashes; otherwise throws `fail(variable, …)`. */
export function httpUrl(variable: string, value: string, fail: ConfigFail): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return value.replace(/\/+$/, '');
  } catch {
    throw fail(variable, `must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A URL a cloud service posts notifications to (Graph, Google): https, or plain http on loopback
 * for local tests; otherwise throws `fail(variable, …)`.
 */
export function notificationUrl(variable: string, value: string, fail: ConfigFail): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw fail(variable, `must be an https URL (got ${JSON.stringify(value)})`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw fail(variable, `must be an https URL (got ${JSON.stringify(value)})`);
  }
  return u.toString();
}
