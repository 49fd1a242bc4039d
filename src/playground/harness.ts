/**
 * Mock of the Harness.io API (https://app.harness.io), the endpoints tap-harness reads, with the
 * real API's envelopes, paging and errors:
 * - `GET /ng/api/projects` and `GET /ng/api/organizations`: `{status:"SUCCESS", data:{totalPages,
 *   totalItems, pageItemCount, pageSize, content, pageIndex, empty}, metaData, correlationId}`, each
 *   `content[]` item wrapping its resource (`{project:{...}, createdAt, lastModifiedAt, isFavorite}`,
 *   `{organization:{...}, createdAt, lastModifiedAt, harnessManaged}`), times in epoch milliseconds;
 *   `pageIndex` from 0, `pageSize` default 50 and capped at 100; newest `lastModifiedAt` first;
 *   a project identifier is unique within its organization only: the first twelve projects of each
 *   organization are named by a word alone (`checkout`, `auth`...), so the same identifiers appear in
 *   several organizations;
 * - `POST /pipeline/api/pipelines/list?orgIdentifier=&projectIdentifier=&page=&size=` with the body
 *   `{"filterType":"PipelineSetup"}`: a Spring page (`content, pageable, totalPages, totalElements,
 *   last, first, number, size, numberOfElements, empty`), items as PMSPipelineSummaryResponse
 *   (`identifier, name, tags, version, numOfStages, createdAt, lastUpdatedAt, modules,
 *   executionSummaryInfo, filters, stageNames, gitDetails, entityValidityDetails, storeType`; no org or
 *   project identifiers: the request names them); `size` default 25, capped at 100;
 * - `GET /ng/api/connectors/catalogue`: `data.catalogue[] = {category, connectors: [...]}`;
 * - `GET /ccm/api/budgets`: `data[]` of budgets, amounts and costs as numbers, times in epoch ms;
 * - `POST /gratis/sei/api/v1/dora/mean-time` (SEI): auth `Authorization: APIKEY <key>`, body
 *   `{filter:{time_range:{$gt,$lt} (epoch seconds), integration_ids?}, ou_ids, widget_id, across?}`
 *   validated; the answer is the SEI service's paginated list of velocity aggregations (its
 *   `PaginatedResponse<DbAggregationResult>`): `{records: [...], count, _metadata: {page_size, page,
 *   has_next, total_count}}`, one record per stage of the collection's workflow profile, `{key (the
 *   stage), count, mean, median, p90, p95, min, max (seconds), velocity_stage_result: {lower_limit_value,
 *   lower_limit_unit, upper_limit_value, upper_limit_unit, rating}}`, the statistics absent (null
 *   fields are not sent) for a stage no incident reached; computed from the window.
 * Auth is `x-api-key` (401 `{"status":"ERROR","code":"INVALID_TOKEN",...}`); every ng/pipeline/ccm
 * request needs `accountIdentifier` naming the playground's account (else 400 `INVALID_REQUEST`).
 *
 * Deliberate differences: the data is seeded and deterministic; `mutate()` stands in for a live
 * account (projects and an organization change, a project with two pipelines is created, a pipeline
 * is edited); stats count the DORA stage records answered (each is one row of the tap's metric stream).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { MockApi, MockOptions, MockRequest } from './types.js';
import { REFERENCE_INSTANT, mulberry32, pick, randInt } from './users.js';

/** The account the mock serves: `account_id` of a config pointed at the playground. */
export const HARNESS_ACCOUNT = 'playground-account';

const BASE_SIZES = { organizations: 7, projects: 230, budgets: 12 } as const;
/** The project (by position) with more pipelines than fit one page of 100. */
const BIG_PROJECT_INDEX = 1;
const BIG_PROJECT_PIPELINES = 230;
const MAX_PAGE_SIZE = 100;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
type Rnd = () => number;

interface Org { wire: Obj; identifier: string; modified: number }
interface Project { wire: Obj; identifier: string; org: string; modified: number; pipelines: Obj[] }

const ORG_NAMES = ['Platform', 'Payments', 'Retail', 'Data', 'Mobile', 'Security', 'Growth', 'Infra'] as const;
const PROJECT_WORDS = ['checkout', 'billing', 'search', 'catalog', 'auth', 'gateway', 'ledger', 'mobile app', 'web', 'reports', 'inventory', 'notifications'] as const;
const MODULES = ['CD', 'CI', 'CF', 'CE', 'CV', 'STO', 'CHAOS', 'SEI', 'IACM'] as const;
const COLORS = ['#0063f7', '#e63535', '#1bb954', '#ff8800', '#9876f5', '#06b7c3'] as const;
const STATUSES = ['Success', 'Success', 'Success', 'Failed', 'Aborted', 'Expired', 'Running'] as const;
const STAGES = ['Build', 'Test', 'Scan', 'Deploy Dev', 'Deploy QA', 'Approval', 'Deploy Prod'] as const;
const CATALOGUE: ReadonlyArray<[string, string[]]> = [
  ['CLOUD_PROVIDER', ['K8sCluster', 'Aws', 'Gcp', 'Azure', 'Pdc', 'Rancher']],
  ['SECRET_MANAGER', ['Vault', 'AwsKms', 'AzureKeyVault', 'AwsSecretManager', 'GcpKms', 'CustomSecretManager']],
  ['CLOUD_COST', ['CEAws', 'CEAzure', 'GcpCloudCost', 'CEK8sCluster']],
  ['ARTIFACTORY', ['DockerRegistry', 'Artifactory', 'Nexus', 'HttpHelmRepo', 'OciHelmRepo', 'Jenkins']],
  ['CODE_REPO', ['Git', 'Github', 'Gitlab', 'Bitbucket', 'AzureRepo', 'Harness']],
  ['MONITORING', ['AppDynamics', 'Prometheus', 'Datadog', 'NewRelic', 'Splunk', 'Dynatrace', 'ElasticSearch']],
  ['TICKETING', ['Jira', 'ServiceNow', 'PagerDuty']],
  ['CHAOS', []],
];

function some<T>(rnd: Rnd, list: readonly T[], p: number): T[] {
  return list.filter(() => rnd() < p);
}
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');

function tags(rnd: Rnd): Obj {
  const out: Obj = {};
  if (rnd() < 0.5) out.team = pick(rnd, ['core', 'web', 'data', 'sre']);
  if (rnd() < 0.3) out.env = pick(rnd, ['prod', 'staging', '']);
  if (rnd() < 0.2) out.critical = '';
  return out;
}

function buildOrgs(rnd: Rnd, count: number): Org[] {
  return Array.from({ length: count }, (_, i) => {
    const identifier = i === 0 ? 'default' : `${slug(ORG_NAMES[(i - 1) % ORG_NAMES.length] as string)}${i > ORG_NAMES.length ? `_${i}` : ''}`;
    const created = REFERENCE_INSTANT - 500 * DAY + i * 9 * DAY + randInt(rnd, 0, DAY);
    const modified = Math.min(REFERENCE_INSTANT - HOUR, created + randInt(rnd, 0, 300) * DAY);
    const wire: Obj = {
      organization: { identifier, name: i === 0 ? 'default' : identifier.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
        description: i === 0 ? 'Default Organization' : rnd() < 0.3 ? '' : `The ${identifier} organization`, tags: tags(rnd) },
      createdAt: created,
      lastModifiedAt: modified,
      harnessManaged: i === 0,
    };
    return { wire, identifier, modified };
  });
}

function pipeline(rnd: Rnd, n: number, project: string, created: number): Obj {
  const updated = Math.max(created, Math.min(REFERENCE_INSTANT - HOUR, created + randInt(rnd, 0, 90) * DAY + randInt(rnd, 0, DAY)));
  const ran = rnd() < 0.75;
  const stages = STAGES.slice(0, randInt(rnd, 1, STAGES.length));
  const daily = () => Array.from({ length: 7 }, () => (rnd() < 0.6 ? randInt(rnd, 0, 12) : 0));
  return {
    name: `${project} pipeline ${n}`,
    identifier: `${slug(project)}_pipeline_${n}`,
    ...(rnd() < 0.5 ? { description: `Builds and ships ${project}` } : {}),
    tags: tags(rnd),
    version: randInt(rnd, 1, 200),
    numOfStages: stages.length,
    createdAt: created,
    lastUpdatedAt: updated,
    modules: some(rnd, ['cd', 'ci', 'pms'], 0.6).concat(['pms']).filter((m, i, a) => a.indexOf(m) === i),
    executionSummaryInfo: ran
      ? { numOfErrors: daily(), deployments: daily(), lastExecutionTs: updated + randInt(rnd, 1, 20) * DAY,
        lastExecutionStatus: pick(rnd, STATUSES), lastExecutionId: randomish(rnd) }
      : { numOfErrors: [], deployments: [] },
    filters: { cd: { deploymentTypes: ['Kubernetes'], environmentNames: some(rnd, ['dev', 'qa', 'prod'], 0.6), serviceNames: [slug(project)], infrastructureTypes: ['KubernetesDirect'] } },
    stageNames: [...stages],
    gitDetails: { objectId: null, branch: null, repoIdentifier: null, rootFolder: null, filePath: null, repoName: null },
    entityValidityDetails: { valid: true, invalidYaml: null },
    storeType: 'INLINE',
  };
}

function randomish(rnd: Rnd): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 22 }, () => chars[Math.floor(rnd() * chars.length)]).join('');
}

function buildProject(rnd: Rnd, i: number, orgs: Org[], created: number, pipelineCount: number): Project {
  const org = orgs[i % orgs.length] as Org;
  // The project's place within its organization: the first ones of every organization are named by a
  // word alone (`checkout`, `billing`...), so an identifier is unique within an organization only, as in
  // Harness, and the same identifiers appear in several organizations.
  const nth = Math.floor(i / orgs.length);
  const word = PROJECT_WORDS[nth % PROJECT_WORDS.length] as string;
  const name = `${word.replace(/^\w/, (c) => c.toUpperCase())} ${i + 1}`;
  const identifier = nth < PROJECT_WORDS.length ? slug(word) : `${slug(word)}_${i + 1}`;
  const modified = Math.max(created, Math.min(REFERENCE_INSTANT - HOUR, created + randInt(rnd, 0, 200) * DAY + randInt(rnd, 0, DAY)));
  const wire: Obj = {
    project: { orgIdentifier: org.identifier, identifier, name, color: pick(rnd, COLORS), modules: some(rnd, MODULES, 0.4),
      description: rnd() < 0.3 ? '' : `${name}: services of the ${word} team`, tags: tags(rnd) },
    createdAt: created,
    lastModifiedAt: modified,
    isFavorite: rnd() < 0.1,
  };
  const pipelines = Array.from({ length: pipelineCount }, (_, k) => pipeline(rnd, k + 1, name, created + k * HOUR));
  return { wire, identifier, org: org.identifier, modified, pipelines };
}

function pipelineCount(rnd: Rnd, i: number): number {
  if (i === BIG_PROJECT_INDEX) return BIG_PROJECT_PIPELINES;
  return i % 3 === 0 ? 0 : randInt(rnd, 1, 6);
}

function buildBudgets(rnd: Rnd, count: number, projects: Project[]): Obj[] {
  return Array.from({ length: count }, (_, i) => {
    const amount = randInt(rnd, 10, 500) * 100;
    const actual = Math.round(amount * rnd() * 1.3 * 100) / 100;
    const created = REFERENCE_INSTANT - 200 * DAY + i * 5 * DAY;
    const monthly = rnd() < 0.7;
    const start = Date.UTC(2025, 11, 1);
    const perspective = randomish(rnd);
    return {
      uuid: randomish(rnd),
      accountId: HARNESS_ACCOUNT,
      name: `${pick(rnd, ['Cloud', 'Kubernetes', 'AWS', 'GCP'])} spend ${i + 1}`,
      scope: { viewId: perspective, viewName: `Perspective ${i + 1}`, entityIds: [perspective], entityNames: [(projects[i % projects.length] as Project).identifier], type: 'PERSPECTIVE' },
      type: rnd() < 0.8 ? 'SPECIFIED_AMOUNT' : 'PREVIOUS_PERIOD_SPEND',
      budgetAmount: amount,
      period: monthly ? 'MONTHLY' : 'QUARTERLY',
      growthRate: rnd() < 0.5 ? 0 : randInt(rnd, 1, 20) / 2,
      actualCost: actual,
      forecastCost: Math.round(actual * 1.12 * 100) / 100,
      lastMonthCost: Math.round(amount * rnd() * 100) / 100,
      alertThresholds: [50, 80, 100].filter(() => rnd() < 0.7).map((percentage) => ({
        percentage, basedOn: rnd() < 0.5 ? 'ACTUAL_COST' : 'FORECASTED_COST', emailAddresses: [`finops${i}@example.com`],
        userGroupIds: [], slackWebhooks: [], alertsSent: randInt(rnd, 0, 3), crossedAt: actual >= (amount * percentage) / 100 ? created + 10 * DAY : 0,
      })),
      emailAddresses: [`finops${i}@example.com`],
      userGroupIds: [],
      notifyOnSlack: rnd() < 0.3,
      isNgBudget: true,
      startTime: start,
      endTime: start + (monthly ? 31 : 90) * DAY - 1,
      createdAt: created,
      lastUpdatedAt: created + randInt(rnd, 0, 100) * DAY,
    };
  });
}

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Harness's error envelope. */
function failure(code: string, message: string): Obj {
  return { status: 'ERROR', code, message, correlationId: randomUUID(), detailedMessage: null,
    responseMessages: [{ code, level: 'ERROR', message, exception: null, failureTypes: [] }], metadata: null };
}

/** A non-negative integer query value, or the default. */
function intParam(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The stages of the mock's MTTR workflow profile, with the limits that rate a stage's mean (seconds). */
const DORA_STAGES: ReadonlyArray<{ key: string; good: number; slow: number }> = [
  { key: 'Acknowledge', good: 900, slow: 3600 },
  { key: 'Investigate', good: 4 * 3600, slow: 12 * 3600 },
  { key: 'Fix', good: 8 * 3600, slow: 24 * 3600 },
  { key: 'Deploy Fix', good: 2 * 3600, slow: 8 * 3600 },
];
export const DORA_STAGE_COUNT = DORA_STAGES.length;

/** A Java `TimeUnit` limit as the SEI service writes it: the largest whole unit. */
function limit(seconds: number): [number, string] {
  if (seconds % 86_400 === 0) return [seconds / 86_400, 'DAYS'];
  if (seconds % 3600 === 0) return [seconds / 3600, 'HOURS'];
  if (seconds % 60 === 0) return [seconds / 60, 'MINUTES'];
  return [seconds, 'SECONDS'];
}

/** The nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

/**
 * Mean time to restore per stage over a window: incidents are a deterministic function of the hour
 * they start in, each spending some seconds in each stage it reached.
 */
function doraMeanTime(seed: number, fromSec: number, toSec: number): Obj[] {
  const times: number[][] = DORA_STAGES.map(() => []);
  for (let h = Math.ceil(fromSec / 3600); h * 3600 < toSec; h++) {
    const r = mulberry32((seed ^ Math.imul(h, 0x9e3779b1)) >>> 0);
    if (r() >= 0.04) continue;
    const reached = 1 + Math.floor(r() * DORA_STAGES.length);
    for (let s = 0; s < reached; s++) times[s]!.push(60 + Math.floor(r() * (DORA_STAGES[s]!.slow * 1.5)));
  }
  return DORA_STAGES.map((stage, s) => {
    const [lower, lowerUnit] = limit(stage.good);
    const [upper, upperUnit] = limit(stage.slow);
    const values = [...times[s]!].sort((a, b) => a - b);
    const record: Obj = { key: stage.key, count: values.length };
    if (values.length > 0) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      Object.assign(record, {
        median: percentile(values, 50), min: values[0] as number, max: values.at(-1) as number, mean: Math.round(mean * 100) / 100,
        p90: percentile(values, 90), p95: percentile(values, 95),
      });
    }
    const rating = values.length === 0 ? 'MISSING' : (record.mean as number) <= stage.good ? 'GOOD' : (record.mean as number) <= stage.slow ? 'NEEDS_ATTENTION' : 'SLOW';
    record.velocity_stage_result = { lower_limit_value: lower, lower_limit_unit: lowerUnit, upper_limit_value: upper, upper_limit_unit: upperUnit, rating };
    return record;
  });
}

/** What is wrong with a DORA request body, or undefined. */
function doraBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '');
  if (!strings(b.ou_ids)) return 'ou_ids must be a non-empty list of collection ids';
  if (typeof b.widget_id !== 'string' || b.widget_id === '') return 'widget_id is required';
  const filter = b.filter as Record<string, unknown> | undefined;
  if (typeof filter !== 'object' || filter === null) return 'filter is required';
  if (filter.integration_ids !== undefined && !strings(filter.integration_ids)) return 'filter.integration_ids must be a list of integration ids';
  const range = filter.time_range as Record<string, unknown> | undefined;
  const gt = Number(range?.$gt);
  const lt = Number(range?.$lt);
  if (!range || typeof range.$gt !== 'string' || typeof range.$lt !== 'string' || !Number.isInteger(gt) || !Number.isInteger(lt)) {
    return 'filter.time_range must be {"$gt": "<epoch seconds>", "$lt": "<epoch seconds>"}';
  }
  if (gt >= lt) return 'filter.time_range.$gt must be before $lt';
  return undefined;
}

export function harnessMock(opts: MockOptions): MockApi {
  const rnd = mulberry32((opts.seed ^ 0x4a11e55) >>> 0);
  const size = (n: number) => Math.max(1, Math.round(n * opts.scale));
  const orgs = buildOrgs(rnd, size(BASE_SIZES.organizations));
  const projectCount = Math.max(BIG_PROJECT_INDEX + 1, size(BASE_SIZES.projects));
  const projects = Array.from({ length: projectCount }, (_, i) =>
    buildProject(rnd, i, orgs, REFERENCE_INSTANT - 400 * DAY + i * 7 * HOUR, pipelineCount(rnd, i)));
  const budgets = buildBudgets(rnd, size(BASE_SIZES.budgets), projects);
  const mutationRnd = mulberry32((opts.seed ^ 0x5eed) >>> 0);
  /** DORA stage rows answered (each is one row of the tap's metric stream). */
  let doraRows = 0;

  /** Newest first, ties by identifier: the API's default `lastModifiedAt,DESC`. */
  const newestFirst = <T extends { modified: number; identifier: string }>(list: T[]) =>
    [...list].sort((a, b) => b.modified - a.modified || (a.identifier < b.identifier ? -1 : 1));

  function ngPage(request: MockRequest, items: Obj[]): void {
    const params = request.url.searchParams;
    const pageIndex = intParam(params, 'pageIndex', 0);
    const pageSize = intParam(params, 'pageSize', 50);
    if (pageIndex === undefined || pageSize === undefined || pageSize === 0) {
      return send(request.res, 400, failure('INVALID_REQUEST', 'Invalid request: pageIndex and pageSize must be non-negative integers (pageSize at least 1)'));
    }
    const per = Math.min(MAX_PAGE_SIZE, pageSize);
    const content = items.slice(pageIndex * per, (pageIndex + 1) * per);
    send(request.res, 200, {
      status: 'SUCCESS',
      data: { totalPages: Math.ceil(items.length / per), totalItems: items.length, pageItemCount: content.length, pageSize: per, content, pageIndex, empty: content.length === 0 },
      metaData: null,
      correlationId: randomUUID(),
    });
  }

  function pipelines(request: MockRequest): void {
    const params = request.url.searchParams;
    let body: unknown;
    try {
      body = JSON.parse(request.body || 'null');
    } catch {
      return send(request.res, 400, failure('INVALID_REQUEST', 'Invalid request: the body is not JSON'));
    }
    if ((body as { filterType?: unknown } | null)?.filterType !== 'PipelineSetup') {
      return send(request.res, 400, failure('INVALID_REQUEST', 'Invalid request: filterType must be PipelineSetup'));
    }
    const project = projects.find((p) => p.identifier === params.get('projectIdentifier') && p.org === params.get('orgIdentifier'));
    if (!project) {
      return send(request.res, 400, failure('INVALID_REQUEST', `Invalid request: project [${params.get('projectIdentifier') ?? ''}] in org [${params.get('orgIdentifier') ?? ''}] not found`));
    }
    const page = intParam(params, 'page', 0);
    const sizeParam = intParam(params, 'size', 25);
    if (page === undefined || sizeParam === undefined || sizeParam === 0) {
      return send(request.res, 400, failure('INVALID_REQUEST', 'Invalid request: page and size must be non-negative integers (size at least 1)'));
    }
    const per = Math.min(MAX_PAGE_SIZE, sizeParam);
    const sorted = [...project.pipelines].sort((a, b) => (b.lastUpdatedAt as number) - (a.lastUpdatedAt as number) || String(a.identifier).localeCompare(String(b.identifier)));
    const content = sorted.slice(page * per, (page + 1) * per);
    const totalPages = Math.ceil(sorted.length / per);
    const sort = { sorted: true, unsorted: false, empty: false };
    send(request.res, 200, {
      status: 'SUCCESS',
      data: {
        content, pageable: { sort, pageNumber: page, pageSize: per, offset: page * per, paged: true, unpaged: false },
        last: page + 1 >= totalPages, totalPages, totalElements: sorted.length, first: page === 0, sort,
        numberOfElements: content.length, size: per, number: page, empty: content.length === 0,
      },
      metaData: null,
      correlationId: randomUUID(),
    });
  }

  function dora(request: MockRequest): void {
    const auth = request.req.headers.authorization ?? '';
    const m = /^apikey\s+(.+)$/i.exec(auth);
    if (!m || m[1] !== opts.token) {
      return send(request.res, 401, failure('INVALID_TOKEN', 'Invalid API key: send it as Authorization: APIKEY <key>'));
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return send(request.res, 400, failure('INVALID_REQUEST', 'Invalid request: the body is not JSON'));
    }
    const problem = doraBodyProblem(body);
    if (problem) return send(request.res, 400, failure('INVALID_REQUEST', `Invalid request: ${problem}`));
    const range = (body as { filter: { time_range: { $gt: string; $lt: string } } }).filter.time_range;
    const records = doraMeanTime(opts.seed, Number(range.$gt), Number(range.$lt));
    doraRows += records.length;
    send(request.res, 200, { records, count: records.length, _metadata: { page_size: records.length, page: 0, has_next: false, total_count: records.length } });
  }

  const ROUTES: Record<string, { method: 'GET' | 'POST'; answer: (r: MockRequest) => void; account: boolean }> = {
    '/ng/api/projects': { method: 'GET', account: true, answer: (r) => ngPage(r, newestFirst(projects).map((p) => p.wire)) },
    '/ng/api/organizations': { method: 'GET', account: true, answer: (r) => ngPage(r, newestFirst(orgs).map((o) => o.wire)) },
    '/pipeline/api/pipelines/list': { method: 'POST', account: true, answer: pipelines },
    '/ng/api/connectors/catalogue': { method: 'GET', account: true, answer: (r) => send(r.res, 200, {
      status: 'SUCCESS', data: { catalogue: CATALOGUE.map(([category, connectors]) => ({ category, connectors })) }, metaData: null, correlationId: randomUUID() }) },
    '/ccm/api/budgets': { method: 'GET', account: true, answer: (r) => send(r.res, 200, { status: 'SUCCESS', data: budgets, metaData: null, correlationId: randomUUID() }) },
    '/gratis/sei/api/v1/dora/mean-time': { method: 'POST', account: false, answer: dora },
  };

  return {
    name: 'harness',

    handle(request: MockRequest): boolean {
      const route = ROUTES[request.url.pathname];
      if (!route) return false;
      if ((request.req.method ?? 'GET') !== route.method) {
        send(request.res, 405, failure('UNSUPPORTED_OPERATION_EXCEPTION', `HTTP 405 Method Not Allowed: use ${route.method}`), { allow: route.method });
        return true;
      }
      if (!route.account) {
        route.answer(request);
        return true;
      }
      if (request.req.headers['x-api-key'] !== opts.token) {
        send(request.res, 401, failure('INVALID_TOKEN', 'Token is not valid.'));
        return true;
      }
      const account = request.url.searchParams.get('accountIdentifier');
      if (account !== HARNESS_ACCOUNT) {
        send(request.res, 400, failure('INVALID_REQUEST', account ? `Invalid request: Account [${account}] does not exist or the API key does not belong to it` : 'Invalid request: accountIdentifier: must not be null'));
        return true;
      }
      route.answer(request);
      return true;
    },

    mutate(count: number): number {
      const n = Math.floor(count);
      if (!(n > 0)) return 0;
      const now = Date.now();
      let changed = 0;
      const oldest = [...projects].sort((a, b) => a.modified - b.modified || (a.identifier < b.identifier ? -1 : 1)).slice(0, n);
      for (const p of oldest) {
        p.modified = now;
        p.wire.lastModifiedAt = now;
        const inner = p.wire.project as Obj;
        inner.description = `${String(inner.name)}: changed at ${new Date(now).toISOString()}`;
        const edited = p.pipelines[0];
        if (edited) edited.lastUpdatedAt = now;
        changed++;
      }
      const org = [...orgs].sort((a, b) => a.modified - b.modified)[0];
      if (org) {
        org.modified = now;
        org.wire.lastModifiedAt = now;
        changed++;
      }
      projects.push(buildProject(mutationRnd, projects.length, orgs, now, 2));
      changed++;
      return changed;
    },

    stats(): Record<string, number> {
      return {
        user_projects: projects.length,
        organizations: orgs.length,
        pipelines: projects.reduce((s, p) => s + p.pipelines.length, 0),
        connectors: CATALOGUE.length,
        budgets: budgets.length,
        mean_time_to_resolution: doraRows,
      };
    },
  };
}
