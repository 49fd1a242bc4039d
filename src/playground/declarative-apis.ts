/**
 * Mocks of the two sources described only as dlt rest_api definitions (seeds 003 and 004), and a
 * small catalogue API proving tap-rest's other features end to end:
 *
 * - monitoring API: `GET /v1/resource?api_key=KEY&offset=&limit=` -> `{data, offset, limit, total}`
 *   (limit capped at 100), 403 on a missing or bad key, `updated_since` (inclusive) filter;
 * - incident API under a base path: `/incidents-api/v1/{environments,services,functionalities,teams,webhooks}`
 *   `?page=N&limit=` -> `{data: [{id, type, attributes}], pagination: {next: N+1 | null}}`, bearer auth,
 *   page size capped at 50 (a client asking 200 still pages);
 * - catalogue API (`/catalog-api/...`): projects (`next` links) and their tasks (a parent/child pair:
 *   cursor + `has_more`, `updated_since`), one project by id, and `POST /oauth/token` (client
 *   credentials, HTTP basic) whose tokens serve 20 requests each and then answer 401, so a client
 *   must renew them; `/catalog-api/odd-keys` (and `/odd-keys/{constructor}/notes`) answer records
 *   whose field names are JavaScript's own (`__proto__`, `constructor`, `toString`...), which are
 *   data like any other.
 */
import type { ServerResponse } from 'node:http';
import type { MockApi, MockOptions, MockRequest } from './types.js';
import { REFERENCE_INSTANT, mulberry32 } from './users.js';

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A body already written as JSON text. */
function sendText(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function nonNegative(raw: string | null, dflt: number): number | undefined {
  if (raw === null || raw === '') return dflt;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

interface Timestamped {
  updated_at: string;
  updatedMs: number;
}

/** Moves `n` of the oldest-updated rows to now, as a live source would. */
function touchOldest<T extends Timestamped>(rows: T[], n: number, change: (row: T) => void): number {
  const now = Date.now();
  const oldest = [...rows].sort((a, b) => a.updatedMs - b.updatedMs).slice(0, n);
  for (const row of oldest) {
    change(row);
    row.updatedMs = now;
    row.updated_at = iso(now);
  }
  return oldest.length;
}

const MONITOR_STATUSES = ['up', 'down', 'paused', 'maintenance'];
const REGIONS = ['us', 'eu', 'as', 'au'];

interface MonitorRow extends Timestamped {
  id: number;
  name: string;
  url: string;
  status: string;
  customer_id: string;
  check_frequency: number;
  regions: string[];
  response_time_ms: number | null;
  created_at: string;
}

const MONITOR_LIMIT_MAX = 100;

export function monitoringMock(o: MockOptions): MockApi {
  const rnd = mulberry32(o.seed + 3);
  const count = Math.max(1, Math.round(250 * o.scale));
  const rows: MonitorRow[] = Array.from({ length: count }, (_, i) => {
    const created = REFERENCE_INSTANT - (count - i) * 3_600_000;
    const updated = created + Math.floor(rnd() * 30) * 60_000;
    return {
      id: i + 1,
      name: `monitor-${String(i + 1).padStart(4, '0')}`,
      url: `https://service-${i % 40}.example.test/health`,
      status: MONITOR_STATUSES[Math.floor(rnd() * MONITOR_STATUSES.length)] as string,
      customer_id: `cus_${(1000 + (i % 37)).toString(36)}`,
      check_frequency: [30, 60, 180, 300][i % 4] as number,
      regions: REGIONS.filter(() => rnd() < 0.6),
      response_time_ms: rnd() < 0.1 ? null : Math.round(rnd() * 900 * 10) / 10,
      created_at: iso(created),
      updated_at: iso(updated),
      updatedMs: Math.floor(updated / 1000) * 1000,
    };
  });
  const wire = ({ updatedMs: _u, ...row }: MonitorRow) => row;
  return {
    name: 'monitoring',
    handle({ res, url }: MockRequest): boolean {
      if (url.pathname !== '/v1/resource') return false;
      const key = url.searchParams.get('api_key');
      if (key !== o.token) {
        send(res, 403, { error: key ? 'Forbidden: invalid api_key' : 'Forbidden: api_key query parameter is required' });
        return true;
      }
      const offset = nonNegative(url.searchParams.get('offset'), 0);
      const asked = nonNegative(url.searchParams.get('limit'), 100);
      if (offset === undefined || asked === undefined || asked === 0) {
        send(res, 400, { error: "'offset' and 'limit' must be non-negative integers (limit >= 1)" });
        return true;
      }
      const since = url.searchParams.get('updated_since');
      const sinceMs = since === null ? undefined : Date.parse(since);
      if (sinceMs !== undefined && !Number.isFinite(sinceMs)) {
        send(res, 400, { error: "'updated_since' must be an RFC 3339 date-time" });
        return true;
      }
      const list = sinceMs === undefined ? rows : rows.filter((r) => r.updatedMs >= sinceMs);
      const limit = Math.min(asked, MONITOR_LIMIT_MAX);
      send(res, 200, { data: list.slice(offset, offset + limit).map(wire), offset, limit, total: list.length });
      return true;
    },
    mutate(n: number): number {
      return touchOldest(rows, Math.min(n, rows.length), (r) => {
        r.status = r.status === 'up' ? 'down' : 'up';
      });
    },
    stats: () => ({ resource: rows.length }),
  };
}

/** The incident API's resources, their JSON:API type and how many each serves at scale 1. */
const INCIDENT_RESOURCES: Array<[string, string, number]> = [
  ['environments', 'environment', 120],
  ['services', 'service', 260],
  ['functionalities', 'functionality', 140],
  ['teams', 'team', 75],
  ['webhooks', 'webhook', 60],
];
const INCIDENT_BASE = '/incidents-api/v1/';
const INCIDENT_PAGE_MAX = 50;

interface IncidentRow extends Timestamped {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
}

export function incidentsMock(o: MockOptions): MockApi {
  const rnd = mulberry32(o.seed + 4);
  const data = new Map<string, IncidentRow[]>();
  for (const [resource, type, base] of INCIDENT_RESOURCES) {
    const n = Math.max(1, Math.round(base * o.scale));
    data.set(resource, Array.from({ length: n }, (_, i) => {
      const created = REFERENCE_INSTANT - (n - i) * 5_400_000;
      const updated = created + Math.floor(rnd() * 90) * 60_000;
      const attributes: Record<string, unknown> = {
        name: `${type} ${i + 1}`,
        slug: `${type}-${i + 1}`,
        description: rnd() < 0.2 ? null : `The ${type} number ${i + 1}`,
        color: ['#ff0000', '#00aa00', '#0000ff', '#999999'][i % 4],
        position: i,
        created_at: iso(created),
        updated_at: iso(updated),
      };
      if (type === 'webhook') Object.assign(attributes, { url: `https://hooks.example.test/${i}`, enabled: rnd() < 0.8, events: ['incident.created', 'incident.resolved'].filter(() => rnd() < 0.7) });
      if (type === 'team') Object.assign(attributes, { members_count: Math.floor(rnd() * 20), notify_emails: rnd() < 0.5 });
      return { id: `${type.slice(0, 3)}_${String(i + 1).padStart(5, '0')}`, type, attributes, updated_at: iso(updated), updatedMs: Math.floor(updated / 1000) * 1000 };
    }));
  }
  return {
    name: 'incidents',
    handle({ req, res, url }: MockRequest): boolean {
      if (!url.pathname.startsWith(INCIDENT_BASE)) return false;
      const resource = url.pathname.slice(INCIDENT_BASE.length).replace(/\/$/, '');
      const rows = data.get(resource);
      if (!rows) return false;
      if (req.headers.authorization !== `Bearer ${o.token}`) {
        send(res, 401, { errors: [{ title: 'Unauthorized', detail: 'A valid bearer token is required' }] });
        return true;
      }
      const page = nonNegative(url.searchParams.get('page'), 1);
      const asked = nonNegative(url.searchParams.get('limit'), 20);
      if (page === undefined || page === 0 || asked === undefined || asked === 0) {
        send(res, 400, { errors: [{ title: 'Bad Request', detail: "'page' and 'limit' must be positive integers" }] });
        return true;
      }
      const limit = Math.min(asked, INCIDENT_PAGE_MAX);
      const slice = rows.slice((page - 1) * limit, page * limit);
      const more = page * limit < rows.length;
      send(res, 200, {
        data: slice.map((r) => ({ id: r.id, type: r.type, attributes: { ...r.attributes, updated_at: r.updated_at } })),
        pagination: { next: more ? page + 1 : null },
      });
      return true;
    },
    mutate(n: number): number {
      const services = data.get('services') ?? [];
      return touchOldest(services, Math.min(n, services.length), (r) => {
        r.attributes.description = `changed at ${new Date().toISOString()}`;
      });
    },
    stats: () => Object.fromEntries([...data].map(([k, v]) => [k, v.length])),
  };
}

interface Task extends Timestamped {
  id: number;
  project_id: number;
  title: string;
  done: boolean;
  estimate: number | null;
}

const TOKEN_USES = 20;
const CATALOG_BASE = '/catalog-api';

/**
 * Records whose field names plain JavaScript objects treat specially. Written as JSON text, as an
 * API sends them (an object literal would set a prototype for `__proto__` instead of a field); the
 * second record lacks `toString` and `valueOf`, the third has `__proto__: null`.
 */
const ODD_KEYS = (n: number): string => `{"id":${n},"name":"odd ${n}",` +
  (n === 3 ? '"__proto__":null,' : `"__proto__":{"admin":${n % 2 === 1},"level":${n}},`) +
  `"constructor":"builder-${n}","prototype":{"version":${n}},` +
  (n === 2 ? '' : `"toString":"item ${n}","valueOf":${n + 0.5},`) +
  `"hasOwnProperty":${n % 2 === 0},"nested":{"__proto__":"inner ${n}","constructor":${n === 1 ? 'null' : n},"toString":[${n},${n + 1}]},` +
  `"updated_at":"2025-0${n}-01T00:00:00Z"}`;
const ODD_NOTES = (parent: string, n: number): string =>
  `{"note_id":${n},"parent":${JSON.stringify(parent)},"__proto__":{"pinned":${n === 1}},"constructor":"note ${n}"}`;
const ODD_COUNT = 4;

/** Projects with their tasks (parent/child), one project by id, and an OAuth2 token endpoint. */
export function catalogMock(o: MockOptions): MockApi {
  const rnd = mulberry32(o.seed + 5);
  const projectCount = Math.max(1, Math.round(12 * o.scale));
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    id: i + 1, name: `Project ${i + 1}`, owner: { name: `owner-${i % 5}`, email: `owner${i % 5}@example.test` }, archived: i % 7 === 6,
  }));
  const tasks: Task[] = [];
  for (const p of projects) {
    const n = 5 + Math.floor(rnd() * 30);
    for (let j = 0; j < n; j++) {
      const updated = REFERENCE_INSTANT - Math.floor(rnd() * 200) * 3_600_000;
      tasks.push({ id: tasks.length + 1, project_id: p.id, title: `Task ${j + 1} of ${p.name}`, done: rnd() < 0.4, estimate: rnd() < 0.3 ? null : Math.round(rnd() * 40) / 2, updated_at: iso(updated), updatedMs: updated });
    }
  }
  const tokens = new Map<string, number>();
  let issued = 0;
  const clientAuth = `Basic ${Buffer.from(`catalog-client:${o.token}`).toString('base64')}`;
  const authorized = (header: string | undefined): boolean => {
    if (header === `Bearer ${o.token}`) return true;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const left = token ? tokens.get(token) : undefined;
    if (left === undefined || left <= 0) return false;
    tokens.set(token as string, left - 1);
    return true;
  };
  return {
    name: 'catalog',
    handle({ req, res, url, origin, body }: MockRequest): boolean {
      if (url.pathname === '/oauth/token') {
        const form = new URLSearchParams(body);
        if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials') {
          send(res, 400, { error: 'unsupported_grant_type' });
        } else if (req.headers.authorization !== clientAuth) {
          send(res, 401, { error: 'invalid_client' });
        } else {
          const token = `cat-token-${++issued}-${o.token.length}`;
          tokens.set(token, TOKEN_USES);
          send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
        }
        return true;
      }
      if (!url.pathname.startsWith(`${CATALOG_BASE}/`)) return false;
      if (!authorized(req.headers.authorization)) {
        send(res, 401, { error: 'invalid or expired token' });
        return true;
      }
      const path = url.pathname.slice(CATALOG_BASE.length);
      if (path === '/odd-keys') {
        sendText(res, `{"items":[${Array.from({ length: ODD_COUNT }, (_, i) => ODD_KEYS(i + 1)).join(',')}],"next":null}`);
        return true;
      }
      const notes = /^\/odd-keys\/builder-(\d+)\/notes$/.exec(path);
      if (notes && Number(notes[1]) >= 1 && Number(notes[1]) <= ODD_COUNT) {
        sendText(res, `{"items":[${[1, 2].map((k) => ODD_NOTES(`builder-${notes[1]}`, k)).join(',')}]}`);
        return true;
      }
      if (path === '/projects') {
        const after = nonNegative(url.searchParams.get('after'), 0) ?? 0;
        const page = projects.filter((p) => p.id > after).slice(0, 5);
        const last = page.at(-1);
        const next = last && last.id < projects.length ? `${origin}${CATALOG_BASE}/projects?after=${last.id}` : null;
        send(res, 200, { projects: page, next });
        return true;
      }
      const one = /^\/projects\/(\d+)$/.exec(path);
      if (one) {
        const p = projects.find((x) => x.id === Number(one[1]));
        if (p) send(res, 200, p);
        else send(res, 404, { error: 'project not found' });
        return true;
      }
      const children = /^\/projects\/(\d+)\/tasks$/.exec(path);
      if (children) {
        const projectId = Number(children[1]);
        if (!projects.some((p) => p.id === projectId)) {
          send(res, 404, { error: 'project not found' });
          return true;
        }
        const since = url.searchParams.get('updated_since');
        const sinceMs = since ? Date.parse(since) : undefined;
        const list = tasks.filter((t) => t.project_id === projectId && (sinceMs === undefined || t.updatedMs >= sinceMs)).sort((a, b) => a.id - b.id);
        const cursor = url.searchParams.get('cursor');
        const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
        const size = Math.min(nonNegative(url.searchParams.get('limit'), 10) ?? 10, 10);
        const page = list.slice(start, start + size);
        const more = start + size < list.length;
        send(res, 200, {
          items: page.map(({ updatedMs: _u, ...t }) => t),
          meta: { next_cursor: more ? Buffer.from(String(start + size)).toString('base64url') : null, has_more: more },
        });
        return true;
      }
      send(res, 404, { error: 'Not Found' });
      return true;
    },
    mutate(n: number): number {
      return touchOldest(tasks, Math.min(n, tasks.length), (t) => {
        t.done = !t.done;
      });
    },
    stats: () => ({ projects: projects.length, tasks: tasks.length, odd_keys: ODD_COUNT, odd_notes: ODD_COUNT * 2 }),
  };
}
