#!/usr/bin/env node
/**
 * npm run bench:import — the admin console's CSV import (POST /api/v1/admin/users/import) over
 * real loopback HTTP: a file of N rows naming users by object id (all new), timed as a dry run,
 * the apply (one transaction), and a re-import of the same file (all unchanged). The endpoint
 * runs in-process on 127.0.0.1 with development sign-in, on SQLite in a temporary folder, or on
 * PostgreSQL in a throwaway schema that is dropped afterwards. Prints the numbers; asserts nothing.
 * Usage: npm run bench:import [-- --rows 5000] [-- --database postgres://user:pw@host/db]
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadConfig } = require('../dist/server/config');
const { startServer } = require('../dist/server/main');
const { loadOrCreateDevKey, signDevToken } = require('../dist/server/auth/dev');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const ROWS = Number(option('--rows', '5000'));
const DATABASE = option('--database', undefined);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error('--rows must be a positive whole number');

/** A schema of its own on the PostgreSQL database (tables land there through search_path). */
async function throwawaySchema(url) {
  const { Client } = require('pg');
  const schema = `kk_bench_import_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const withPath = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url: withPath,
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** An admin token: the development sign-in's {admin: true}, or signed here as `kalenderkoppling token --admin` does. */
async function adminToken(server, config) {
  const r = await fetch(`${server.url}/addin/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'boss', admin: true }) });
  const token = r.ok ? (await r.json()).token : null;
  if (token) {
    const probe = await post(server, token, 'user;extension\n', true);
    if (probe.status === 200) return token;
  }
  return signDevToken(await loadOrCreateDevKey(config.dataDir), { user: 'boss', admin: true, scope: config.auth.scope });
}

async function post(server, token, csv, dryRun) {
  const r = await fetch(`${server.url}/api/v1/admin/users/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ csv, dryRun }),
  });
  return { status: r.status, body: await r.json() };
}

async function timed(what, server, token, csv, dryRun) {
  const t0 = performance.now();
  const r = await post(server, token, csv, dryRun);
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  const s = r.body.summary;
  console.log(`${what.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  ${((ROWS / ms) * 1000).toFixed(0).padStart(7)} rows/s  (new ${s.new}, changed ${s.changed}, unchanged ${s.unchanged}, error ${s.error}; applied ${r.body.applied})`);
  return ms;
}

(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-bench-import-'));
  const pg = DATABASE ? await throwawaySchema(DATABASE) : null;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) });
  const server = await startServer(config);
  try {
    const token = await adminToken(server, config);
    const lines = ['user;extension;shared;name'];
    for (let i = 0; i < ROWS; i++) lines.push(`${crypto.randomUUID()};${100000 + i};${i % 10 === 0 ? 'ja' : 'nej'};Användare ${i}`);
    const csv = `${lines.join('\n')}\n`;
    console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
    console.log(`database: ${pg ? 'PostgreSQL (throwaway schema)' : 'SQLite (file)'}; ${ROWS} rows by object id, ${(Buffer.byteLength(csv) / 1024).toFixed(0)} KB`);
    await timed('dry run', server, token, csv, true);
    await timed('apply', server, token, csv, false);
    await timed('re-import', server, token, csv, false);
  } finally {
    await server.stop();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
