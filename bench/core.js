#!/usr/bin/env node
/**
 * bench:core — resolutions per second, and the time to compute one extension's effective state
 * with 1,000 activities. Prints numbers; asserts nothing. Runs the built core (npm run build).
 * Usage: npm run bench:core [-- --seconds 3]
 */
const { performance } = require('node:perf_hooks');
const os = require('node:os');
const core = require('../dist/core');

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;

// A deterministic pseudo-random sequence, so every run measures the same work.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const subjects = [
  'NP/L: Lunch', 'NP/M: Ledningsgrupp', 'np/s:Semester i Spanien', '  NP/Sj:', 'NP/L lunch', 'Budgetmöte',
  'NP/VAB: Elsa är sjuk', 'Lunch NP/L:', 'NP/X: test', 'NP-T: ärende', 'NP/TR: Stockholm – Göteborg',
];
const base = Date.parse('2026-11-24T07:00:00Z');
const bookings = Array.from({ length: 1000 }, (_, i) => {
  const start = base + Math.floor(rand() * 20) * 1800_000;
  return core.parseBooking({
    id: `b${i}`,
    subject: pick(subjects),
    start: new Date(start).toISOString(),
    end: new Date(start + (1 + Math.floor(rand() * 8)) * 1800_000).toISOString(),
    location: pick(['', 'Matsalen', 'Rum 3']),
    body: pick(['', 'Agenda:\n1. Budget\n2. Övrigt']),
    sensitivity: pick(['normal', 'normal', 'normal', 'private']),
    showAs: pick(['busy', 'busy', 'oof', 'free', 'tentative']),
    responseStatus: pick(['organizer', 'accepted', 'declined']),
  });
});
const settingsVariants = [
  core.mergeSettings({}),
  core.mergeSettings({ messageFields: { subject: true, location: true, body: true }, include: { free: true, private: true } }),
  core.mergeSettings({ defaultCode: 'M', soft: true }),
];
const contexts = settingsVariants.map((settings) => ({ settings, profile: core.DEFAULT_PROFILE, shared: false, catalog: core.DEFAULT_CATALOG }));

function timeLoop(fn) {
  // Warm up the JIT, then run whole batches until the time is up.
  for (let i = 0; i < 20_000; i++) fn(i);
  let n = 0;
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 10_000; i++) fn(n + i);
    n += 10_000;
  }
  return { n, ms: performance.now() - t0 };
}

let sink = 0;
const r = timeLoop((i) => {
  const res = core.resolveBooking(bookings[i % bookings.length], contexts[i % contexts.length]);
  if (res.diverts) sink++;
});
const perSecond = Math.round((r.n / r.ms) * 1000);

// One extension, 1,000 activities over four weeks: calendar, recurring and quick; hard and soft.
const activities = Array.from({ length: 1000 }, (_, i) => {
  const from = base + Math.floor(rand() * 28 * 48) * 1800_000;
  return {
    id: `a${i}`,
    source: pick(['calendar', 'calendar', 'recurring', 'quick', 'manual']),
    key: pick(['L', 'M', 'T', 'TR', 'S', 'Sj', 'TF']),
    forwarding: { mode: pick(['spoken', 'spoken', 'spoken', 'none']), number: null },
    from,
    to: from + (1 + Math.floor(rand() * 6)) * 1800_000,
  };
});
const zone = core.DEFAULT_TIME_ZONE;
for (let i = 0; i < 500; i++) core.effectiveState(activities, base + i * 3600_000, core.DEFAULT_CATALOG);
const samples = [];
for (let i = 0; i < 5000; i++) {
  const at = base + Math.floor(rand() * 28 * 86_400_000);
  const t0 = performance.now();
  const s = core.effectiveState(activities, at, core.DEFAULT_CATALOG);
  const sw = s && core.switchAbsence(s, at, zone);
  const next = core.nextBoundary(activities, at);
  samples.push(performance.now() - t0);
  if (sw || next) sink++;
}
samples.sort((a, b) => a - b);
const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] * 1000;

console.log(`node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`);
console.log(`resolutions per second (one core, ${SECONDS} s): ${perSecond.toLocaleString('en-US')}`);
console.log(`effective state + switch format + next boundary, 1,000 activities (5,000 instants):`);
console.log(`  median ${q(0.5).toFixed(1)} µs, p99 ${q(0.99).toFixed(1)} µs, max ${(samples[samples.length - 1] * 1000).toFixed(1)} µs`);
if (sink < 0) console.log(sink); // keep the results alive
