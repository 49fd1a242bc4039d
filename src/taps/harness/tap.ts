import {
  defineTap, defineSettings, rest, apiKey, pageNumber, unwrap, instantMs, toIsoSeconds,
  type JsonObject, type SettingsOf, type Paginator, type QueryParams, type RestStream, type StreamContext,
} from '@singer-io-compatible/tap-kit';
import { VERSION } from '../version.js';
import type { MeanTimeToResolutionRecord } from './records.generated.js';

/** The `dora` setting: which SEI widget and collections the DORA metric is read for. */
export type DoraSettings = NonNullable<HarnessSettings['dora']>;

/** Settings of tap-harness. */
export type HarnessSettings = SettingsOf<typeof settings>;

type Ctx = StreamContext<HarnessSettings>;

const DAY_MS = 86_400_000;
/** The largest page the ng and pipeline APIs serve. */
const MAX_PAGE_SIZE = 100;

/** Every request names the account. */
const account = (ctx: Ctx): QueryParams => ({ accountIdentifier: ctx.settings.account_id });

/**
 * Pages counted from 0, until the body's total pages (read on every page) or an empty page. The
 * lists come newest first: the total items, read on every page too, tell the kit how far rows moved
 * when some were removed during the read (it goes back that far), and a list that changed while its
 * pages were read in parallel is read again in order (see the README's guarantees).
 */
const pages = (param: string, sizeParam: string, totalItems: string) => (ctx: Ctx): Paginator =>
  pageNumber({ param, start: 0, pageSizeParam: sizeParam, pageSize: ctx.settings.page_size, totalPagesPath: 'data.totalPages', totalItemsPath: totalItems, emptyPath: 'data.empty' });

/**
 * An ng list (`data.content[]` items wrapping the resource as `wrapper`, timestamps beside it), INCREMENTAL
 * on `lastModifiedAt`: the API cannot filter on it, so records are filtered client-side and the bookmark
 * is committed at stream end, never past the sync's start.
 */
function ngList(name: string, path: string, wrapper: string, extra: Partial<RestStream<HarnessSettings>> = {}): RestStream<HarnessSettings> {
  return rest<HarnessSettings>({
    name, path, primaryKey: ['identifier'], replicationKey: 'lastModifiedAt',
    records: 'data.content', params: account, paginator: pages('pageIndex', 'pageSize', 'data.totalItems'),
    transform: (item) => unwrap(item, wrapper),
    ...extra,
  });
}

/** The DORA window: from the bookmark or `start_date` (else `dora_window_days` back) to the sync's start, to the second. */
function doraWindow(ctx: Ctx): { start: string; end: string } {
  const end = toIsoSeconds(ctx.syncStart);
  const from = ctx.start === undefined ? undefined : instantMs(ctx.start);
  const endMs = Date.parse(end);
  // A rerun within the second its previous sync started re-measures that second (the API needs start < end).
  const start = toIsoSeconds(Math.min(from ?? endMs - ctx.settings.dora_window_days * DAY_MS, endMs - 1000));
  return { start, end };
}

const epochSeconds = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

function doraBody(ctx: Ctx): JsonObject {
  const dora = ctx.settings.dora as DoraSettings;
  const { start, end } = doraWindow(ctx);
  const filter: JsonObject = { time_range: { $gt: epochSeconds(start), $lt: epochSeconds(end) } };
  if (dora.integration_ids) filter.integration_ids = dora.integration_ids;
  // The mean-time endpoint aggregates across the workflow profile's stages (`velocity`, as the SEI UI asks).
  return { filter, ou_ids: dora.ou_ids, widget_id: dora.widget_id, across: dora.across ?? 'velocity' };
}

function doraUnavailable(s: HarnessSettings): string | undefined {
  if (!s.dora) return 'the `dora` setting (ou_ids and widget_id of the SEI DORA widget) is not set';
  if (s.start_date && Date.parse(s.start_date) >= Date.now()) return `start_date ${s.start_date} is in the future: no time window to measure`;
  return undefined;
}

/** The settings schema: the one source of the settings and of their type. */
const settings = defineSettings({
  type: 'object',
  properties: {
    api_token: { type: 'string', secret: true, description: 'Harness API key token (a personal access token `pat.…` or a service account token), sent as `x-api-key`.' },
    account_id: { type: 'string', minLength: 1, description: 'Account identifier (Account Settings > Overview), sent as `accountIdentifier` on every request.' },
    base_url: { type: 'string', format: 'uri', default: 'https://app.harness.io', description: 'API base URL (another Harness cluster, or a gateway).' },
    start_date: { type: 'string', format: 'date-time', description: 'Earliest `lastModifiedAt` of projects and organizations on the first run, and the start of the first DORA window (RFC 3339).' },
    page_size: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: MAX_PAGE_SIZE, description: 'Records per page of projects, organizations and pipelines (the API allows at most 100).' },
    sei_api_key: { type: 'string', secret: true, description: 'SEI API key for the DORA metric, sent as `Authorization: APIKEY <key>`; `api_token` when unset.' },
    dora: {
      type: 'object',
      description: 'The SEI DORA widget to read mean time to restore from: `{"ou_ids": [...], "widget_id": "...", "integration_ids": [...], "across": "..."}` (`across` defaults to `velocity`, the stages). With it `mean_time_to_resolution` is selected by default.',
      properties: {
        ou_ids: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        widget_id: { type: 'string', minLength: 1 },
        integration_ids: { type: 'array', items: { type: 'string', minLength: 1 } },
        across: { type: 'string', minLength: 1 },
      },
      required: ['ou_ids', 'widget_id'],
      additionalProperties: false,
    },
    dora_window_days: { type: 'integer', minimum: 1, default: 30, description: 'Days the first DORA window covers when there is neither a bookmark nor `start_date`.' },
  },
  required: ['api_token', 'account_id'],
});

export default defineTap<HarnessSettings>({
  name: 'tap-harness',
  description: 'Harness.io: projects with their pipelines, organizations, the connector catalogue, cloud cost budgets and the DORA mean time to restore.',
  version: VERSION,
  catalogDir: new URL('../../../catalogs/harness/', import.meta.url),
  settings,
  client: (s) => ({ baseUrl: s.base_url, auth: apiKey({ name: 'x-api-key', value: s.api_token }) }),
  streams: [
    ngList('user_projects', '/ng/api/projects', 'project', {
      // An identifier is unique within its organization only: the list spans every organization.
      primaryKey: ['orgIdentifier', 'identifier'],
      description: 'Projects of every organization (each item\'s `project`, with `createdAt`, `lastModifiedAt`, `isFavorite`), keyed by organization and identifier.',
      childContext: (p) => ({ orgIdentifier: p.orgIdentifier ?? null, projectIdentifier: p.identifier ?? null }),
    }),
    ngList('organizations', '/ng/api/organizations', 'organization', {
      description: 'Organizations of the account (each item\'s `organization`, with `createdAt`, `lastModifiedAt`, `harnessManaged`).',
    }),
    rest({
      name: 'pipelines', parent: 'user_projects', path: '/pipeline/api/pipelines/list', method: 'POST',
      primaryKey: ['orgIdentifier', 'projectIdentifier', 'identifier'],
      description: 'Pipelines of every project (full table), with their execution summary.',
      params: (ctx) => ({ ...account(ctx), orgIdentifier: String(ctx.context.orgIdentifier), projectIdentifier: String(ctx.context.projectIdentifier) }),
      body: () => ({ filterType: 'PipelineSetup' }),
      records: 'data.content', paginator: pages('page', 'size', 'data.totalElements'),
      // The summaries do not name their org and project: the request does.
      transform: (item, _page, ctx) => ({ ...item, orgIdentifier: ctx.context.orgIdentifier ?? null, projectIdentifier: ctx.context.projectIdentifier ?? null }),
    }),
    rest({ name: 'connectors', path: '/ng/api/connectors/catalogue', primaryKey: ['category'], params: account, records: 'data.catalogue',
      description: 'The connector catalogue: connector types per category.' }),
    rest({ name: 'budgets', path: '/ccm/api/budgets', primaryKey: ['uuid'], params: account, records: 'data',
      description: 'Cloud Cost Management budgets.' }),
    rest({
      name: 'mean_time_to_resolution', path: '/gratis/sei/api/v1/dora/mean-time', method: 'POST',
      primaryKey: ['widget_id', 'time_range_start', 'time_range_end', 'key'], replicationKey: 'time_range_end',
      description: 'DORA mean time to restore over the window since the last sync: one row per stage of the workflow profile (the API\'s `records`) per sync. Needs the `dora` setting (selected by default when it is set).',
      selectedByDefault: (s) => s.dora !== undefined,
      unavailable: doraUnavailable,
      auth: (s) => apiKey({ name: 'authorization', value: s.sei_api_key ?? s.api_token, prefix: 'APIKEY' }),
      params: account,
      body: doraBody,
      // The SEI service's paginated list (`{records, count, _metadata}`): one page holds every stage.
      records: 'records',
      transform: (item, _page, ctx) => {
        const dora = ctx.settings.dora as DoraSettings;
        const { start, end } = doraWindow(ctx);
        const row: Partial<MeanTimeToResolutionRecord> & JsonObject = {
          ...item, widget_id: dora.widget_id, ou_ids: dora.ou_ids, integration_ids: dora.integration_ids ?? null,
          time_range_start: start, time_range_end: end,
        };
        return row;
      },
    }),
  ],
});
