/**
 * Issue 15: the real switch for tests. Kamailio from deploy/kamailio (its start script, on free
 * ports, a throwaway runtime folder) and SIPp: UAS processes standing in for the PBX and the
 * announcement service (recording every INVITE they get), and a one-call UAC as the caller.
 *
 * Everything binds 127.0.0.1, every wait is bounded, every process's stdout/stderr is kept for
 * the error messages, and stop() ends what was started (by pid / own process group only).
 * Nothing is skipped: without kamailio or sipp, the helpers throw (CI installs the Debian
 * packages `kamailio` and `sip-tester`).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const KK_KAMAILIO_SCRIPT = join(ROOT, 'deploy', 'kamailio', 'kk-kamailio');
const SIPP_DIR = join(__dirname, 'sipp');
const HOST = '127.0.0.1';
const KEEP = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Tools, ports, processes

/** The kamailio binary the start script will use (PATH, else /usr/sbin). */
export function kamailioBinary(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v kamailio'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  return existsSync('/usr/sbin/kamailio') ? '/usr/sbin/kamailio' : undefined;
}

/** Throws a clear error when kamailio or sipp is not installed (the tests never skip). */
export function requireSwitchTools(): void {
  const missing: string[] = [];
  if (!kamailioBinary()) missing.push('kamailio (Debian package "kamailio")');
  if (spawnSync('sipp', ['-v'], { encoding: 'utf8' }).error) missing.push('sipp (Debian package "sip-tester")');
  if (missing.length) throw new Error(`Kamailio tests need ${missing.join(' and ')} installed`);
}

function bindUdp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind(port, HOST, () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function bindTcp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen(port, HOST, () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : null;
      s.close(() => resolve(p));
    });
  });
}

/** A port free on 127.0.0.1 for both UDP and TCP (the OS picks it for TCP; UDP is checked). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await bindTcp(0);
    if (p !== null && (await bindUdp(p)) !== null) return p;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}

/** A free UDP port on 127.0.0.1. */
export async function freeUdpPort(): Promise<number> {
  const p = await bindUdp(0);
  if (p === null) throw new Error('no free UDP port on 127.0.0.1');
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process with its output kept (the last 64 KiB of each stream). */
interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
  exitCode: () => number | null | undefined;
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; group?: boolean }): Proc {
  const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.group ?? false });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-KEEP)));
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-KEEP)));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      stderr += `\n[spawn ${cmd}: ${e.message}]`;
      code = null;
      resolve(null);
    });
    child.once('exit', (c, sig) => {
      code = c ?? (sig ? -1 : null);
      resolve(code);
    });
  });
  return { child, exited, exitCode: () => code, out: () => `--- stdout ---\n${stdout.trim()}\n--- stderr ---\n${stderr.trim()}` };
}

/** Sends `signal` to the process (its group when started as one) and waits up to `ms`. */
async function end(p: Proc, signal: NodeJS.Signals, group: boolean, ms: number): Promise<boolean> {
  if (p.exitCode() !== undefined || p.child.pid === undefined) return true;
  try {
    process.kill(group ? -p.child.pid : p.child.pid, signal);
  } catch {
    /* already gone */
  }
  return Promise.race([p.exited.then(() => true), sleep(ms).then(() => false)]);
}

/** Best effort on a crashing test run: no helper process outlives the Jest worker. */
const live = new Set<() => void>();
process.once('exit', () => live.forEach((k) => k()));

// ---------------------------------------------------------------------------------------------
// Kamailio

export interface RpcResponse {
  jsonrpc?: string;
  result?: unknown;
  error?: { code: number; message: string };
  id?: unknown;
}

export interface Kamailio {
  sipPort: number;
  rpcPort: number;
  runtimeDir: string;
  /** One JSON-RPC 2.0 request to http://127.0.0.1:rpcPort/RPC; the whole response document. */
  rpc(method: string, params?: unknown[]): Promise<RpcResponse>;
  /** A raw HTTP POST (default: the RPC port, /RPC); status and body text. */
  post(body: string, opts?: { port?: number; path?: string }): Promise<{ status: number; text: string }>;
  /** SIGKILL to Kamailio's whole process group (main and children), then waits for the ports. */
  kill9(): Promise<void>;
  /** Starts it again on the same ports and runtime folder (after kill9 or stop). */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), removes the runtime folder. */
  stop(): Promise<void>;
  /** Kamailio's stdout/stderr so far. */
  output(): string;
}

export interface KamailioOptions {
  /** host:port of the PBX (KK_PBX) and of the announcement service (KK_ANNOUNCE). */
  pbx: string;
  announce: string;
  /** Bound for the start (default 15 s). */
  startTimeoutMs?: number;
}

export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  requireSwitchTools();
  const sipPort = await freePort();
  let rpcPort = await freePort();
  while (rpcPort === sipPort) rpcPort = await freePort();
  const runtimeDir = mkdtempSync(join(tmpdir(), 'kk-kamailio-'));
  const env = { ...process.env, KK_SIP_PORT: String(sipPort), KK_RPC_PORT: String(rpcPort), KK_LISTEN: HOST, KK_PBX: opts.pbx, KK_ANNOUNCE: opts.announce, KK_RUNTIME_DIR: runtimeDir };
  const timeout = opts.startTimeoutMs ?? 15_000;
  let proc: Proc | undefined;
  let earlier = '';
  const killer = () => {
    if (proc?.child.pid && proc.exitCode() === undefined) {
      try {
        process.kill(-proc.child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  live.add(killer);

  const post = async (body: string, o: { port?: number; path?: string } = {}) => {
    const res = await fetch(`http://${HOST}:${o.port ?? rpcPort}${o.path ?? '/RPC'}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
    return { status: res.status, text: await res.text() };
  };
  const rpc = async (method: string, params?: unknown[]): Promise<RpcResponse> => {
    const { status, text } = await post(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id: 1 }));
    try {
      return JSON.parse(text) as RpcResponse;
    } catch {
      throw new Error(`Kamailio RPC ${method}: HTTP ${status}, not JSON: ${text.slice(0, 500)}`);
    }
  };

  const waitPortsFree = async () => {
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      if ((await bindUdp(sipPort)) !== null && (await bindTcp(sipPort)) !== null && (await bindTcp(rpcPort)) !== null) return;
      await sleep(50);
    }
    throw new Error(`Kamailio's ports ${sipPort}/${rpcPort} are still in use`);
  };

  const launch = async () => {
    proc = run(KK_KAMAILIO_SCRIPT, [], { env, cwd: runtimeDir, group: true });
    const p = proc;
    const until = Date.now() + timeout;
    let last = '';
    while (Date.now() < until) {
      if (p.exitCode() !== undefined) throw new Error(`Kamailio exited (code ${p.exitCode()}) before answering:\n${p.out()}`);
      try {
        const r = await rpc('core.version');
        if (typeof r.result === 'string' && r.result.startsWith('kamailio')) return;
        last = JSON.stringify(r);
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(100);
    }
    killer();
    throw new Error(`Kamailio did not answer core.version on 127.0.0.1:${rpcPort} within ${timeout} ms (last: ${last}):\n${p.out()}`);
  };

  const stopProc = async () => {
    if (!proc) return;
    earlier += proc.out() + '\n';
    if (!(await end(proc, 'SIGTERM', true, 5_000))) await end(proc, 'SIGKILL', true, 5_000);
  };

  await launch();
  return {
    sipPort,
    rpcPort,
    runtimeDir,
    rpc,
    post,
    output: () => earlier + (proc ? proc.out() : ''),
    kill9: async () => {
      if (proc) {
        earlier += proc.out() + '\n';
        await end(proc, 'SIGKILL', true, 5_000);
      }
      await waitPortsFree();
    },
    restart: async () => {
      await stopProc();
      await waitPortsFree();
      await launch();
    },
    stop: async () => {
      await stopProc();
      live.delete(killer);
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SIPp

/** One SIP message out of SIPp's -trace_msg message log. */
export interface SipMessage {
  direction: 'received' | 'sent';
  /** The first line: `INVITE sip:1021@127.0.0.1:5090 SIP/2.0` or `SIP/2.0 302 Moved Temporarily`. */
  startLine: string;
  /** Request: method and Request-URI; its user part. Response: status. */
  method?: string;
  requestUri?: string;
  user?: string;
  status?: number;
  /** Header values by lower-case name, in order (`X-KK-Reason` → headers['x-kk-reason']). */
  headers: Record<string, string[]>;
  /** The first value of a header (case-insensitive). */
  header(name: string): string | undefined;
  raw: string;
}

/** Parses a SIPp message file (`-trace_msg -message_file`). */
export function parseSippMessages(text: string): SipMessage[] {
  const blocks = text.split(/^-{20,} .*$/m).map((b) => b.replace(/^\s*\n/, ''));
  const out: SipMessage[] = [];
  for (const block of blocks) {
    const m = /^(UDP|TCP) message (received|sent)[^\n]*\n\n([\s\S]*)$/.exec(block);
    if (!m) continue;
    const raw = m[3]!.replace(/\r/g, '').trim();
    const [startLine = '', ...lines] = raw.split('\n\n')[0]!.split('\n');
    const headers: Record<string, string[]> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const name = line.slice(0, i).trim().toLowerCase();
      (headers[name] ??= []).push(line.slice(i + 1).trim());
    }
    const msg: SipMessage = { direction: m[2] as 'received' | 'sent', startLine, headers, raw, header: (n) => headers[n.toLowerCase()]?.[0] };
    const res = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
    if (res) msg.status = Number(res[1]);
    if (req) {
      msg.method = req[1];
      msg.requestUri = req[2];
      msg.user = /^sips?:([^@;]+)@/.exec(req[2]!)?.[1];
    }
    out.push(msg);
  }
  return out;
}

export interface SippUas {
  name: string;
  port: number;
  /** `127.0.0.1:<port>`, for KK_PBX / KK_ANNOUNCE. */
  hostport: string;
  /** Every INVITE received so far (retransmissions included, in order). */
  invites(): SipMessage[];
  /** Waits (bounded) until at least `n` INVITEs arrived; returns them. */
  waitForInvites(n: number, timeoutMs?: number): Promise<SipMessage[]>;
  stop(): Promise<void>;
  output(): string;
}

/** A SIPp UAS on a free UDP port answering INVITEs 200 (test/helpers/sipp/uas.xml). */
export async function startSippUas(name: string, opts: { lifetimeS?: number } = {}): Promise<SippUas> {
  requireSwitchTools();
  const dir = mkdtempSync(join(tmpdir(), `kk-sipp-${name.replace(/\W/g, '')}-`));
  const messages = join(dir, 'messages.log');
  const port = await freeUdpPort();
  // -timeout: the UAS ends itself even if stop() is never reached.
  const args = ['-sf', join(SIPP_DIR, 'uas.xml'), '-i', HOST, '-p', String(port), '-nostdin', '-trace_msg', '-message_file', messages, '-trace_err', '-error_file', join(dir, 'errors.log'), '-timeout', `${opts.lifetimeS ?? 300}s`];
  const proc = run('sipp', args, { cwd: dir });
  const killer = () => {
    if (proc.child.pid && proc.exitCode() === undefined) proc.child.kill('SIGKILL');
  };
  live.add(killer);
  const read = () => (existsSync(messages) ? readFileSync(messages, 'utf8') : '');
  const output = () => `${proc.out()}\n--- ${name} errors.log ---\n${existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8').slice(-KEEP) : ''}`;
  // Ready once SIPp holds the port.
  const until = Date.now() + 10_000;
  while ((await bindUdp(port)) !== null) {
    if (proc.exitCode() !== undefined) throw new Error(`SIPp UAS ${name} exited (code ${proc.exitCode()}):\n${output()}`);
    if (Date.now() > until) {
      killer();
      throw new Error(`SIPp UAS ${name} did not bind 127.0.0.1:${port} within 10 s:\n${output()}`);
    }
    await sleep(50);
  }
  const invites = () => parseSippMessages(read()).filter((m) => m.direction === 'received' && m.method === 'INVITE');
  return {
    name,
    port,
    hostport: `${HOST}:${port}`,
    invites,
    output,
    waitForInvites: async (n, timeoutMs = 5_000) => {
      const stop = Date.now() + timeoutMs;
      for (;;) {
        const got = invites();
        if (got.length >= n) return got;
        if (Date.now() > stop) throw new Error(`SIPp UAS ${name} got ${got.length} INVITE(s), wanted ${n}, within ${timeoutMs} ms:\n${output()}`);
        await sleep(50);
      }
    },
    stop: async () => {
      if (!(await end(proc, 'SIGTERM', false, 2_000))) await end(proc, 'SIGKILL', false, 2_000);
      live.delete(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CallResult {
  /** The final status the caller got (200, 302 …), or null when none arrived. */
  status: number | null;
  /** The final response's Contact (`<sip:0701234567@127.0.0.1>`), if any. */
  contact?: string;
  final?: SipMessage;
  /** SIPp's exit code (0: the scenario completed). */
  exitCode: number | null;
  messages: SipMessage[];
  output: string;
}

/** One call from a SIPp UAC (test/helpers/sipp/uac.xml, -m 1, `ext` from a one-line injection file) to sip:<ext>@127.0.0.1:<port>. */
export async function sippCall(ext: string, kamailioPort: number, opts: { timeoutS?: number } = {}): Promise<CallResult> {
  requireSwitchTools();
  const dir = mkdtempSync(join(tmpdir(), 'kk-sipp-uac-'));
  const messages = join(dir, 'messages.log');
  const port = await freeUdpPort();
  const t = opts.timeoutS ?? 10;
  const extensions = join(dir, 'extensions.csv');
  writeFileSync(extensions, `SEQUENTIAL\n${ext}\n`);
  const args = [`${HOST}:${kamailioPort}`, '-sf', join(SIPP_DIR, 'uac.xml'), '-inf', extensions, '-m', '1', '-i', HOST, '-p', String(port), '-nostdin', '-trace_msg', '-message_file', messages, '-timeout', `${t}s`, '-timeout_error', '-recv_timeout', String(t * 1000 - 500)];
  const proc = run('sipp', args, { cwd: dir });
  const killer = () => {
    if (proc.child.pid && proc.exitCode() === undefined) proc.child.kill('SIGKILL');
  };
  live.add(killer);
  try {
    const exitCode = await Promise.race([proc.exited, sleep((t + 5) * 1000).then(() => 'hung' as const)]);
    if (exitCode === 'hung') {
      killer();
      throw new Error(`SIPp UAC calling ${ext} did not end within ${t + 5} s:\n${proc.out()}`);
    }
    const all = existsSync(messages) ? parseSippMessages(readFileSync(messages, 'utf8')) : [];
    const final = all.filter((m) => m.direction === 'received' && m.status !== undefined && m.status >= 200 && /INVITE/.test(m.header('cseq') ?? '')).pop();
    return { status: final?.status ?? null, contact: final?.header('contact'), final, exitCode, messages: all, output: proc.out() };
  } finally {
    live.delete(killer);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where one call to `ext` went: the PBX, the announcement service (with the INVITE it got), or moved (302 Contact). */
export type Route = { to: 'pbx' | 'announce'; invite: SipMessage } | { to: 'moved'; contact: string } | { to: 'other'; status: number | null; output: string };

/** Places one call through Kamailio and tells which of `pbx` and `announce` received it (bounded wait). */
export async function routeCall(ext: string, kamailioPort: number, uas: { pbx: SippUas; announce: SippUas }): Promise<Route> {
  const before = { pbx: uas.pbx.invites().length, announce: uas.announce.invites().length };
  const call = await sippCall(ext, kamailioPort);
  if (call.status === 302) return { to: 'moved', contact: call.contact ?? '' };
  if (call.status !== 200) return { to: 'other', status: call.status, output: call.output };
  const until = Date.now() + 5_000;
  for (;;) {
    for (const to of ['pbx', 'announce'] as const) {
      const got = uas[to].invites();
      if (got.length > before[to]) return { to, invite: got.at(-1)! };
    }
    if (Date.now() > until) return { to: 'other', status: call.status, output: 'answered 200, but neither the PBX nor the announcement service logged the INVITE' };
    await sleep(50);
  }
}
