/**
 * Mock of the Better Stack Uptime API (https://uptime.betterstack.com), the endpoints tap-betterstack
 * reads: monitors, status pages, monitor groups, heartbeats, heartbeat groups (v2), incidents (v3)
 * and on-call calendars (v2), with the real API's JSON:API shapes, pagination and auth failure.
 *
 * Shapes follow Better Stack's API docs and the types its own Terraform provider decodes into:
 * - every list is `{data:[{id (string), type, attributes, relationships?}], pagination:{first,last,prev,next}}`,
 *   the pagination links absolute (here: built on the request's own origin), `prev`/`next` null at the ends;
 * - `page` from 1, `per_page` default 50 / max 250 (incidents: default 10 / max 50); a larger
 *   `per_page` is capped, not rejected; a page past the end is `data: []` with `next: null`;
 * - foreign keys inside attributes are numbers (`monitor_group_id`, `heartbeat_group_id`,
 *   `incident_group_id`, `escalation_policy_id`) except `policy_id`, which is a string; `port` is a
 *   string (an SMTP monitor's is e.g. "25,465,587"); `ssl_expiration` / `domain_expiration` are
 *   day counts (7, 14, ...) or null, not dates; `maintenance_from/to` are "HH:MM:SS" or null;
 * - incident `response_options` is a JSON-encoded *string* ("{}") or null, as the docs show, while
 *   `metadata` is an object of arrays (`{"Response code":[{"type":"String","value":"404"}]}`);
 * - incidents have no created_at/updated_at; `relationships.monitor.data` is one object or null
 *   (heartbeat incidents also carry `relationships.heartbeat.data`); newest first;
 * - on-calls carry `relationships.on_call_users.data: [{id, type:"user", meta:{email}}]` and a
 *   top-level `included` with the users referenced on that page, once each;
 * - a missing or wrong token gets 401 `{"errors":"Invalid Team API token. ..."}`.
 *
 * Deliberate differences from the real server:
 * - the data is deterministic (seeded, relative to REFERENCE_INSTANT) instead of live;
 * - timestamps are mostly UTC with milliseconds and `Z`, but a few carry a `+02:00`-style offset,
 *   so that clients have to normalise them (the real API is not consistent about it either);
 * - `from`/`to` are the only filters implemented (others, such as `monitor_id`, are ignored but kept in
 *   the pagination links); a malformed date gets a 400 `{"errors": ...}`;
 * - `mutate()` stands in for a live account: monitors and heartbeats change status, a new incident
 *   starts and an older one is resolved.
 */
import type { ServerResponse } from 'node:http';
import type { MockApi, MockOptions, MockRequest } from './types.js';
import { REFERENCE_INSTANT, mulberry32 } from './users.js';

// ---------------------------------------------------------------------------------------------
// Constants.

const BASE_SIZES = {
  monitors: 520,
  status_pages: 12,
  monitor_groups: 8,
  heartbeats: 40,
  heartbeat_groups: 6,
  incidents: 130,
  on_call_calendars: 5,
} as const;

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 250;
const INCIDENTS_DEFAULT_PER_PAGE = 10;
const INCIDENTS_MAX_PER_PAGE = 50;

const UNAUTHORIZED_BODY = {
  errors:
    'Invalid Team API token. How to find your Team API token: ' +
    'https://betterstack.com/docs/uptime/api/getting-started-with-better-uptime-api#obtaining-a-better-uptime-api-token',
};

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ROUTES = {
  '/api/v2/monitors': 'monitors',
  '/api/v2/status-pages': 'status_pages',
  '/api/v2/monitor-groups': 'monitor_groups',
  '/api/v2/heartbeats': 'heartbeats',
  '/api/v2/heartbeat-groups': 'heartbeat_groups',
  '/api/v3/incidents': 'incidents',
  '/api/v2/on-calls': 'on_call_calendars',
} as const;

type Route = (typeof ROUTES)[keyof typeof ROUTES];

const TEAMS = ['Production', 'Production', 'Production', 'Platform', 'Test team'] as const;
const REGIONS = ['us', 'eu', 'as', 'au'] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const TIMEZONES = ['UTC', 'Amsterdam', 'Prague', 'Eastern Time (US & Canada)', 'Tokyo', 'London'] as const;

const SERVICES = [
  'Billing', 'Checkout', 'Auth', 'Search', 'Catalog', 'Inventory', 'Payments', 'Notifications',
  'Reports', 'Analytics', 'Uploads', 'Webhooks', 'Gateway', 'Accounts', 'Shipping', 'Pricing',
] as const;
const KINDS = ['API', 'website', 'admin', 'worker', 'health check', 'dashboard', 'service'] as const;
const ENVS = ['', '', '', 'staging-', 'eu-', 'us-'] as const;
const DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

const MONITOR_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['status', 40],
  ['keyword', 15],
  ['expected_status_code', 10],
  ['ping', 10],
  ['tcp', 8],
  ['dns', 4],
  ['smtp', 4],
  ['keyword_absence', 3],
  ['udp', 2],
  ['playwright', 4],
];
const HTTP_TYPES = new Set(['status', 'keyword', 'expected_status_code', 'keyword_absence']);

const MONITOR_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ['up', 75],
  ['down', 5],
  ['validating', 5],
  ['paused', 8],
  ['pending', 3],
  ['maintenance', 4],
];

const GROUP_NAMES = [
  'Production', 'Staging', 'APIs', 'Websites', 'Databases', 'Internal tools', 'Marketing', 'Payments',
] as const;
const HEARTBEAT_NAMES = [
  'Nightly backup', 'Invoice cron', 'Queue drain', 'Search reindex', 'Cache warmup', 'Log rotation',
  'Report mailer', 'Data export', 'Sitemap build', 'Cleanup job',
] as const;
const HEARTBEAT_GROUP_NAMES = ['Cron jobs', 'Backups', 'ETL', 'Workers', 'Billing jobs', 'Maintenance'] as const;

const FIRST_NAMES = ['Tomas', 'Jana', 'Alice', 'Bob', 'Priya', 'Wei', 'Maria', 'John', 'Olga', 'Kenji', 'Sara', 'Luis'] as const;
const LAST_NAMES = ['Hromada', 'Novak', 'Smith', 'Jones', 'Patel', 'Chen', 'Garcia', 'Doe', 'Ivanova', 'Sato', 'Berg', 'Lopez'] as const;
const CALENDAR_NAMES = ['Tier 2', 'Database on-call', 'Weekend rota', 'Security', 'Frontend', 'Infra'] as const;

const MANUAL_INCIDENTS = [
  'Database failover', 'Elevated error rates', 'Degraded search latency', 'Payment provider outage',
  'DNS propagation issue', 'Scheduled maintenance overrun',
] as const;
const HTTP_CAUSES = [
  ['Status 500', '500'], ['Status 502', '502'], ['Status 503', '503'], ['Status 404', '404'],
  ['Timeout (no headers received)', null], ['SSL certificate expired', null], ['Connection refused', null],
] as const;

const CUSTOM_STATUS_CODES = [[200], [200, 201], [200, 204, 301], [200, 302]] as const;
const HEADER_SAMPLES = [
  ['Content-Type', 'application/json'], ['Accept', 'application/xml'], ['X-Api-Key', 'redacted'],
  ['User-Agent', 'Better Stack Uptime'],
] as const;

// ---------------------------------------------------------------------------------------------
// Types.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Attributes = { [key: string]: Json };

interface Resource {
  id: string;
  type: string;
  attributes: Attributes;
  relationships?: { [key: string]: Json };
}

/** One record: the wire object plus what the mock needs to sort, filter and mutate it. */
interface Rec {
  num: number;
  wire: Resource;
  updatedMs: number;
}

interface IncidentRec extends Rec {
  startedMs: number;
  /** UTC date of started_at, `YYYY-MM-DD`. */
  startedDate: string;
  monitorId: string | null;
  heartbeatId: string | null;
}

interface CalendarRec extends Rec {
  userIds: string[];
}

interface UserRec {
  id: string;
  wire: Resource;
  email: string;
  name: string;
}

interface Pagination {
  first: string;
  last: string;
  prev: string | null;
  next: string | null;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

type Rnd = () => number;

function randInt(rnd: Rnd, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

function pick<T>(rnd: Rnd, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function weighted(rnd: Rnd, table: ReadonlyArray<readonly [string, number]>): string {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return (table[table.length - 1] as readonly [string, number])[0];
}

function chance(rnd: Rnd, p: number): boolean {
  return rnd() < p;
}

/** An independent PRNG stream per resource, so one resource's size never shifts another's data. */
function stream(seed: number, k: number): Rnd {
  return mulberry32((seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The same instant written in local time at `offsetMinutes` from UTC: `...T12:15:30.000+02:00`. */
function isoOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A random 0-999 ms, so timestamps carry real milliseconds. */
function jitterMs(rnd: Rnd): number {
  return randInt(rnd, 0, 999);
}

function alnum(rnd: Rnd, n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rnd() * chars.length)];
  return s;
}

function hex(rnd: Rnd, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * `count` strictly ascending numeric ids: the first few short (1 digit, 2, 3, 5 digits), the rest
 * from `base` (or the previous id) up, so that comparing them as strings ("9" > "12345") gives the wrong order.
 */
function makeIds(rnd: Rnd, count: number, base: number): number[] {
  const ids: number[] = [];
  const ranges: Array<[number, number]> = [[1, 9], [10, 99], [100, 999], [10_000, 99_999]];
  let next = base;
  for (let i = 0; i < count; i++) {
    const range = ranges[i];
    if (range) ids.push(randInt(rnd, range[0], range[1]));
    else {
      next = Math.max(next, ids[ids.length - 1] ?? 0) + randInt(rnd, 1, 7);
      ids.push(next);
    }
  }
  return ids;
}

function sizeFor(base: number, scale: number): number {
  return Math.max(1, Math.round(base * scale));
}

function subset<T>(rnd: Rnd, list: readonly T[], p: number, nonEmpty: boolean): T[] {
  const out = list.filter(() => chance(rnd, p));
  if (nonEmpty && out.length === 0) out.push(pick(rnd, list));
  return list.filter((x) => out.includes(x));
}

function maintenance(rnd: Rnd, p: number): Attributes {
  if (!chance(rnd, p)) {
    return { maintenance_from: null, maintenance_to: null, maintenance_timezone: 'UTC', maintenance_days: [] };
  }
  const from = randInt(rnd, 0, 4);
  return {
    maintenance_from: `${String(from).padStart(2, '0')}:00:00`,
    maintenance_to: `${String(from + randInt(rnd, 1, 3)).padStart(2, '0')}:${pick(rnd, ['00', '30'])}:00`,
    maintenance_timezone: pick(rnd, TIMEZONES),
    maintenance_days: chance(rnd, 0.5) ? [...DAYS] : subset(rnd, DAYS, 0.4, true),
  };
}

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Positive integer query value, or undefined when absent / not a positive integer. */
function positiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid `YYYY-MM-DD` calendar date, else undefined. */
function parseDate(raw: string): string | undefined {
  const m = DATE_RE.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Dataset.

interface Dataset {
  monitors: Rec[];
  statusPages: Rec[];
  monitorGroups: Rec[];
  heartbeats: Rec[];
  heartbeatGroups: Rec[];
  /** Newest first. */
  incidents: IncidentRec[];
  calendars: CalendarRec[];
  users: Map<string, UserRec>;
}

function monitorName(rnd: Rnd): { name: string; host: string } {
  const service = pick(rnd, SERVICES);
  const kind = pick(rnd, KINDS);
  const env = pick(rnd, ENVS);
  return { name: `${env ? env.slice(0, -1) + ' ' : ''}${service} ${kind}`, host: `${env}${slug(service)}.${pick(rnd, DOMAINS)}` };
}

function groups(seed: number, k: number, count: number, base: number, type: string, names: readonly string[]): Rec[] {
  const rnd = stream(seed, k);
  const ids = makeIds(rnd, count, base);
  return ids.map((num, i) => {
    const created = REFERENCE_INSTANT - 400 * DAY + i * 3 * DAY + randInt(rnd, 0, DAY) + jitterMs(rnd);
    const updated = Math.min(REFERENCE_INSTANT - HOUR, created + randInt(rnd, 0, 200) * DAY + randInt(rnd, 0, DAY));
    const base_ = names[i % names.length] as string;
    const name = i < names.length ? base_ : `${base_} ${Math.floor(i / names.length) + 1}`;
    const attributes: Attributes = {
      name,
      sort_index: i,
      created_at: iso(created),
      updated_at: iso(updated),
      team_name: pick(rnd, TEAMS),
      paused: chance(rnd, 0.1),
    };
    return { num, updatedMs: updated, wire: { id: String(num), type, attributes } };
  });
}

function buildMonitors(seed: number, count: number, groupIds: number[]): Rec[] {
  const rnd = stream(seed, 1);
  const ids = makeIds(rnd, count, 1_000_000);
  return ids.map((num, i) => {
    const { name, host } = monitorName(rnd);
    const type = weighted(rnd, MONITOR_TYPES);
    const http = HTTP_TYPES.has(type) || type === 'playwright';
    const status = weighted(rnd, MONITOR_STATUSES);
    const created = REFERENCE_INSTANT - (count - i) * 2 * HOUR - 30 * DAY - randInt(rnd, 0, 59) * MINUTE - jitterMs(rnd);
    const updated = Math.min(REFERENCE_INSTANT - MINUTE, created + randInt(rnd, 0, 40) * DAY + randInt(rnd, 0, DAY) + jitterMs(rnd));
    const checkFrequency = pick(rnd, [30, 60, 60, 180, 180, 300]);
    const pausedMs = status === 'paused' ? created + Math.floor((updated - created) * rnd()) : null;
    const lastChecked =
      status === 'pending' ? null : pausedMs !== null ? pausedMs - randInt(rnd, 1, 300) * 1000 : REFERENCE_INSTANT - randInt(rnd, 1, checkFrequency) * 1000;
    const method = http ? pick(rnd, ['get', 'get', 'get', 'get', 'head', 'post']) : 'get';
    let url: string;
    let port: string | null = null;
    switch (type) {
      case 'ping':
        url = host;
        break;
      case 'tcp':
      case 'udp':
        url = `db-${randInt(rnd, 1, 9)}.${pick(rnd, DOMAINS)}`;
        port = pick(rnd, ['5432', '3306', '6379', '443', '53']);
        break;
      case 'smtp':
        url = `mail.${pick(rnd, DOMAINS)}`;
        port = pick(rnd, ['25', '587', '25,465,587']);
        break;
      case 'dns':
        url = pick(rnd, DOMAINS);
        break;
      default:
        url = `https://${host}/${pick(rnd, ['', 'health', 'status', 'api/ping', 'login'])}`;
    }
    const https = url.startsWith('https://');
    const headers: Json[] =
      HTTP_TYPES.has(type) && chance(rnd, 0.3)
        ? subset(rnd, HEADER_SAMPLES, 0.4, true).map(([n, v]) => ({ id: String(randInt(rnd, 100, 999_999)), name: n, value: v }))
        : [];
    const attrs: Attributes = {
      url,
      pronounceable_name: name,
      monitor_type: type,
      monitor_group_id: groupIds.length > 0 && chance(rnd, 0.7) ? pick(rnd, groupIds) : null,
      last_checked_at: lastChecked === null ? null : iso(Math.floor(lastChecked / 1000) * 1000),
      status,
      policy_id: chance(rnd, 0.25) ? String(randInt(rnd, 1, 99_999)) : null,
      team_name: pick(rnd, TEAMS),
      required_keyword: type === 'keyword' || type === 'keyword_absence' ? pick(rnd, ['OK', 'We call you', '"status":"ok"', 'Sign in']) : null,
      verify_ssl: https ? chance(rnd, 0.9) : false,
      check_frequency: checkFrequency,
      call: chance(rnd, 0.3),
      sms: chance(rnd, 0.3),
      email: chance(rnd, 0.9),
      push: chance(rnd, 0.7),
      team_wait: chance(rnd, 0.5) ? null : pick(rnd, [0, 180, 300, 600]),
      http_method: method,
      request_timeout: type === 'tcp' || type === 'udp' || type === 'smtp' ? pick(rnd, [500, 1000, 5000]) : pick(rnd, [15, 30, 45, 60]),
      recovery_period: pick(rnd, [0, 0, 180, 300]),
      request_headers: headers,
      request_body: !HTTP_TYPES.has(type) ? null : method === 'post' ? '{"ping":true}' : '',
      paused_at: pausedMs === null ? null : iso(pausedMs),
      created_at: i % 61 === 5 ? isoOffset(created, 120) : iso(created),
      updated_at: i % 73 === 7 ? isoOffset(updated, -300) : iso(updated),
      ssl_expiration: https && chance(rnd, 0.6) ? pick(rnd, [7, 14, 30, 60]) : null,
      domain_expiration: https && chance(rnd, 0.4) ? pick(rnd, [14, 30, 60]) : null,
      regions: subset(rnd, REGIONS, 0.7, true),
      ...maintenance(rnd, 0.2),
      port,
      confirmation_period: pick(rnd, [0, 3, 60, 120]),
      expected_status_codes: type === 'expected_status_code' ? [...pick(rnd, CUSTOM_STATUS_CODES)] : [],
    };
    return { num, updatedMs: updated, wire: { id: String(num), type: 'monitor', attributes: attrs } };
  });
}

function buildStatusPages(seed: number, count: number): Rec[] {
  const rnd = stream(seed, 2);
  const ids = makeIds(rnd, count, 200_000);
  return ids.map((num, i) => {
    const company = `${pick(rnd, SERVICES)} ${pick(rnd, ['Inc', 'Labs', 'Cloud', 'Systems'])}`;
    const domain = pick(rnd, DOMAINS);
    const created = REFERENCE_INSTANT - 500 * DAY + i * 20 * DAY + randInt(rnd, 0, DAY) + jitterMs(rnd);
    const updated = Math.min(REFERENCE_INSTANT - HOUR, created + randInt(rnd, 1, 300) * DAY + jitterMs(rnd));
    const attrs: Attributes = {
      company_name: company,
      company_url: `https://www.${domain}`,
      contact_url: chance(rnd, 0.6) ? `https://www.${domain}/contact` : null,
      logo_url: chance(rnd, 0.5) ? `https://uptime.betterstack.com/logos/${hex(rnd, 16)}.png` : null,
      timezone: pick(rnd, TIMEZONES),
      subdomain: `${slug(company)}-${i + 1}`,
      custom_domain: chance(rnd, 0.4) ? `status${i + 1}.${domain}` : null,
      min_incident_length: pick(rnd, [0, 60, 180, 300]),
      subscribable: chance(rnd, 0.6),
      hide_from_search_engines: chance(rnd, 0.2),
      custom_css: chance(rnd, 0.2) ? '.status-page { font-family: Inter, sans-serif; }' : null,
      custom_javascript: chance(rnd, 0.1) ? 'console.log("status page loaded");' : null,
      google_analytics_id: chance(rnd, 0.3) ? `G-${alnum(rnd, 10).toUpperCase()}` : null,
      announcement: chance(rnd, 0.25) ? 'We are investigating elevated error rates on the API.' : null,
      password_enabled: chance(rnd, 0.15),
      history: pick(rnd, [30, 60, 90, 90, 180]),
      aggregate_state: pick(rnd, ['operational', 'operational', 'operational', 'degraded', 'downtime', 'maintenance']),
      created_at: iso(created),
      updated_at: i === 2 ? isoOffset(updated, 540) : iso(updated),
    };
    return { num, updatedMs: updated, wire: { id: String(num), type: 'status_page', attributes: attrs } };
  });
}

function buildHeartbeats(seed: number, count: number, groupIds: number[]): Rec[] {
  const rnd = stream(seed, 3);
  const ids = makeIds(rnd, count, 300_000);
  return ids.map((num, i) => {
    const created = REFERENCE_INSTANT - (count - i) * 5 * DAY - randInt(rnd, 0, DAY) - jitterMs(rnd);
    const updated = Math.min(REFERENCE_INSTANT - MINUTE, created + randInt(rnd, 0, 60) * DAY + jitterMs(rnd));
    const status = weighted(rnd, [['up', 80], ['down', 6], ['paused', 8], ['pending', 6]]);
    const period = pick(rnd, [60, 300, 3600, 10800, 86400]);
    const base = HEARTBEAT_NAMES[i % HEARTBEAT_NAMES.length] as string;
    const attrs: Attributes = {
      url: `https://uptime.betterstack.com/api/v1/heartbeat/${alnum(rnd, 24)}`,
      name: i < HEARTBEAT_NAMES.length ? base : `${base} #${Math.floor(i / HEARTBEAT_NAMES.length) + 1}`,
      period,
      grace: Math.round(period * pick(rnd, [0, 0.1, 0.2])),
      call: chance(rnd, 0.2),
      sms: chance(rnd, 0.2),
      email: chance(rnd, 0.9),
      push: chance(rnd, 0.6),
      team_wait: chance(rnd, 0.5) ? null : pick(rnd, [180, 300]),
      heartbeat_group_id: groupIds.length > 0 && chance(rnd, 0.6) ? pick(rnd, groupIds) : null,
      team_name: pick(rnd, TEAMS),
      sort_index: chance(rnd, 0.3) ? null : i,
      paused_at: status === 'paused' ? iso(created + Math.floor((updated - created) * rnd())) : null,
      ...maintenance(rnd, 0.15),
      created_at: i % 13 === 3 ? isoOffset(created, 60) : iso(created),
      updated_at: iso(updated),
      status,
    };
    return { num, updatedMs: updated, wire: { id: String(num), type: 'heartbeat', attributes: attrs } };
  });
}

function buildUsers(seed: number, count: number): UserRec[] {
  const rnd = stream(seed, 6);
  const ids = makeIds(rnd, count, 400_000);
  return ids.map((num, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length] as string;
    const last = pick(rnd, LAST_NAMES);
    const email = `${first}.${last}${i >= FIRST_NAMES.length ? i : ''}@${pick(rnd, DOMAINS)}`.toLowerCase();
    const phones: Json[] = [];
    const nPhones = pick(rnd, [0, 1, 1, 2]);
    for (let p = 0; p < nPhones; p++) phones.push(`+${pick(rnd, ['1', '44', '420', '49'])}${randInt(rnd, 100_000_000, 999_999_999)}`);
    const id = String(num);
    return {
      id,
      email,
      name: `${first} ${last}`,
      wire: { id, type: 'user', attributes: { first_name: first, last_name: last, email, phone_numbers: phones } },
    };
  });
}

function buildCalendars(seed: number, count: number, users: UserRec[]): CalendarRec[] {
  const rnd = stream(seed, 7);
  const ids = makeIds(rnd, count, 10_000);
  return ids.map((num, i) => {
    // Calendar 1 has nobody on call; the others 1-4 people, drawn from a shared pool so pages overlap.
    const n = i === 1 ? 0 : Math.min(users.length, randInt(rnd, 1, 4));
    const chosen: UserRec[] = [];
    while (chosen.length < n) {
      const u = pick(rnd, users);
      if (!chosen.includes(u)) chosen.push(u);
    }
    const name = i === 0 ? null : i - 1 < CALENDAR_NAMES.length ? (CALENDAR_NAMES[i - 1] as string) : `Rota ${i}`;
    const attrs: Attributes = { name, default_calendar: i === 0, team_name: pick(rnd, TEAMS) };
    const wire: Resource = {
      id: String(num),
      type: 'on_call_calendar',
      attributes: attrs,
      relationships: {
        on_call_users: { data: chosen.map((u) => ({ id: u.id, type: 'user', meta: { email: u.email } })) },
      },
    };
    return { num, updatedMs: REFERENCE_INSTANT, wire, userIds: chosen.map((u) => u.id) };
  });
}

function metadataFor(rnd: Rnd, code: string | null, manual: boolean): Attributes {
  if (manual) {
    return chance(rnd, 0.6)
      ? { Service: [{ type: 'String', value: pick(rnd, SERVICES).toLowerCase() }], Severity: [{ type: 'String', value: pick(rnd, ['low', 'high']) }] }
      : {};
  }
  if (code === null) return {};
  return {
    'Request duration': [{ type: 'String', value: (rnd() * 2).toFixed(6) }],
    'Response code': [{ type: 'String', value: code }],
  };
}

interface IncidentSource {
  monitor: Rec | null;
  heartbeat: Rec | null;
}

function buildIncident(
  rnd: Rnd,
  num: number,
  startedMs: number,
  src: IncidentSource,
  users: UserRec[],
  state: 'Started' | 'Acknowledged' | 'Resolved',
  offsetStart: boolean,
): IncidentRec {
  const m = src.monitor?.wire.attributes;
  const h = src.heartbeat?.wire.attributes;
  const manual = !m && !h;
  const by = (): string => {
    const u = users.length > 0 ? pick(rnd, users) : undefined;
    return u ? (chance(rnd, 0.5) ? u.name : u.email) : 'Better Stack';
  };
  const monitorType = typeof m?.monitor_type === 'string' ? m.monitor_type : '';
  const httpLike = HTTP_TYPES.has(monitorType);
  let cause: string;
  let code: string | null = null;
  if (m) {
    if (httpLike) {
      const c = pick(rnd, HTTP_CAUSES);
      cause = c[0];
      code = c[1];
    } else {
      cause = pick(rnd, ['Host unreachable', 'Connection refused', 'Timeout', 'DNS record mismatch']);
    }
  } else if (h) {
    cause = 'Missed heartbeat';
  } else {
    cause = pick(rnd, ['Manually created incident', 'Reported by a customer', 'Created from Slack']);
  }
  const ackMs = state === 'Started' ? null : chance(rnd, state === 'Acknowledged' ? 1 : 0.6) ? startedMs + randInt(rnd, 30, 1800) * 1000 + jitterMs(rnd) : null;
  const resolvedMs = state === 'Resolved' ? (ackMs ?? startedMs) + randInt(rnd, 60, 6 * 3600) * 1000 + jitterMs(rnd) : null;
  const responseContent =
    code !== null ? `\n${code} ${code === '404' ? 'Not Found' : 'Server Error'}\n\nThe requested URL was not available.\n` : null;
  const attrs: Attributes = {
    name: m ? (m.pronounceable_name as string) : h ? (h.name as string) : pick(rnd, MANUAL_INCIDENTS),
    url: m && httpLike ? (m.url as string) : null,
    http_method: m && httpLike ? (m.http_method as string) : null,
    cause,
    incident_group_id: chance(rnd, 0.1) ? randInt(rnd, 1000, 99_999) : null,
    started_at: offsetStart ? isoOffset(startedMs, 330) : iso(startedMs),
    acknowledged_at: ackMs === null ? null : offsetStart ? isoOffset(ackMs, 330) : iso(ackMs),
    acknowledged_by: ackMs === null ? null : by(),
    resolved_at: resolvedMs === null ? null : iso(resolvedMs),
    resolved_by: resolvedMs === null ? null : by(),
    status: state,
    team_name: m ? (m.team_name as string) : h ? (h.team_name as string) : pick(rnd, TEAMS),
    response_content: responseContent,
    response_options: m && httpLike ? '{}' : null,
    regions: m ? (m.regions as Json[]) : null,
    response_url: code !== null && chance(rnd, 0.5) ? `https://uptime-responses.betterstack.com/${hex(rnd, 32)}.txt` : null,
    screenshot_url: m && httpLike && chance(rnd, 0.3) ? `https://uptime-screenshots.betterstack.com/${hex(rnd, 32)}.png` : null,
    origin_url: manual && chance(rnd, 0.3) ? `https://hooks.slack.com/archives/C${alnum(rnd, 8).toUpperCase()}` : null,
    escalation_policy_id: chance(rnd, 0.3) ? randInt(rnd, 100, 99_999) : null,
    call: chance(rnd, 0.3),
    sms: chance(rnd, 0.3),
    email: true,
    push: chance(rnd, 0.8),
    metadata: metadataFor(rnd, code, manual),
  };
  const relationships: { [key: string]: Json } = {
    monitor: { data: src.monitor ? { id: src.monitor.wire.id, type: 'monitor' } : null },
  };
  if (src.heartbeat) relationships.heartbeat = { data: { id: src.heartbeat.wire.id, type: 'heartbeat' } };
  return {
    num,
    updatedMs: resolvedMs ?? ackMs ?? startedMs,
    startedMs,
    startedDate: iso(startedMs).slice(0, 10),
    monitorId: src.monitor?.wire.id ?? null,
    heartbeatId: src.heartbeat?.wire.id ?? null,
    wire: { id: String(num), type: 'incident', attributes: attrs, relationships },
  };
}

function buildIncidents(seed: number, count: number, monitors: Rec[], heartbeats: Rec[], users: UserRec[]): IncidentRec[] {
  const rnd = stream(seed, 8);
  const ids = makeIds(rnd, count, 700_000_000);
  // ~13h apart, so 130 incidents span about 70 days before REFERENCE_INSTANT.
  const out = ids.map((num, i) => {
    const startedMs = REFERENCE_INSTANT - (count - i) * 13 * HOUR + randInt(rnd, 0, 6 * HOUR) + jitterMs(rnd);
    // Sources: 70% a monitor, 20% a heartbeat, 10% neither (manual).
    const slot = (i * 7 + 3) % 10;
    const src: IncidentSource =
      slot < 7 ? { monitor: pick(rnd, monitors), heartbeat: null }
        : slot < 9 && heartbeats.length > 0 ? { monitor: null, heartbeat: pick(rnd, heartbeats) }
          : { monitor: null, heartbeat: null };
    // The most recent ones are often still open; a few old ones were never resolved.
    const fromEnd = count - 1 - i;
    const recent = startedMs >= REFERENCE_INSTANT - 7 * DAY;
    let state: 'Started' | 'Acknowledged' | 'Resolved';
    if (fromEnd === 0 || fromEnd === 2 || fromEnd === 5 || (recent && chance(rnd, 0.3))) state = chance(rnd, 0.5) ? 'Started' : 'Acknowledged';
    else state = chance(rnd, 0.02) ? 'Acknowledged' : 'Resolved';
    return buildIncident(rnd, num, startedMs, src, users, state, i % 17 === 4);
  });
  return sortIncidents(out);
}

/** Newest first (by instant, not by string: some timestamps carry offsets); ties by id, higher first. */
function sortIncidents(list: IncidentRec[]): IncidentRec[] {
  return list.sort((a, b) => b.startedMs - a.startedMs || b.num - a.num);
}

function buildDataset(opts: MockOptions): Dataset {
  const scale = opts.scale;
  const seed = opts.seed;
  const monitorGroups = groups(seed, 4, sizeFor(BASE_SIZES.monitor_groups, scale), 50_000, 'monitor_group', GROUP_NAMES);
  const heartbeatGroups = groups(seed, 5, sizeFor(BASE_SIZES.heartbeat_groups, scale), 60_000, 'heartbeat_group', HEARTBEAT_GROUP_NAMES);
  const monitors = buildMonitors(seed, sizeFor(BASE_SIZES.monitors, scale), monitorGroups.map((g) => g.num));
  const heartbeats = buildHeartbeats(seed, sizeFor(BASE_SIZES.heartbeats, scale), heartbeatGroups.map((g) => g.num));
  const statusPages = buildStatusPages(seed, sizeFor(BASE_SIZES.status_pages, scale));
  const calendarCount = sizeFor(BASE_SIZES.on_call_calendars, scale);
  const userList = buildUsers(seed, Math.max(4, calendarCount * 2));
  const calendars = buildCalendars(seed, calendarCount, userList);
  const incidents = buildIncidents(seed, sizeFor(BASE_SIZES.incidents, scale), monitors, heartbeats, userList);
  return {
    monitors,
    statusPages,
    monitorGroups,
    heartbeats,
    heartbeatGroups,
    incidents,
    calendars,
    users: new Map(userList.map((u) => [u.id, u])),
  };
}

// ---------------------------------------------------------------------------------------------
// The mock.

const NEXT_MONITOR_STATUS: Record<string, string> = {
  up: 'down',
  down: 'validating',
  validating: 'up',
  paused: 'up',
  pending: 'up',
  maintenance: 'up',
};

interface Prerendered {
  total: number;
  /** Each monitor's JSON text split around its id. */
  fragments: Array<[string, string]>;
}

const ID_MARK = '@@id@@';

/** Benchmarks: `total` monitors from (up to) 10,000 distinct ones rendered once, ids renumbered. */
function prerender(monitors: readonly Rec[], total: number): Prerendered {
  const source = monitors.length >= Math.min(total, 10_000) ? monitors : buildMonitors(1, Math.min(total, 10_000), []);
  const fragments = source.slice(0, 10_000).map((r) => {
    const [before, after] = JSON.stringify({ ...r.wire, id: ID_MARK }).split(ID_MARK);
    return [before, after] as [string, string];
  });
  return { total, fragments };
}

export function betterstackMock(opts: MockOptions): MockApi {
  const ds = buildDataset(opts);
  const mutationRnd = stream(opts.seed, 99);
  let nextIncidentNum = ds.incidents.reduce((m, r) => Math.max(m, r.num), 0) + 1;

  function authorized(header: string | undefined): boolean {
    if (!header) return false;
    const m = /^Bearer (.+)$/i.exec(header);
    return m !== null && m[1] === opts.token;
  }

  function paginate<T>(
    { url, origin }: MockRequest,
    items: readonly T[],
    defaultPerPage: number,
    maxPerPage: number,
  ): { page: T[]; pagination: Pagination } {
    const params = url.searchParams;
    const page = positiveInt(params.get('page')) ?? 1;
    const requested = positiveInt(params.get('per_page'));
    const perPage = Math.min(maxPerPage, requested ?? defaultPerPage);
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const others: Array<[string, string]> = [];
    for (const [k, v] of params) if (k !== 'page' && k !== 'per_page') others.push([k, v]);
    const link = (p: number): string => {
      const q = new URLSearchParams(others);
      q.append('page', String(p));
      if (requested !== undefined) q.append('per_page', String(perPage));
      return `${origin}${url.pathname}?${q.toString()}`;
    };
    const start = (page - 1) * perPage;
    return {
      page: items.slice(start, start + perPage),
      pagination: {
        first: link(1),
        last: link(lastPage),
        prev: page > 1 ? link(Math.min(page - 1, lastPage)) : null,
        next: page < lastPage ? link(page + 1) : null,
      },
    };
  }

  const prerendered = opts.monitors === undefined ? undefined : prerender(ds.monitors, opts.monitors);

  /** A page of the pre-rendered monitors: the JSON text is joined from fragments, never built per request. */
  function prerenderedList(request: MockRequest, pre: Prerendered): void {
    // `paginate` only reads `length` and slices: hand it the page's positions, not a million records.
    const positions = { length: pre.total, slice: (a: number, b: number) => Array.from({ length: Math.max(0, Math.min(b, pre.total) - a) }, (_, i) => a + i) };
    const { page, pagination } = paginate(request, positions as unknown as readonly number[], DEFAULT_PER_PAGE, MAX_PER_PAGE);
    const parts: string[] = [];
    for (const g of page) {
      const [before, after] = pre.fragments[g % pre.fragments.length] as [string, string];
      parts.push(before + String(g + 1) + after);
    }
    const body = `{"data":[${parts.join(',')}],"pagination":${JSON.stringify(pagination)}}`;
    request.res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    request.res.end(body);
  }

  function list(request: MockRequest, records: readonly Rec[]): void {
    const { page, pagination } = paginate(request, records, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    send(request.res, 200, { data: page.map((r) => r.wire), pagination });
  }

  function incidents(request: MockRequest): void {
    const params = request.url.searchParams;
    const bounds: { from?: string; to?: string } = {};
    for (const key of ['from', 'to'] as const) {
      const raw = params.get(key);
      if (raw === null || raw === '') continue;
      const date = parseDate(raw);
      if (date === undefined) {
        send(request.res, 400, { errors: `Invalid '${key}' parameter, expected a date in the YYYY-MM-DD format.` });
        return;
      }
      bounds[key] = date;
    }
    const { from, to } = bounds;
    const selected =
      from === undefined && to === undefined
        ? ds.incidents
        : ds.incidents.filter((r) => (from === undefined || r.startedDate >= from) && (to === undefined || r.startedDate <= to));
    const { page, pagination } = paginate(request, selected, INCIDENTS_DEFAULT_PER_PAGE, INCIDENTS_MAX_PER_PAGE);
    send(request.res, 200, { data: page.map((r) => r.wire), pagination });
  }

  function onCalls(request: MockRequest): void {
    const { page, pagination } = paginate(request, ds.calendars, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    const included: Resource[] = [];
    const seen = new Set<string>();
    for (const cal of page) {
      for (const id of cal.userIds) {
        if (seen.has(id)) continue;
        seen.add(id);
        const user = ds.users.get(id);
        if (user) included.push(user.wire);
      }
    }
    send(request.res, 200, { data: page.map((r) => r.wire), included, pagination });
  }

  function route(request: MockRequest, which: Route): void {
    switch (which) {
      case 'monitors':
        return prerendered ? prerenderedList(request, prerendered) : list(request, ds.monitors);
      case 'status_pages':
        return list(request, ds.statusPages);
      case 'monitor_groups':
        return list(request, ds.monitorGroups);
      case 'heartbeats':
        return list(request, ds.heartbeats);
      case 'heartbeat_groups':
        return list(request, ds.heartbeatGroups);
      case 'incidents':
        return incidents(request);
      default:
        return onCalls(request);
    }
  }

  /** The `n` records least recently updated (ties by id), so repeated mutations cycle through all. */
  function oldestUpdated(records: Rec[], n: number): Rec[] {
    return [...records].sort((a, b) => a.updatedMs - b.updatedMs || a.num - b.num).slice(0, n);
  }

  return {
    name: 'betterstack',

    handle(request: MockRequest): boolean {
      const path = request.url.pathname;
      if (!Object.prototype.hasOwnProperty.call(ROUTES, path)) return false;
      const which = ROUTES[path as keyof typeof ROUTES];
      if (!authorized(request.req.headers.authorization)) {
        send(request.res, 401, UNAUTHORIZED_BODY);
        return true;
      }
      const method = request.req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        send(request.res, 405, { errors: 'Method Not Allowed' }, { allow: 'GET, HEAD' });
        return true;
      }
      route(request, which);
      return true;
    },

    mutate(count: number): number {
      const n = Math.floor(count);
      if (!(n > 0)) return 0;
      const nowMs = Date.now();
      const now = iso(nowMs);
      let changed = 0;

      for (const rec of oldestUpdated(ds.monitors, Math.min(n, ds.monitors.length))) {
        const a = rec.wire.attributes;
        const status = NEXT_MONITOR_STATUS[a.status as string] ?? 'up';
        a.status = status;
        a.paused_at = null;
        a.last_checked_at = iso(Math.floor(nowMs / 1000) * 1000);
        a.updated_at = now;
        rec.updatedMs = nowMs;
        changed++;
      }

      for (const rec of oldestUpdated(ds.heartbeats, Math.min(Math.ceil(n / 2), ds.heartbeats.length))) {
        const a = rec.wire.attributes;
        a.status = a.status === 'up' ? 'down' : 'up';
        a.paused_at = null;
        a.updated_at = now;
        rec.updatedMs = nowMs;
        changed++;
      }

      // Resolve one older open incident: the oldest still open from the dataset's last 7 days,
      // else the newest open one.
      const open = ds.incidents.filter((r) => r.wire.attributes.resolved_at === null);
      const target =
        [...open].reverse().find((r) => r.startedMs >= REFERENCE_INSTANT - 7 * DAY) ?? open[0];
      if (target) {
        const a = target.wire.attributes;
        const users = [...ds.users.values()];
        a.resolved_at = now;
        a.resolved_by = users.length > 0 ? pick(mutationRnd, users).email : 'Better Stack';
        a.status = 'Resolved';
        target.updatedMs = nowMs;
        changed++;
      }

      // A new incident, started now, on one of the monitors.
      const monitor = ds.monitors.length > 0 ? pick(mutationRnd, ds.monitors) : null;
      const incident = buildIncident(
        mutationRnd,
        nextIncidentNum,
        nowMs,
        { monitor, heartbeat: null },
        [...ds.users.values()],
        'Started',
        false,
      );
      nextIncidentNum += randInt(mutationRnd, 1, 5);
      ds.incidents.push(incident);
      sortIncidents(ds.incidents);
      changed++;

      return changed;
    },

    stats(): Record<string, number> {
      return {
        monitors: prerendered ? prerendered.total : ds.monitors.length,
        status_pages: ds.statusPages.length,
        monitor_groups: ds.monitorGroups.length,
        heartbeats: ds.heartbeats.length,
        heartbeat_groups: ds.heartbeatGroups.length,
        incidents: ds.incidents.length,
        incident_monitor: ds.incidents.filter((r) => r.monitorId !== null).length,
        on_call_calendars: ds.calendars.length,
        on_call_users: ds.calendars.reduce((s, c) => s + c.userIds.length, 0),
      };
    },
  };
}
