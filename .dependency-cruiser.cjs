/**
 * The architecture's rules, checked by test/architecture.test.ts (issue 11): no import cycles,
 * a pure core, Office.js packages only where the add-in talks to Outlook, an HTTP layer that
 * reaches data only through the service, and an admin console apart from the server and the pane.
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
    {
      name: 'console-without-server-code',
      severity: 'error',
      comment: 'The admin console (src/admin) is a web page of its own: the endpoint’s schema types only, and nothing of the pane or of Office.',
      from: { path: '^src/admin/' },
      to: { path: '^src/server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-apart-from-the-pane',
      severity: 'error',
      comment: 'The console and the pane share the core and the schemas, not each other’s code.',
      from: { path: '^src/admin/' },
      to: { path: '^src/(taskpane|commands)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
};
