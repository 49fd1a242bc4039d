/**
 * The generator server (node:http, no framework): serves a Source's streams at `/<stream>` and
 * their children at `/<stream>/<id>/children`, in each stream's paginator style; `/gone` answers 404
 * (a sibling stream that fails). A request for a later page may first change the source (a run's
 * mutation budget allows it), and any API request may meet a transient fault drawn from the seed:
 * 429 with `Retry-After: 0`, 500/502/503, a connection reset, a 200 whose body is cut short.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLaterPage, page, type Listed } from './pages.js';
import type { Random } from './random.js';
import type { Source, StreamData } from './source.js';

export type FaultKind = '429' | '500' | '502' | '503' | 'reset' | 'truncated';
const FAULTS: readonly FaultKind[] = ['429', '500', '502', '503', 'reset', 'truncated'];

export interface ServerControls {
  /** Share of requests that meet a fault (0 turns faults off). */
  faultRate: number;
  /** Chance that a later page's request changes the source first. */
  mutationRate: number;
}

export interface GeneratorServer {
  url: string;
  controls: ServerControls;
  stats: { requests: number; faults: Record<FaultKind, number> };
  close(): Promise<void>;
}

function since(data: StreamData, value: string | null): number | undefined | 'bad' {
  if (value === null || value === '') return undefined;
  const ms = data.spec.cursorType === 'epoch' ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : 'bad';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startServer(source: Source, rng: Random, controls: ServerControls): Promise<GeneratorServer> {
  const stats = { requests: 0, faults: { '429': 0, '500': 0, '502': 0, '503': 0, reset: 0, truncated: 0 } as Record<FaultKind, number> };
  let base = '';

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests++;
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'gone') return send(res, 404, { error: 'not found' });
    const data = source.streams.get(parts[0] ?? '');
    if (!data) return send(res, 404, { error: `no such resource: ${url.pathname}` });

    if (controls.faultRate > 0 && rng.chance(controls.faultRate)) {
      const kind = rng.pick(FAULTS);
      stats.faults[kind]++;
      if (kind === 'reset') return void req.socket.destroy();
      if (kind === 'truncated') {
        const text = JSON.stringify({ data: [data.item([...data.rows.values()][0]!)] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        return void setImmediate(() => req.socket.destroy());
      }
      return send(res, Number(kind), { error: `transient ${kind}` }, kind === '429' ? { 'retry-after': '0' } : {});
    }
    if (isLaterPage(url) && controls.mutationRate > 0 && rng.chance(controls.mutationRate)) source.mutate(data.spec.name);

    if (parts.length === 1) {
      const from = since(data, url.searchParams.get('since'));
      if (from === 'bad') return send(res, 400, { error: `since: not a ${data.spec.cursorType === 'epoch' ? 'number' : 'date-time'}: ${url.searchParams.get('since')}` });
      const list: Listed[] = data.ordered()
        .filter((r) => from === undefined || r.updated_at >= from)
        .map((r) => ({ item: data.item(r), at: r.updated_at, id: r.id }));
      const p = page(list, data.spec.paginator, url, data.spec.pageSize, data.spec.order === 'asc');
      return send(res, 200, p.body, p.headers);
    }
    if (parts.length === 3 && parts[2] === 'children') {
      const row = data.rows.get(Number(parts[1]));
      if (!row) return send(res, 404, { error: `no parent ${parts[1]}` });
      const list: Listed[] = row.children.map((c) => ({ item: data.child(c), at: c.updated_at, id: c.id }));
      const p = page(list, data.spec.childPaginator, url, 3, false);
      return send(res, 200, p.body, p.headers);
    }
    return send(res, 404, { error: `no such resource: ${url.pathname}` });
  };

  const server: Server = createServer((req, res) => {
    try {
      answer(req, res);
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    controls,
    stats,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
