/**
 * Mock of fivetran-api-playground 1.1.9's users API: `/auth/http_bearer` and the four
 * `/pagination/*` endpoints, with the same parameters, defaults, validation order and messages.
 *
 * Deliberate differences from the real server:
 * - the data is deterministic (seeded) instead of faker + datetime.now();
 * - the real server sorts its global list in place on unfiltered requests, so `/auth/http_bearer`
 *   there returns "the first 20 in whatever order the last request left"; here it is always the
 *   first 20 users in creation order;
 * - `mutate()` stands in for a live source: it moves updatedAt of the oldest-updated users to now.
 */
import type { ServerResponse } from 'node:http';
import type { MockApi, MockOptions, MockRequest } from './types.js';
import { JOB_TITLES, REFERENCE_INSTANT, formatTimestamp, generateUsers, mulberry32, userCountForScale, type User } from './users.js';

const DEFAULT_ORDER_BY = 'updatedAt';
const DEFAULT_ORDER_TYPE = 'asc';
const DEFAULT_PAGE_SIZE = 10;
const KEYSET_PAGE_SIZE = 5 * DEFAULT_PAGE_SIZE;
const BEARER_PAGE = 20;

const INVALID_DATE_FORMAT_MESSAGE = "Invalid date format for 'updated_since'. Use 'YYYY-MM-DDTHH:MM:SSZ'";
const INVALID_ORDER_BY_MESSAGE = "Invalid value for 'order_by'. Use 'createdAt' or 'updatedAt'";
const INVALID_ORDER_TYPE_MESSAGE = "Invalid value for 'order_type'. Use 'asc' or 'desc'";
const MISSING_Z_MESSAGE = "Invalid date format for 'updated_since'. Must end with 'Z' for UTC";
const HEADER_MISSING = 'Authorization header is missing';
const BAD_KEY = 'Invalid API key or format';

type OrderBy = 'createdAt' | 'updatedAt';
type OrderType = 'asc' | 'desc';

// ---------------------------------------------------------------------------------------------
// Small Python look-alikes, so edge cases behave as in the Flask server.

/** `int(s)` as Python parses it (whitespace, sign, `_` between digits); undefined on failure. */
function pyInt(s: string): number | undefined {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (!m) return undefined;
  const n = Number((m[2] as string).replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/** Flask's `request.args.get(name, type=int, default=d)`: a value that is not an int gives the default. */
function intArg(params: URLSearchParams, name: string, dflt: number): number {
  const raw = params.get(name);
  if (raw === null) return dflt;
  return pyInt(raw) ?? dflt;
}

/** Python `seq[start:stop]` (negative indices count from the end). */
function pySlice<T>(arr: readonly T[], start: number, stop: number): T[] {
  const len = arr.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, len + i) : Math.min(len, i));
  return arr.slice(norm(start), norm(stop));
}

const DATETIME_RE =
  /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)$/i;
const DATETIME_Z_RE =
  /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)Z$/i;

/**
 * `datetime.strptime(s, '%Y-%m-%dT%H:%M:%S')` (or with a trailing `Z`), returned as the canonical
 * `YYYY-MM-DDTHH:MM:SS` string, which compares like the datetime; undefined where Python raises.
 */
function pyStrptime(s: string, withZ: boolean): string | undefined {
  const m = (withZ ? DATETIME_Z_RE : DATETIME_RE).exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x.trim())) as [
    number, number, number, number, number, number,
  ];
  if (year < 1 || second > 59) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysIn = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  if (day > daysIn) return undefined;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(minute)}:${p2(second)}`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Python `base64.b64decode(s)` (non-strict: skips foreign characters, stops after full padding). */
function pyB64decode(s: string): Uint8Array | undefined {
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const ch of s) {
    if (ch === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const v = B64.indexOf(ch);
    if (v < 0) continue;
    pads = 0;
    switch (quad) {
      case 0:
        left = v;
        quad = 1;
        break;
      case 1:
        out.push(((left << 2) | (v >> 4)) & 0xff);
        left = v & 0x0f;
        quad = 2;
        break;
      case 2:
        out.push(((left << 4) | (v >> 2)) & 0xff);
        left = v & 0x03;
        quad = 3;
        break;
      default:
        out.push(((left << 6) | v) & 0xff);
        quad = 0;
    }
  }
  return quad === 0 ? Uint8Array.from(out) : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded scroll_param as a canonical datetime string, or undefined for "Invalid scroll_param value". */
function decodeScrollParam(param: string): string | undefined {
  const bytes = pyB64decode(param);
  if (!bytes) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return pyStrptime(text, true);
}

// ---------------------------------------------------------------------------------------------

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json');
}

function badRequest(res: ServerResponse, error: string): void {
  sendJson(res, 400, { error });
}

/** Werkzeug's HTML error page, as Flask's `abort(401, description=...)` renders it. */
function unauthorized(res: ServerResponse, description: string): void {
  const esc = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;');
  const body =
    '<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n' +
    `<p>${esc}</p>\n`;
  send(res, 401, body, 'text/html; charset=utf-8');
}

/** `Unexpected query parameters: a, b` when any key is outside `allowed`, else undefined. */
function unexpectedParams(params: URLSearchParams, allowed: ReadonlySet<string>): string | undefined {
  const extra: string[] = [];
  for (const key of params.keys()) if (!allowed.has(key) && !extra.includes(key)) extra.push(key);
  return extra.length ? `Unexpected query parameters: ${extra.join(', ')}` : undefined;
}

/** Validate `updated_since`: canonical since string, '' when absent/empty, or an error message. */
function parseUpdatedSince(raw: string | null): { since: string; stripped: string } | { error: string } {
  if (!raw) return { since: '', stripped: '' };
  if (!raw.endsWith('Z')) return { error: MISSING_Z_MESSAGE };
  const stripped = raw.slice(0, -1);
  const since = pyStrptime(stripped, false);
  return since === undefined ? { error: INVALID_DATE_FORMAT_MESSAGE } : { since, stripped };
}

/** Keep URL-safe characters readable (as the real server's unencoded f-string), escape the rest. */
function queryValue(s: string): string {
  return s.replace(/[^A-Za-z0-9\-._~:]/g, (c) => encodeURIComponent(c));
}

const ALLOWED_NEXT_PAGE_URL = new Set(['order_by', 'order_type', 'per_page', 'updated_since', 'page']);
const ALLOWED_PAGE_NUMBER = new Set(['order_by', 'order_type', 'per_page', 'page', 'updated_since']);
const ALLOWED_OFFSET = new Set(['order_by', 'order_type', 'limit', 'offset', 'updated_since']);
const ALLOWED_KEYSET = new Set(['scroll_param', 'updated_since']);
const ALLOWED_CURSORS = new Set(['order_by', 'order_type', 'updated_since']);
const DEPARTMENT_NAMES = ['Engineering', 'HR', 'Finance', 'Sales'] as const;
const COMPANY_NAMES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'] as const;

interface Company { company_id: number; company_name: string; createdAt: string; updatedAt: string }
interface Department { department_id: number; company_id: number; department_name: string; createdAt: string; updatedAt: string }

/** The real server's 2 companies with 4 departments each (times `scale`), deterministic from the seed. */
function generateCompanies(seed: number, scale: number): { companies: Company[]; departments: Map<number, Department[]> } {
  const rnd = mulberry32(seed ^ 0x5eed);
  const companies: Company[] = [];
  const departments = new Map<number, Department[]>();
  const count = Math.max(1, Math.round(2 * scale));
  for (let i = 0; i < count; i++) {
    const created = REFERENCE_INSTANT - (200 - i) * 3_600_000 - Math.floor(rnd() * 3_600_000);
    const stamp = (ms: number) => formatTimestamp(ms + Math.floor(rnd() * 3_600_000));
    const company: Company = {
      company_id: i + 1,
      company_name: `${COMPANY_NAMES[i % COMPANY_NAMES.length]} ${Math.floor(i / COMPANY_NAMES.length) || ''}`.trim(),
      createdAt: formatTimestamp(created),
      updatedAt: stamp(created),
    };
    companies.push(company);
    departments.set(company.company_id, DEPARTMENT_NAMES.map((name, d) => ({
      department_id: d + 1, company_id: company.company_id, department_name: name, createdAt: formatTimestamp(created), updatedAt: stamp(created),
    })));
  }
  return { companies, departments };
}

const ROUTES = new Set([
  '/auth/http_bearer',
  '/pagination/next_page_url',
  '/pagination/page_number',
  '/pagination/offset',
  '/pagination/keyset',
  '/cursors/companies',
]);
const DEPARTMENTS_ROUTE = /^\/cursors\/([^/]+)\/departments$/;

export function bearerPlaygroundMock(opts: MockOptions): MockApi {
  const users: User[] = generateUsers(opts.seed, userCountForScale(opts.scale));
  /** Sorted views, built lazily and dropped on mutate. Stable sorts: ties keep creation order. */
  const sorted = new Map<string, User[]>();
  const { companies, departments } = generateCompanies(opts.seed, opts.scale);

  /** `/cursors/companies` and `/cursors/{company_id}/departments`: the whole (filtered, sorted) list in one page. */
  function cursorList<T extends { updatedAt: string; createdAt: string }>({ res, url }: MockRequest, list: readonly T[]): void {
    const params = url.searchParams;
    const unexpected = unexpectedParams(params, ALLOWED_CURSORS);
    if (unexpected) return badRequest(res, unexpected);
    const order = checkOrder(res, params);
    if (!order) return;
    const since = parseUpdatedSince(params.get('updated_since'));
    if ('error' in since) return badRequest(res, since.error);
    const sign = order.orderType === 'desc' ? -1 : 1;
    const items = list.filter((x) => !since.since || x.updatedAt.slice(0, 19) >= since.since)
      .sort((a, b) => (a[order.orderBy] < b[order.orderBy] ? -sign : a[order.orderBy] > b[order.orderBy] ? sign : 0));
    sendJson(res, 200, { data: items, total_items: items.length });
  }

  function departmentsOf(request: MockRequest, rawId: string): void {
    const id = /^[+-]?\d+$/.test(rawId) ? Number(rawId) : NaN;
    if (!Number.isFinite(id)) return badRequest(request.res, "Invalid value for 'company_id'. 'company_id' must be an integer");
    const list = departments.get(id);
    if (!list) return sendJson(request.res, 404, { error: `company_id '${id}' not found` });
    cursorList(request, list);
  }

  function ordered(orderBy: OrderBy, orderType: OrderType): User[] {
    const key = `${orderBy}:${orderType}`;
    let list = sorted.get(key);
    if (!list) {
      const sign = orderType === 'desc' ? -1 : 1;
      list = [...users].sort((a, b) => (a[orderBy] < b[orderBy] ? -sign : a[orderBy] > b[orderBy] ? sign : 0));
      sorted.set(key, list);
    }
    return list;
  }

  /** Sorted, then filtered on `updatedAt >= since` (same result as filter-then-stable-sort). */
  function select(orderBy: OrderBy, orderType: OrderType, since: string): User[] {
    const list = ordered(orderBy, orderType);
    return since ? list.filter((u) => u.updatedAt.slice(0, 19) >= since) : list;
  }

  function checkOrder(res: ServerResponse, params: URLSearchParams): { orderBy: OrderBy; orderType: OrderType } | undefined {
    const orderBy = params.get('order_by') ?? DEFAULT_ORDER_BY;
    if (orderBy !== 'createdAt' && orderBy !== 'updatedAt') {
      badRequest(res, INVALID_ORDER_BY_MESSAGE);
      return undefined;
    }
    const orderType = params.get('order_type') ?? DEFAULT_ORDER_TYPE;
    if (orderType !== 'asc' && orderType !== 'desc') {
      badRequest(res, INVALID_ORDER_TYPE_MESSAGE);
      return undefined;
    }
    return { orderBy, orderType };
  }

  function httpBearer({ req, res }: MockRequest): void {
    const header = req.headers.authorization;
    if (!header) return unauthorized(res, HEADER_MISSING);
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space) !== 'Bearer' || header.slice(space + 1) !== opts.token) {
      return unauthorized(res, BAD_KEY);
    }
    sendJson(res, 200, { data: users.slice(0, BEARER_PAGE) });
  }

  function nextPageUrl({ res, url, origin }: MockRequest): void {
    const params = url.searchParams;
    const unexpected = unexpectedParams(params, ALLOWED_NEXT_PAGE_URL);
    if (unexpected) return badRequest(res, unexpected);
    const order = checkOrder(res, params);
    if (!order) return;
    const perPage = intArg(params, 'per_page', DEFAULT_PAGE_SIZE);
    if (!(perPage >= 1 && perPage <= 50)) {
      return badRequest(res, "Invalid value for 'per_page'. It should be between 1 and 50.");
    }
    const since = parseUpdatedSince(params.get('updated_since'));
    if ('error' in since) return badRequest(res, since.error);
    const items = select(order.orderBy, order.orderType, since.since);
    const page = intArg(params, 'page', 1);
    const start = (page - 1) * perPage;
    const end = start + perPage;
    let next: string | null = null;
    if (end < items.length) {
      next =
        `${origin}${url.pathname}?page=${page + 1}&per_page=${perPage}` +
        `&order_by=${order.orderBy}&order_type=${order.orderType}`;
      if (since.stripped) next += `&updated_since=${queryValue(since.stripped)}Z`;
    }
    sendJson(res, 200, {
      data: pySlice(items, start, end),
      total_items: items.length,
      page,
      per_page: perPage,
      next_page_url: next,
    });
  }

  function pageNumber({ res, url }: MockRequest): void {
    const params = url.searchParams;
    const unexpected = unexpectedParams(params, ALLOWED_PAGE_NUMBER);
    if (unexpected) return badRequest(res, unexpected);
    const order = checkOrder(res, params);
    if (!order) return;
    const perPage = intArg(params, 'per_page', DEFAULT_PAGE_SIZE);
    const page = intArg(params, 'page', 1);
    if (!(perPage >= 1 && perPage <= 50)) {
      return badRequest(res, "Invalid value for 'per_page'. It should be between 1 and 50.");
    }
    if (page < 1) return badRequest(res, "Invalid value for 'page'. It must be greater than or equal to 1.");
    const since = parseUpdatedSince(params.get('updated_since'));
    if ('error' in since) return badRequest(res, since.error);
    const items = select(order.orderBy, order.orderType, since.since);
    const start = (page - 1) * perPage;
    sendJson(res, 200, {
      data: items.slice(start, start + perPage),
      page,
      page_size: perPage,
      total_pages: Math.floor((items.length + perPage - 1) / perPage),
      total_items: items.length,
    });
  }

  function offset({ res, url }: MockRequest): void {
    const params = url.searchParams;
    const unexpected = unexpectedParams(params, ALLOWED_OFFSET);
    if (unexpected) return badRequest(res, unexpected);
    const limit = intArg(params, 'limit', DEFAULT_PAGE_SIZE);
    const off = intArg(params, 'offset', 0);
    if (!(limit >= 1 && limit <= 50)) {
      return badRequest(res, "Invalid value for 'limit'. It should be between 1 and 50.");
    }
    if (off < 0) return badRequest(res, "Invalid value for 'offset'. It must be greater than or equal to 0.");
    const order = checkOrder(res, params);
    if (!order) return;
    const since = parseUpdatedSince(params.get('updated_since'));
    if ('error' in since) return badRequest(res, since.error);
    const items = select(order.orderBy, order.orderType, since.since);
    sendJson(res, 200, { data: items.slice(off, off + limit), offset: off, limit, total: items.length });
  }

  function keyset({ res, url }: MockRequest): void {
    const params = url.searchParams;
    const unexpected = unexpectedParams(params, ALLOWED_KEYSET);
    if (unexpected) return badRequest(res, unexpected);
    const scroll = params.get('scroll_param');
    const updatedSince = params.get('updated_since');
    if (scroll && updatedSince) {
      return badRequest(
        res,
        "You can only use 'updated_since' in first request, subsequent requests should use only 'scroll_param'",
      );
    }
    let items = ordered('updatedAt', 'asc');
    if (updatedSince) {
      const since = parseUpdatedSince(updatedSince);
      if ('error' in since) return badRequest(res, since.error);
      items = items.filter((u) => u.updatedAt.slice(0, 19) >= since.since);
    } else if (scroll) {
      const after = decodeScrollParam(scroll);
      if (after === undefined) return badRequest(res, 'Invalid scroll_param value');
      items = items.filter((u) => u.updatedAt.slice(0, 19) > after);
    }
    const page = items.slice(0, KEYSET_PAGE_SIZE);
    const last = page[page.length - 1];
    const next = items.length > KEYSET_PAGE_SIZE && last ? Buffer.from(last.updatedAt, 'utf8').toString('base64') : null;
    sendJson(res, 200, { data: page, scroll_param: next });
  }

  return {
    name: 'playground',

    handle(request: MockRequest): boolean {
      const path = request.url.pathname;
      const departmentsMatch = DEPARTMENTS_ROUTE.exec(path);
      if (!ROUTES.has(path) && !departmentsMatch) return false;
      const method = request.req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        request.res.setHeader('allow', 'GET, HEAD');
        sendJson(request.res, 405, { error: 'Method Not Allowed' });
        return true;
      }
      if (departmentsMatch) {
        departmentsOf(request, decodeURIComponent(departmentsMatch[1] as string));
        return true;
      }
      switch (path) {
        case '/cursors/companies':
          cursorList(request, companies);
          break;
        case '/auth/http_bearer':
          httpBearer(request);
          break;
        case '/pagination/next_page_url':
          nextPageUrl(request);
          break;
        case '/pagination/page_number':
          pageNumber(request);
          break;
        case '/pagination/offset':
          offset(request);
          break;
        default:
          keyset(request);
      }
      return true;
    },

    mutate(count: number): number {
      const n = Math.max(0, Math.min(users.length, Math.floor(count)));
      if (n === 0) return 0;
      const now = formatTimestamp(Date.now());
      // Oldest-updated first (stable: ties in creation order), so repeated mutations cycle through everyone.
      const victims = ordered('updatedAt', 'asc').slice(0, n);
      for (const user of victims) {
        user.updatedAt = now;
        user.job = JOB_TITLES[(JOB_TITLES.indexOf(user.job) + 1) % JOB_TITLES.length] as string;
      }
      sorted.clear();
      // And one department of each of the first ceil(n/2) companies, as the real server's random touches do.
      let changed = n;
      for (const company of companies.slice(0, Math.ceil(n / 2))) {
        const dept = departments.get(company.company_id)?.[0];
        if (dept) {
          dept.updatedAt = now;
          changed++;
        }
      }
      return changed;
    },

    stats(): Record<string, number> {
      let depts = 0;
      for (const list of departments.values()) depts += list.length;
      return { users: users.length, companies: companies.length, departments: depts };
    },
  };
}
