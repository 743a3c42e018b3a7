/**
 * The real endpoint as a child process (`kalenderkoppling serve`, built in dist/), for tests
 * over loopback HTTP: start it, stop it gracefully, or kill it with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadOrCreateDevKey, signDevToken } from '../../src/server/auth/dev';
import { loadConfig } from '../../src/server/config';
import { CLI } from './cli';

export interface Endpoint {
  child: ChildProcess;
  url: string;
  output: () => string;
}

export interface StartOptions {
  timeoutMs?: number;
  /** What to wait for; default the "listening on" line, whole (a port split across two chunks must not be read short). */
  ready?: RegExp;
  /** Run under this umask (e.g. "000"), through sh. */
  umask?: string;
}

/** A command line of the CLI, under `umask` when given (sh sets it, then execs node). */
export function cliCommand(args: string[], umask?: string): [string, string[]] {
  return umask === undefined ? [process.execPath, [CLI, ...args]] : ['sh', ['-c', `umask ${umask}; exec "$0" "$@"`, process.execPath, CLI, ...args]];
}

/** Starts `serve` and resolves once its output matches `ready`. */
export function startEndpoint(env: Record<string, string>, opts: StartOptions = {}): Promise<Endpoint> {
  const { timeoutMs = 20_000, ready = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/ } = opts;
  return new Promise((resolve, reject) => {
    const [command, args] = cliCommand(['serve'], opts.umask);
    const child = spawn(command, args, { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        resolve({ child, url: m[1] ?? '', output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
}

/** SIGTERM (graceful) or SIGKILL; resolves with the exit code (null when killed by a signal). */
export function stopEndpoint(e: Endpoint, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    e.child.removeAllListeners('exit');
    if (e.child.exitCode !== null || e.child.signalCode !== null) return resolve(e.child.exitCode);
    e.child.once('exit', (code) => resolve(code));
    e.child.kill(signal);
  });
}

/** Polls `cond` every `everyMs` (default 50) until it holds or `ms` pass; returns whether it held. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, everyMs = 50): Promise<boolean> {
  const stop = Date.now() + ms;
  while (Date.now() < stop) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return cond();
}

/** Development tokens signed with the key in `dataDir` (the one the endpoint checks against), cached per user. */
export async function devTokens(dataDir: string): Promise<(user: string, admin?: boolean) => Promise<string>> {
  const key = await loadOrCreateDevKey(dataDir);
  const { scope } = loadConfig({ DATA_DIR: dataDir }).auth;
  const cache = new Map<string, string>();
  return async (user: string, admin = false) => {
    const k = `${user}:${admin}`;
    if (!cache.has(k)) cache.set(k, await signDevToken(key, { user, admin, scope }));
    return cache.get(k)!;
  };
}

/** One API call with a bearer token; a status of 300 or more throws with the answer's text. */
export async function callEndpoint(e: Endpoint, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}
