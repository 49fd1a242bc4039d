import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support.js';

/** The playground GraphQL API's repositories (deterministic from its default seed): every issue is read. */
const REPOSITORIES = ['api', 'billing', 'cache', 'docs', 'engine', 'gateway', 'infra', 'mobile', 'portal', 'search', 'sync', 'web'].map((n) => `acme/${n}`);
/** Two JSON Lines files of audit events for tap-playground's generic `audit_log` stream (one partition each). */
const AUDIT_LINES = [3, 2];
const auditDir = mkdtempSync(join(tmpdir(), 'interop-audit-'));
const AUDIT_FILES = AUDIT_LINES.map((lines, f) => {
  const file = join(auditDir, `audit-${f}.jsonl`);
  writeFileSync(file, Array.from({ length: lines }, (_, i) => JSON.stringify({ at: `2025-01-0${i + 1}T00:00:00Z`, user_id: i, action: 'login' })).join('\n') + '\n');
  return file;
});
// What the interop tests need to know of each tap: how to configure it against a playground, and how
// many records each stream must hold, computed from the playground's own /__playground/stats.
export interface InteropTap {
  tap: string;
  /** Distinguishes several runs of one tap (tap-rest with different definitions): database and folder names. */
  name?: string;
  config: (url: string, token: string) => Record<string, unknown>;
  /** Expected rows per stream, from the playground's stats. */
  expected: (stats: Record<string, Record<string, number>>) => Record<string, number>;
  /**
   * A stream whose records the playground's mutate endpoint changes in place (updated, not added).
   * `fullTable`: the stream has no bookmark (a definition as written), so the second run re-reads it whole.
   * No `replicationKey`: the changed field is not a top-level column.
   */
  updatedStream: { stream: string; replicationKey?: string; fullTable?: boolean };
  /** String fields the API itself defines as free text that may hold JSON (a request body a user typed). */
  freeText?: string[];
}

export const TAPS: InteropTap[] = [
  {
    tap: 'tap-playground',
    config: (url, token) => ({ base_url: url, bearer_token: token, repositories: REPOSITORIES, audit_log_files: AUDIT_FILES }),
    expected: (stats) => {
      const pg = stats.playground ?? {};
      const users = pg.users ?? 0;
      return {
        user: Math.min(20, users), users_next_page_url: users, users_page_number: users, users_offset: users, users_keyset: users,
        companies: pg.companies ?? 0, departments: pg.departments ?? 0,
        issues: stats.graphql?.issues ?? 0, audit_log: AUDIT_LINES.reduce((a, b) => a + b, 0),
      };
    },
    updatedStream: { stream: 'users_offset', replicationKey: 'updatedAt' },
  },
  {
    tap: 'tap-betterstack',
    config: (url, token) => ({ base_url: url, api_key: token }),
    expected: (stats) => ({ ...(stats.betterstack ?? {}) }),
    updatedStream: { stream: 'monitors', replicationKey: 'updated_at' },
    freeText: ['request_body', 'response_content'],
  },
  {
    tap: 'tap-harness',
    config: (url, token) => ({ base_url: url, api_token: token, account_id: 'playground-account', dora: { ou_ids: ['interop-collection'], widget_id: 'interop-widget' } }),
    // One DORA row per stage per sync, each for its own window: as many rows as the mock answered stage records.
    expected: (stats) => ({ ...(stats.harness ?? {}) }),
    updatedStream: { stream: 'user_projects', replicationKey: 'lastModifiedAt' },
  },
  {
    tap: 'tap-rest',
    name: 'tap-rest-monitoring',
    config: (url, token) => ({ source: `${ROOT}/sample-config/monitoring.source.json`, base_url: url, api_key: token }),
    expected: (stats) => ({ resource_name: stats.monitoring?.resource ?? 0 }),
    updatedStream: { stream: 'resource_name', replicationKey: 'updated_at', fullTable: true },
  },
  {
    tap: 'tap-rest',
    name: 'tap-rest-incidents',
    config: (url, token) => ({ source: `${ROOT}/sample-config/incidents.source.json`, base_url: `${url}/incidents-api/v1`, api_token: token }),
    expected: (stats) => ({ ...(stats.incidents ?? {}) }),
    updatedStream: { stream: 'services', fullTable: true },
  },
];
