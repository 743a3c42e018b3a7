/** API v1's schemas, request and response, by resource (TypeBox only: the pane imports their types). */
export * from './common';
export * from './me';
export * from './bookings';
export * from './problems';
export * from './activities';
export * from './state';
export * from './colleagues';
export * from './catalog';
export * from './admin';
export * from './admin-import';
export * from './admin-console';
export * from './addin';
export * from './directory';
