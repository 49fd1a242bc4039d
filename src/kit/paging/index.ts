/** Paginators: each turns the current request and page into the next request. */
export * from './auto-paginator.js';
export * from './cursor.js';
export * from './fromlast.js';
export * from './links.js';
export * from './paginators.js';
export * from './in-body.js';
