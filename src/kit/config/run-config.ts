import type { SettingsSchema } from './settings.js';

/**
 * The kit's built-in settings of one run, typed, taken once from the tap's validated settings. Each
 * has one default: its schema's (`builtinSettings`), which validation fills in; nothing downstream
 * defaults them again.
 */
export interface RunConfig {
  requestTimeoutSeconds: number;
  maxRetries: number;
  retryBackoffSeconds: number;
  userAgent: string;
  errorPolicy: 'fail' | 'skip';
  activateVersion: boolean;
  maxParallelRequests: number;
  maxParallelStreams: number;
  /** Unset: no fixed rate. */
  maxRequestsPerSecond?: number;
}

/**
 * The run configuration from `settings` (validated: defaults filled); a built-in setting still absent
 * (settings a tap assembled itself) takes the default `schema` declares for it.
 */
export function runConfig(settings: Readonly<Record<string, unknown>>, schema: SettingsSchema): RunConfig {
  const value = (name: string): unknown => settings[name] ?? schema.properties[name]?.default;
  const config: RunConfig = {
    requestTimeoutSeconds: Number(value('request_timeout')),
    maxRetries: Number(value('max_retries')),
    retryBackoffSeconds: Number(value('retry_backoff_seconds')),
    userAgent: String(value('user_agent')),
    errorPolicy: value('error_policy') === 'skip' ? 'skip' : 'fail',
    activateVersion: value('emit_activate_version_messages') === true,
    maxParallelRequests: Number(value('max_parallel_requests')),
    maxParallelStreams: Number(value('max_parallel_streams')),
  };
  const rate = value('max_requests_per_second');
  if (typeof rate === 'number') config.maxRequestsPerSecond = rate;
  return config;
}
