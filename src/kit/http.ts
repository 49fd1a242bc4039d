/** The kit's HTTP layer, one concept per file: transport, retry policy, request budget, response reading. */
export { HttpClient, type HttpClientOptions, type RequestOrigin } from './transport.js';
export { serverDelaySeconds, retryDelaySeconds, RETRY_STATUS, NETWORK_CODES, type RetryPolicy } from './retry.js';
export { RequestBudget, type BudgetOptions } from './budget.js';
export { serverMessage, selectRecords, type RecordSelector } from './response.js';
