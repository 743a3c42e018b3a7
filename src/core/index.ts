/**
 * The domain core: pure rules shared by the task pane, the commands, the endpoint and the CLI.
 * No I/O, no Office.js, no Node APIs.
 */
export * from './activity';
export * from './booking';
export * from './catalog';
export * from './errors';
export * from './json';
export * from './messages';
export * from './org';
export * from './phrases';
export * from './problems';
export * from './recurrence';
export * from './resolve';
export * from './settings';
export * from './state';
export * from './subject';
export * from './text';
export * from './time';
