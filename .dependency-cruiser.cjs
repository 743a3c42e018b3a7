/**
 * The architecture's rules, checked by test/architecture.test.ts (issue 11): no import cycles,
 * a pure core, Office.js packages only where the add-in talks to Outlook, and an HTTP layer that
 * reaches data only through the service.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles (type-only ones included) make the layers impossible to read one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core runs in the pane, the endpoint and the CLI: only its own modules and browser-safe libraries.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node_modules/(luxon|date-holidays|rrule)/'] },
    },
    {
      name: 'office-js-in-its-place',
      severity: 'error',
      comment: 'Office.js packages only in src/taskpane/office/ and src/commands/.',
      from: { path: '^src/', pathNot: ['^src/taskpane/office/', '^src/commands/'] },
      to: { path: '^node_modules/(@microsoft/office-js|office-addin-mock|@types/office-js)/' },
    },
    {
      name: 'http-not-into-the-store',
      severity: 'error',
      comment: 'Handlers stay thin: what they need is a service method, never the store.',
      from: { path: '^src/server/http/' },
      to: { path: '^src/server/store/' },
    },
    {
      name: 'pane-without-server-code',
      severity: 'error',
      comment: 'The pane and the commands take the endpoint’s schema types only (type-only imports).',
      from: { path: '^src/(taskpane|commands)/' },
      to: { path: '^src/server/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
};
