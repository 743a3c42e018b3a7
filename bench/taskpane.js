#!/usr/bin/env node
/**
 * npm run bench:taskpane — how fast the first preview appears: 10 loads of the harness in
 * headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), each timed from
 * navigation start until preview-mex shows a value (recorded in the page by a MutationObserver,
 * so the driver's polling adds nothing). The endpoint runs in-process on 127.0.0.1 with
 * development sign-in. Prints the median (and the first, cold-cache load); asserts nothing.
 * Usage: npm run bench:taskpane [-- --loads 10]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { loadConfig } = require('../dist/server/config');
const { startServer } = require('../dist/server/main');

const loadsArg = process.argv.indexOf('--loads');
const LOADS = loadsArg > 0 ? Number(process.argv[loadsArg + 1]) : 10;

const RECORD = `
  new MutationObserver((_, obs) => {
    const el = document.querySelector('[data-testid="preview-mex"]');
    if (el && el.textContent) { window.__firstPreview = performance.now(); obs.disconnect(); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-bench-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-bench-chromium-'));
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await context.addInitScript(RECORD);
  const times = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const page = await context.newPage();
      await page.goto(`${server.url}/addin/harness.html?subject=NP/L:%20Lunch`);
      await page.waitForFunction(() => typeof window.__firstPreview === 'number');
      times.push(await page.evaluate(() => window.__firstPreview));
      await page.close();
    }
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`loads: ${times.map((t) => t.toFixed(0)).join(' ')} ms`);
  console.log(`first load (cold cache): ${times[0].toFixed(0)} ms`);
  console.log(`task pane first preview, median of ${LOADS}: ${median.toFixed(0)} ms`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
