/** The browser build of the core succeeds: webpack 5 polyfills no Node module, so any slips in fails here. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpack from 'webpack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const makeConfig = require('../../webpack.config.js');

test('webpack builds src/core for the browser without errors', async () => {
  // webpack.config.js exports the core build and the add-in build; this test builds the core.
  const configs = makeConfig({}, { mode: 'development' });
  const config = Array.isArray(configs) ? configs.find((c: { name?: string }) => c.name === 'core') : configs;
  config.output.path = mkdtempSync(join(tmpdir(), 'kk-web-'));
  config.devtool = false;
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack(config, (err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)));
  });
  const info = stats.toJson({ all: false, errors: true, assets: true });
  expect(info.errors ?? []).toEqual([]);
  expect(info.assets?.map((a) => a.name)).toContain('core.js');
  // The bundle works in a plain JavaScript context: resolve a booking with it.
  const lib = require(join(config.output.path, 'core.js'));
  const b = lib.parseBooking({ subject: 'NP/L: Lunch', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z' });
  expect(lib.resolveBooking(b, { settings: lib.DEFAULT_SETTINGS, profile: lib.DEFAULT_PROFILE, shared: false, catalog: lib.DEFAULT_CATALOG }).diverts).toBe(true);
}, 180_000);

test('a release build of the add-in has no source maps and no harness', () => {
  const configs = makeConfig({ release: true }, { mode: 'production' });
  const addin = configs.find((c: { name?: string }) => c.name === 'addin');
  expect(addin.devtool).toBe(false);
  expect(Object.keys(addin.entry)).not.toContain('harness');
  const dev = makeConfig({}, { mode: 'production' }).find((c: { name?: string }) => c.name === 'addin');
  expect(dev.devtool).toBe('source-map');
});
