/**
 * Runs the kit's real sync loop in-process against a tiny local HTTP server, for kit behaviours the
 * playground has no endpoint for (big integers, unions, nested fields...). Stdout is captured as text
 * and parsed losslessly, so what a target would read is what the test sees.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { defineTap, type TapDefinition } from '../../../src/kit/tap/tap.js';
import { selectionsFrom, parseArgs } from '../../../src/kit/cli/cli.js';
import { validateSettings } from '../../../src/kit/config/settings-validate.js';
import { StateManager, type StateValue } from '../../../src/kit/run/state.js';
import { HttpClient } from '../../../src/kit/http/index.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { MessageWriter } from '../../../src/kit/output/messages.js';
import { SyncRun } from '../../../src/kit/run/sync.js';
import { createAjv } from '../../../src/kit/records/validate.js';
import { noAuth } from '../../../src/kit/http/auth.js';
import { parseJson } from '../../../src/kit/core/jsontext.js';
import type { StreamDef } from '../../../src/kit/tap/stream.js';
import type { JsonObject } from '../../../src/kit/core/json.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface Message {
  type: string;
  stream?: string;
  record?: Record<string, unknown>;
  value?: StateValue;
  time_extracted?: string;
  version?: number;
  schema?: { properties?: Record<string, unknown> };
  [k: string]: unknown;
}

export interface SyncResult {
  /** Raw stdout. */
  stdout: string;
  messages: Message[];
  stderr: string;
  error?: Error;
  requests: string[];
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

export async function syncWith(options: {
  streams: Array<StreamDef<Record<string, unknown>>>;
  handler: Handler;
  settings?: Record<string, unknown>;
  catalog?: unknown;
  state?: StateValue;
  tap?: Partial<TapDefinition<Record<string, unknown>>>;
}): Promise<SyncResult> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    options.handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-harness-'));
  let stdout = '';
  let stderr = '';
  const out = new Writable({ write(chunk, _enc, cb) { stdout += String(chunk); cb(); } });
  const errOut = { write: (s: string) => { stderr += s; return true; }, isTTY: false } as unknown as NodeJS.WriteStream;
  const redactor = new Redactor();
  const log = new Logger('tap-harness-test', { redactor, out: errOut, level: 'info' });
  let http: HttpClient | undefined;
  const result: SyncResult = { stdout: '', messages: [], stderr: '', requests };
  try {
    const tap = defineTap<Record<string, unknown>>({
      name: 'tap-harness-test', description: 'test', version: '0.0.0',
      catalogDir: new URL('file:///nonexistent/'),
      settings: { type: 'object', properties: { start_date: { type: 'string', format: 'date-time' } } },
      client: () => ({ baseUrl, auth: noAuth }),
      streams: options.streams,
      ...options.tap,
    });
    const argv: string[] = [];
    if (options.catalog) {
      const file = path.join(dir, 'catalog.json');
      writeFileSync(file, JSON.stringify(options.catalog));
      argv.push('--catalog', file);
    }
    const args = parseArgs(tap.name, argv);
    if (args === 'help') throw new Error('help');
    const { settings } = validateSettings({ ...options.settings }, { schema: tap.settingsSchema, tapName: tap.name, requireAll: true });
    const streams = selectionsFrom(tap, args, { shapes: tap.shapes, log });
    const state = new StateManager(options.state, (m) => log.warn(m));
    http = new HttpClient({ baseUrl, auth: noAuth, userAgent: 'test', timeoutSeconds: 5, maxRetries: Number(settings.max_retries ?? 5), backoffSeconds: 0.01 }, log);
    const writer = new MessageWriter(out);
    const run = new SyncRun({
      tap, settings, streams, state, stateGiven: options.state !== undefined, writer, log, http, mode: 'sync',
      activateVersion: settings.emit_activate_version_messages === true,
      errorPolicy: settings.error_policy === 'skip' ? 'skip' : 'fail',
      signal: { stopped: false },
      ...(typeof settings.start_date === 'string' ? { startDate: settings.start_date } : {}),
    }, createAjv());
    try {
      await run.run();
    } catch (error) {
      result.error = error as Error;
    }
    await writer.close();
  } finally {
    http?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
  result.stdout = stdout;
  result.stderr = stderr;
  result.messages = stdout.split('\n').filter(Boolean).map((l) => parseJson(l) as Message);
  return result;
}

export const recordsOf = (r: SyncResult, stream: string): JsonObject[] =>
  r.messages.filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record as JsonObject);
export const lastState = (r: SyncResult): StateValue | undefined =>
  [...r.messages].reverse().find((m) => m.type === 'STATE')?.value;
