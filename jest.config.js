/**
 * Jest runs the TypeScript sources through ts-jest; the CLI tests run the built command in dist/.
 * jose, typebox and cookie (used by Fastify's inject) ship only as ES modules (Node 20 loads them with require(esm), Jest 29 cannot),
 * so their files are transpiled to CommonJS for the tests.
 */
// strip-bom, uuid: ES-module-only dependencies of office-addin-manifest; content-disposition: of @fastify/static (the add-in's manifest test).
const esmOnly = ['jose', 'typebox', 'cookie', 'strip-bom', 'uuid', 'content-disposition'];
const toCommonJs = ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false }];

module.exports = {
  testEnvironment: 'node',
  // better-sqlite3 hands its error class to the native addon once per process. A later test file
  // in the same worker gets errors built from a torn-down context: constraint and read-only
  // errors then vanish silently. A fresh worker per test file keeps every file honest.
  workerIdleMemoryLimit: '1MB',
  roots: ['<rootDir>/test'],
  // .tsx: the task pane's component tests (jsdom per file through a @jest-environment docblock).
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    [`^.+/node_modules/(${esmOnly.join('|')})/.+\\.m?js$`]: toCommonJs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(?:.*/node_modules/)?(${esmOnly.join('|')})/)`],
};
