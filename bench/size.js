#!/usr/bin/env node
/**
 * npm run size — the task pane's initial JavaScript, gzipped (what Outlook downloads before the
 * first preview: the scripts taskpane.html loads; lazy chunks such as msal, tabs and holidays
 * are listed but not counted). Exits 1 above the budget of 200 KB. Needs a build (npm run build).
 * Then the same for the admin console (dist/admin: the scripts index.html loads, i.e. admin.js;
 * its pages and msal-browser on demand), with its own budget of 250 KB.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET = 200 * 1024;
const CONSOLE_BUDGET = 250 * 1024;
const dir = path.join(__dirname, '..', 'dist', 'addin');
const consoleDir = path.join(__dirname, '..', 'dist', 'admin');

function initialScripts(html) {
  return [...html.matchAll(/<script[^>]*src="?([^"\s>]+)"?/g)].map((m) => m[1]).filter((s) => !/^https?:/.test(s));
}

function gz(file, from = dir) {
  return zlib.gzipSync(fs.readFileSync(path.join(from, file)), { level: 9 }).length;
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
let over = false;
if (total > BUDGET) {
  console.error(`over budget by ${kb(total - BUDGET)}`);
  over = true;
}

// The admin console: index.html loads its scripts from /admin/, so only the file names count here.
if (!fs.existsSync(path.join(consoleDir, 'index.html'))) {
  console.error('dist/admin is not built: run npm run build first');
  process.exit(2);
}
const consoleInitial = initialScripts(fs.readFileSync(path.join(consoleDir, 'index.html'), 'utf8')).map((s) => s.replace(/^.*\//, ''));
let consoleTotal = 0;
for (const f of consoleInitial) {
  const n = gz(f, consoleDir);
  consoleTotal += n;
  console.log(`console initial  ${f.padEnd(28)} ${kb(n)} gzipped`);
}
for (const f of fs.readdirSync(consoleDir).filter((f) => f.endsWith('.js') && !consoleInitial.includes(f))) {
  console.log(`console on demand ${f.padEnd(27)} ${kb(gz(f, consoleDir))} gzipped`);
}
console.log(`admin console initial JavaScript: ${kb(consoleTotal)} gzipped (budget ${kb(CONSOLE_BUDGET)})`);
if (consoleTotal > CONSOLE_BUDGET) {
  console.error(`admin console over budget by ${kb(consoleTotal - CONSOLE_BUDGET)}`);
  over = true;
}
if (over) process.exit(1);
