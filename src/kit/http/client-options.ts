import type { RunConfig } from '../config/run-config.js';
import type { Authenticator } from './auth.js';
import type { HttpClientOptions } from './transport.js';

/** The HTTP client of a run: the tap's client (base URL, auth, headers) with the run's HTTP settings. */
export function httpOptions(run: RunConfig, client: { baseUrl: string; auth: Authenticator; headers?: Record<string, string> | undefined }): HttpClientOptions {
  const options: HttpClientOptions = {
    baseUrl: client.baseUrl,
    auth: client.auth,
    userAgent: run.userAgent,
    timeoutSeconds: run.requestTimeoutSeconds,
    maxRetries: run.maxRetries,
    backoffSeconds: run.retryBackoffSeconds,
    maxParallelRequests: run.maxParallelRequests,
  };
  if (run.maxRequestsPerSecond !== undefined) options.maxRequestsPerSecond = run.maxRequestsPerSecond;
  if (client.headers) options.headers = client.headers;
  return options;
}
