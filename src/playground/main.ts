/**
 * `playground` CLI: starts the mock API server.
 *
 * The first (and only) stdout line is `listening on http://HOST:PORT`; scripts wait for it.
 * Request logs (`--verbose`) and errors go to stderr.
 */
import { parseArgs } from 'node:util';
import { startPlayground, type FaultSpec, type FaultStatus, type RateLimitSpec } from './server.js';
import { FAULT_KINDS, parseRateFault, type RateFault } from './faults.js';

const FAULT_WIDTH = Math.max(...Object.keys(FAULT_KINDS).map((k) => k.length));

const USAGE = `Usage: playground [options]

  --port N                  port to listen on (default 5001; 0 = any free port)
  --host HOST               interface to bind (default 127.0.0.1)
  --seed N                  data generator seed (default 42)
  --token TOKEN             bearer token /auth/http_bearer accepts (default playground-token)
  --scale X                 dataset size multiplier (default 1 = 200 users)
  --fault STATUS:EVERY[:RETRY_AFTER]
                            answer every EVERY-th request with STATUS (429, 500, 502, 503); repeatable
  --fault KIND=RATE[,PARAM] hit a share RATE (0..1) of API requests with a fault KIND; repeatable:
${Object.entries(FAULT_KINDS).map(([k, v]) => `                              ${k.padEnd(FAULT_WIDTH)} ${v}`).join('\n')}
  --fault-seed N            seed of the fault draws (default: --seed); same seed, same faults
  --rate-limit CAPACITY:RPS token-bucket rate limiter (off by default)
  --latency MS              answer every API request after MS milliseconds (a slow, far-away API)
  --monitors N              benchmarks: Better Stack's monitors list serves N pre-rendered monitors
  --verbose                 log each request to stderr
  --help                    show this help

Admin endpoints: POST /__playground/mutate?count=N, GET /__playground/stats, GET /__playground/health,
GET /__playground/requests (the last 5000 requests: method, path, body)
`;

class UsageError extends Error {}

function int(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${flag} must be an integer, got '${raw}'`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be between ${min} and ${max}, got '${raw}'`);
  }
  return n;
}

function positive(flag: string, raw: string): number {
  const n = /^\d+(\.\d+)?$|^\.\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a positive number, got '${raw}'`);
  return n;
}

function parseFault(raw: string): FaultSpec {
  const [status, every, ...rest] = raw.split(':');
  const code = Number(status);
  if (code !== 429 && code !== 500 && code !== 502 && code !== 503) {
    throw new UsageError(`--fault status must be 429, 500, 502 or 503, got '${raw}'`);
  }
  if (every === undefined || !/^\d+$/.test(every) || Number(every) < 1) {
    throw new UsageError(`--fault expects STATUS:EVERY[:RETRY_AFTER] with EVERY >= 1, got '${raw}'`);
  }
  const spec: FaultSpec = { status: code as FaultStatus, every: Number(every) };
  // Retry-After may be an HTTP date, which itself contains colons.
  if (rest.length > 0) {
    const retryAfter = rest.join(':');
    if (!retryAfter || /[\r\n]/.test(retryAfter)) throw new UsageError(`--fault retry-after is invalid in '${raw}'`);
    spec.retryAfter = retryAfter;
  }
  return spec;
}

function parseRateLimit(raw: string): RateLimitSpec {
  const parts = raw.split(':');
  if (parts.length !== 2) throw new UsageError(`--rate-limit expects CAPACITY:RPS, got '${raw}'`);
  return { capacity: int('rate-limit capacity', parts[0] as string, 1), rps: positive('rate-limit rps', parts[1] as string) };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '5001' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: '42' },
        token: { type: 'string', default: 'playground-token' },
        scale: { type: 'string', default: '1' },
        fault: { type: 'string', multiple: true, default: [] },
        'fault-seed': { type: 'string' },
        'rate-limit': { type: 'string' },
        latency: { type: 'string' },
        monitors: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.token) throw new UsageError('--token must not be empty');
  if (!values.host) throw new UsageError('--host must not be empty');
  const port = int('port', values.port, 0, 65535);
  const seed = int('seed', values.seed, -0x80000000, 0xffffffff);
  const scale = positive('scale', values.scale);
  const faults = values.fault.filter((f) => !f.includes('=')).map(parseFault);
  const rateFaults = values.fault.filter((f) => f.includes('=')).map((raw): RateFault => {
    const parsed = parseRateFault(raw);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    return parsed;
  });
  const faultSeed = values['fault-seed'] === undefined ? undefined : int('fault-seed', values['fault-seed'], 0, 0xffffffff);
  const rateLimit = values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']);

  const playground = await startPlayground({
    port,
    host: values.host,
    seed,
    token: values.token,
    scale,
    faults,
    rateFaults,
    ...(faultSeed !== undefined ? { faultSeed } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(values.latency !== undefined ? { latencyMs: int('latency', values.latency, 0, 600_000) } : {}),
    ...(values.monitors !== undefined ? { monitors: int('monitors', values.monitors, 0, 100_000_000) } : {}),
    ...(values.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  process.stdout.write(`listening on ${playground.url}\n`);

  const stop = () => {
    playground.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`playground: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
