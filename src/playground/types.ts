import type { IncomingMessage, ServerResponse } from 'node:http';

/** Everything a mock API needs to answer one request. */
export interface MockRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Parsed request URL (absolute, with the server's own origin). */
  url: URL;
  /** `http://127.0.0.1:PORT`: the origin clients reached, for absolute next-page links. */
  origin: string;
  /** Request body, already read (empty string for GET). */
  body: string;
}

/** One source's mock API, mounted on the shared playground server. */
export interface MockApi {
  /** Short name, e.g. `playground`, `betterstack`. */
  readonly name: string;
  /** Answer the request and return true, or return false when the path is not this mock's. */
  handle(request: MockRequest): boolean | Promise<boolean>;
  /** Change `count` records as the real source would (new updated_at etc.); returns how many changed. */
  mutate(count: number): number;
  /** How many records each of this mock's resources serves now (for tests and the demo). */
  stats(): Record<string, number>;
}

/** Options every mock is built from. */
export interface MockOptions {
  /** Seed for the deterministic data generator. */
  seed: number;
  /** The secret the mock accepts (bearer token / API key). */
  token: string;
  /** Multiplier for dataset size (1 = the default sizes; benchmarks use more). */
  scale: number;
  /**
   * Benchmarks: the Better Stack monitors list serves this many monitors, pre-rendered (10,000
   * distinct monitors as JSON text, ids renumbered 1..N), so serving a page costs almost nothing.
   */
  monitors?: number;
}
