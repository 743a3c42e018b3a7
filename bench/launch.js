#!/usr/bin/env node
/**
 * npm run bench:launch — the launch-event handlers as classic Outlook on Windows runs them: the
 * built dist/addin/commands.js loaded into a bare JavaScript context (node:vm: no DOM, no
 * window), then the OnNewAppointmentOrganizer handler timed from call to event.completed() on
 * an in-memory item whose async calls answer at once, with a cached rule set in roamingSettings.
 * Prints load time, the first call, and the median and 99th percentile of --runs N (default
 * 2,000) calls over subjects that divert, miss and say nothing. Needs a build (npm run build).
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const zlib = require('node:zlib');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 2000;
const file = path.join(__dirname, '..', 'dist', 'addin', 'commands.js');
if (!fs.existsSync(file)) {
  console.error('dist/addin is not built: run npm run build first');
  process.exit(2);
}
const { DEFAULT_CATALOG, DEFAULT_PROFILE, DEFAULT_SETTINGS } = require('../dist/core');

// The pane's cache as src/commands/launch.ts's launchCacheOf writes it (src/commands is bundled, not in dist/).
const cache = JSON.stringify({ v: 1, settings: { ...DEFAULT_SETTINGS, defaultCode: 'M' }, profile: DEFAULT_PROFILE, shared: false, codes: DEFAULT_CATALOG.codes, timeZone: 'Europe/Stockholm', savedAt: Date.now() });
const subjects = ['NP/L: Lunch', 'NP/L lunch', 'Styrelsemöte', 'NP/S: Semester', 'Lunch NP/L:'];
let subject = subjects[0];
let lines = 0;
const ok = (value) => ({ status: 'succeeded', value });
const start = new Date('2026-12-03T11:00:00Z');
const end = new Date('2026-12-03T12:00:00Z');
const handlers = new Map();
const sandbox = {
  Office: {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage', ErrorMessage: 'errorMessage' } },
    actions: { associate: (name, fn) => handlers.set(name, fn) },
    onReady: () => Promise.resolve({ host: 'Outlook' }),
    context: {
      displayLanguage: 'sv-SE',
      roamingSettings: { get: () => cache },
      mailbox: {
        item: {
          subject: { getAsync: (cb) => cb(ok(subject)) },
          start: { getAsync: (cb) => cb(ok(start)) },
          end: { getAsync: (cb) => cb(ok(end)) },
          notificationMessages: {
            replaceAsync: (_k, _d, cb) => (lines++, cb(ok(null))),
            removeAsync: (_k, cb) => cb(ok(null)),
          },
        },
      },
    },
  },
};

(async () => {
  const code = fs.readFileSync(file, 'utf8');
  const t0 = process.hrtime.bigint();
  vm.createContext(sandbox);
  vm.runInContext(code, sandbox);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const handler = handlers.get('onNewAppointmentHandler');
  const once = async () => {
    const t = process.hrtime.bigint();
    await new Promise((resolve) => handler({ completed: resolve }));
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const first = await once();
  const times = [];
  for (let i = 0; i < runs; i++) {
    subject = subjects[i % subjects.length];
    times.push(await once());
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(`commands.js: ${(fs.statSync(file).size / 1024).toFixed(1)} KB, ${(zlib.gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB gzipped; loaded in ${loadMs.toFixed(1)} ms`);
  console.log(`OnNewAppointmentOrganizer handler: first call ${first.toFixed(2)} ms; ${runs} calls median ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms (${lines} lines set)`);
})();
