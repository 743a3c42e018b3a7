/**
 * Browser builds. For now one entry: the domain core as a browser bundle, which proves it has no
 * Node dependencies (webpack 5 polyfills nothing, so a stray `node:` import fails the build).
 * The add-in issue adds the task pane, the commands runtime and the harness as further entries.
 */
const path = require('node:path');

module.exports = (env = {}, argv = {}) => ({
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
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        loader: 'ts-loader',
        exclude: /node_modules/,
        options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext', sourceMap: true } },
      },
    ],
  },
  performance: { hints: false },
});
