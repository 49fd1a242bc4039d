/** The kit's HTTP layer, one concept per file: transport, retry policy, request budget, response reading, auth. */
export * from './auth.js';
export * from './budget.js';
export * from './classify.js';
export * from './client-options.js';
export * from './oauth2.js';
export * from './response.js';
export * from './response-rules.js';
export * from './retry.js';
export * from './transport.js';
