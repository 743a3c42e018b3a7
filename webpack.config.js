/**
 * Browser builds.
 * 1. The domain core as a browser bundle (dist/web), which proves it has no Node dependencies
 *    (webpack 5 polyfills nothing, so a stray `node:` import fails the build).
 * 2. The Outlook add-in (dist/addin, served by the endpoint under /addin/): the task pane, the
 *    commands/launch-event runtime, icons and the manifest; plus the browser harness (with the
 *    real office.js from @microsoft/office-js) unless `--env release`. `--env url=https://…` (or ADDIN_BASE_URL) rewrites the manifest's URLs.
 * 3. The admin console (dist/admin, served by the endpoint under /admin/): admin.js, its pages
 *    and msal-browser as chunks loaded on demand, and index.html; source maps unless `--env release`.
 */
const path = require('node:path');
const fs = require('node:fs');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const tsRule = {
  test: /\.tsx?$/,
  loader: 'ts-loader',
  exclude: /node_modules/,
  options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext', sourceMap: true, jsx: 'react-jsx' } },
};

const core = (env, argv) => ({
  name: 'core',
  mode: argv.mode ?? 'production',
  target: 'web',
  devtool: 'source-map',
  entry: { core: './src/core/index.ts' },
  output: {
    path: path.resolve(__dirname, 'dist', 'web'),
    filename: '[name].js',
    library: { name: 'KalenderkopplingCore', type: 'umd' },
    globalObject: 'globalThis',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: { rules: [tsRule] },
  performance: { hints: false },
});

function rewriteManifest(content, url) {
  if (!url) return content;
  // dist/cli/manifest.js is built by tsc before webpack runs (npm run build).
  const { rewriteManifestUrls } = require('./dist/cli/manifest.js');
  return Buffer.from(rewriteManifestUrls(content.toString('utf8'), url));
}

const addin = (env, argv) => {
  const release = Boolean(env.release);
  const url = env.url || process.env.ADDIN_BASE_URL || '';
  const page = (name, chunks) =>
    new HtmlWebpackPlugin({ filename: `${name}.html`, template: `./src/taskpane/html/${name}.html`, chunks, scriptLoading: 'defer', inject: 'body' });
  return {
    name: 'addin',
    mode: argv.mode ?? 'production',
    target: 'web',
    // A release build ships no source maps (issue 10); the endpoint serves none outside development.
    devtool: release ? false : 'source-map',
    entry: {
      taskpane: './src/taskpane/index.tsx',
      commands: './src/commands/index.ts',
      signin: './src/taskpane/office/signin.ts',
      ...(release ? {} : { harness: './src/taskpane/harness/index.tsx' }),
    },
    output: {
      path: path.resolve(__dirname, 'dist', 'addin'),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // The core's working-day calendar is the only user of date-holidays (~1.8 MB with
      // moment-timezone); the preview does not need it, so the pane loads it on demand.
      alias: {
        'date-holidays$': path.resolve(__dirname, 'src/taskpane/holidays-shim.ts'),
        'date-holidays-real$': path.resolve(__dirname, 'node_modules/date-holidays/src/index.js'),
      },
    },
    module: { rules: [tsRule] },
    optimization: { splitChunks: false },
    plugins: [
      page('taskpane', ['taskpane']),
      page('commands', ['commands']),
      page('signin', ['signin']),
      ...(release ? [] : [page('harness', ['harness'])]),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'src/taskpane/html/taskpane.css', to: 'taskpane.css' },
          { from: 'assets/*.png', to: 'assets/[name][ext]', noErrorOnMissing: true },
          { from: 'manifest.xml', to: 'manifest.xml', transform: (content) => rewriteManifest(content, url) },
          // The harness runs the real Office.js from the npm package (Outlook's pages keep Microsoft's
          // CDN, which Outlook requires): office.js and the table it loads beside itself outside Office.
          ...(release
            ? []
            : ['office.js', 'o15apptofilemappingtable.js'].map((f) => ({ from: `node_modules/@microsoft/office-js/dist/${f}`, to: `office-js/${f}`, info: { minimized: true } }))),
        ],
      }),
    ],
    performance: { hints: false },
  };
};

const console_ = (env, argv) => {
  const release = Boolean(env.release);
  return {
    name: 'console',
    mode: argv.mode ?? 'production',
    target: 'web',
    devtool: release ? false : 'source-map',
    entry: { admin: './src/admin/index.tsx' },
    output: {
      path: path.resolve(__dirname, 'dist', 'admin'),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      // The page is /admin/ (or /admin): chunks are always fetched from /admin/.
      publicPath: '/admin/',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: { rules: [tsRule] },
    // A library used by one chunk stays in it (msal-browser in "msal"); what pages share is split out.
    optimization: { splitChunks: { cacheGroups: { defaultVendors: false } } },
    plugins: [new HtmlWebpackPlugin({ filename: 'index.html', template: './src/admin/html/index.html', chunks: ['admin'], scriptLoading: 'defer', inject: 'body' })],
    performance: { hints: false },
  };
};

module.exports = (env = {}, argv = {}) => [core(env, argv), addin(env, argv), console_(env, argv)];
