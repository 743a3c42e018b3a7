/**
 * docs/integration.md's example receiver, the very code in the document, run as a process on
 * loopback and driven by the webhook connector: single deliveries and batches (issue 16), a
 * switch that fails (503 with a retry time), and a repeated older version (200, nothing applied).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery } from '../../../src/server/connectors/types';
import { WebhookConnector } from '../../../src/server/connectors/webhook';

const SECRET = 'example-receiver-secret-0123';
let child: ChildProcess;
let url: string;
let applied: string[] = [];

/** The first ```js block after the heading "An example receiver". */
function exampleCode(): string {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'integration.md'), 'utf8');
  const from = doc.indexOf('## An example receiver');
  const m = /```js\n([\s\S]*?)```/.exec(doc.slice(from));
  if (from < 0 || !m) throw new Error('docs/integration.md has no example receiver');
  return m[1]!;
}

beforeAll(async () => {
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const file = join(mkdtempSync(join(tmpdir(), 'kk-example-')), 'receiver.js');
  // The switch integration the example leaves to you: prints what it applies; 1999 is unreachable.
  const prelude = "function applyToSwitch(extension, state) { if (extension === '1999') throw new Error('unreachable'); process.stdout.write(`applied ${extension} ${state ? state.code : 'none'}\\n`); }\n";
  writeFileSync(file, prelude + exampleCode());
  child = spawn(process.execPath, [file], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => applied.push(...d.toString().trim().split('\n')));
  url = `http://127.0.0.1:${port}/switch`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { method: 'POST', body: '{}' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('the example receiver did not start');
});
afterAll(() => {
  child?.kill();
});

/** The child's stdout comes after its HTTP answers: wait (bounded) until `n` lines are in, and a moment more for any extra. */
async function appliedLines(n: number): Promise<string[]> {
  for (let i = 0; i < 100 && applied.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  return applied;
}

const lunch = (extension: string, version: number): Delivery => ({ extension, version, sentAt: '2026-12-03T11:00:00.000Z', state: { code: 'L' } as never });

test('single deliveries: applied once per version; a wrong signature 401; an unreachable switch 503 with Retry-After', async () => {
  applied = [];
  const c = new WebhookConnector({ url, secret: SECRET });
  try {
    expect(await c.apply(lunch('1021', 3))).toEqual({ ok: true, status: 200 });
    expect(await c.apply(lunch('1021', 2))).toEqual({ ok: true, status: 200 });
    expect(await c.apply(lunch('1999', 1))).toEqual({ ok: false, permanent: false, status: 503, error: 'the receiver answered 503', retryAfterMs: 30_000 });
    const wrong = new WebhookConnector({ url, secret: 'another-secret-0123456789' });
    expect(await wrong.apply(lunch('1022', 1))).toMatchObject({ ok: false, permanent: true, status: 401 });
    await wrong.close();
    expect(await appliedLines(1)).toEqual(['applied 1021 L']);
  } finally {
    await c.close();
  }
});

test('a batch: a result per item; the failing one alone is retried, with its retry time', async () => {
  applied = [];
  const c = new WebhookConnector({ url, secret: SECRET, batchSize: 10 });
  try {
    const results = await c.applyBatch([lunch('1031', 1), lunch('1999', 2), { ...lunch('1032', 4), state: null }, lunch('1021', 1)]);
    expect(results).toEqual([
      { ok: true, status: 200 },
      { ok: false, permanent: false, status: 503, error: 'the receiver answered 503', retryAfterMs: 30_000 },
      { ok: true, status: 200 },
      { ok: true, status: 200 },
    ]);
    // 1021 already had version 3: version 1 changes nothing.
    expect(await appliedLines(2)).toEqual(['applied 1031 L', 'applied 1032 none']);
  } finally {
    await c.close();
  }
});
