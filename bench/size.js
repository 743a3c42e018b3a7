#!/usr/bin/env node
/**
 * npm run size — the task pane's initial JavaScript, gzipped (what Outlook downloads before the
 * first preview: the scripts taskpane.html loads; lazy chunks such as msal, tabs and holidays
 * are listed but not counted). Exits 1 above the budget of 200 KB. Needs a build (npm run build).
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET = 200 * 1024;
const dir = path.join(__dirname, '..', 'dist', 'addin');

function initialScripts(html) {
  return [...html.matchAll(/<script[^>]*src="?([^"\s>]+)"?/g)].map((m) => m[1]).filter((s) => !/^https?:/.test(s));
}

function gz(file) {
  return zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
}

if (!fs.existsSync(path.join(dir, 'taskpane.html'))) {
  console.error('dist/addin is not built: run npm run build first');
  process.exit(2);
}
const initial = initialScripts(fs.readFileSync(path.join(dir, 'taskpane.html'), 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
for (const f of initial) {
  const n = gz(f);
  total += n;
  console.log(`initial  ${f.padEnd(28)} ${kb(n)} gzipped`);
}
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js') && !initial.includes(f) && f !== 'harness.js')) {
  console.log(`on demand ${f.padEnd(27)} ${kb(gz(f))} gzipped`);
}
console.log(`task pane initial JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error(`over budget by ${kb(total - BUDGET)}`);
  process.exit(1);
}
