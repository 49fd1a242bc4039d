/**
 * The GraphQL mock's data: an organization's repositories and their issues, shaped like GitHub's
 * GraphQL v4 objects (global node ids, `databaseId`, `nameWithOwner`, `YYYY-MM-DDTHH:MM:SSZ` times),
 * deterministic from the seed. The repositories' issue counts cover the edge cases a client meets:
 * one repository without issues, one with more than a page of 100.
 */
import { REFERENCE_INSTANT, formatTimestamp, mulberry32, pick, randInt } from './users.js';

export const ORGANIZATION = 'acme';
export const VIEWER = 'octo-playground';

export interface IssueRow {
  id: string;
  databaseId: number;
  number: number;
  title: string;
  body: string | null;
  state: 'OPEN' | 'CLOSED';
  author: { login: string } | null;
  labels: Array<{ name: string; color: string }>;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  url: string;
}

export interface RepositoryRow {
  id: string;
  databaseId: number;
  name: string;
  nameWithOwner: string;
  description: string | null;
  isPrivate: boolean;
  stargazerCount: number;
  createdAt: string;
  updatedAt: string;
  url: string;
  issues: IssueRow[];
}

const WORDS = ['api', 'billing', 'cache', 'docs', 'engine', 'gateway', 'infra', 'mobile', 'portal', 'search', 'sync', 'web'];
const VERBS = ['Fix', 'Add', 'Remove', 'Document', 'Speed up', 'Refactor', 'Retry', 'Validate'];
const THINGS = ['pagination', 'the login page', 'rate limits', 'timezone handling', 'CSV export', 'webhooks', 'the cache', 'error messages'];
const LOGINS = ['octocat', 'hubot', 'monalisa', 'defunkt', 'mojombo', 'pjhyett'];
const LABELS = [
  { name: 'bug', color: 'd73a4a' },
  { name: 'enhancement', color: 'a2eeef' },
  { name: 'documentation', color: '0075ca' },
  { name: 'good first issue', color: '7057ff' },
];
const HOUR = 3_600_000;

/** A GitHub-style global node id: a type prefix and 12 base64url characters. */
function nodeId(rnd: () => number, prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = `${prefix}_kwDO`;
  for (let i = 0; i < 12; i++) id += alphabet[Math.floor(rnd() * alphabet.length)];
  return id;
}

/**
 * Issues per repository: none for the first, 150 (two pages of 100) for the third, 5..40 for the
 * others, whatever the scale (which multiplies the repositories: the data grows linearly with it).
 */
function issueCount(rnd: () => number, index: number): number {
  if (index === 0) return 0;
  if (index === 2) return 150;
  return randInt(rnd, 5, 40);
}

function buildIssue(rnd: () => number, repo: RepositoryRow, num: number, databaseId: number, createdMs: number): IssueRow {
  const closed = rnd() < 0.4;
  const updatedMs = createdMs + randInt(rnd, 0, 72) * HOUR + randInt(rnd, 0, 3599) * 1000;
  return {
    id: nodeId(rnd, 'I'),
    databaseId,
    number: num,
    title: `${pick(rnd, VERBS)} ${pick(rnd, THINGS)}`,
    body: rnd() < 0.2 ? null : `Seen on ${repo.name}: ${pick(rnd, THINGS)} misbehaves.`,
    state: closed ? 'CLOSED' : 'OPEN',
    author: rnd() < 0.05 ? null : { login: pick(rnd, LOGINS) },
    labels: LABELS.filter(() => rnd() < 0.3),
    createdAt: formatTimestamp(createdMs),
    updatedAt: formatTimestamp(updatedMs),
    closedAt: closed ? formatTimestamp(updatedMs) : null,
    url: `${repo.url}/issues/${num}`,
  };
}

/** The organization's repositories (12 at scale 1), each with its issues. */
export function generateRepositories(seed: number, scale: number): RepositoryRow[] {
  const rnd = mulberry32(seed ^ 0x6a9f1);
  const count = Math.max(3, Math.round(12 * scale));
  let issueId = 1_000_000;
  const repos: RepositoryRow[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${WORDS[i % WORDS.length]}${i >= WORDS.length ? `-${Math.floor(i / WORDS.length) + 1}` : ''}`;
    const createdMs = REFERENCE_INSTANT - (400 - i) * 24 * HOUR + randInt(rnd, 0, 23) * HOUR;
    const repo: RepositoryRow = {
      id: nodeId(rnd, 'R'),
      databaseId: 500_000 + i * 7,
      name,
      nameWithOwner: `${ORGANIZATION}/${name}`,
      description: rnd() < 0.2 ? null : `The ${name} service`,
      isPrivate: rnd() < 0.3,
      stargazerCount: randInt(rnd, 0, 2000),
      createdAt: formatTimestamp(createdMs),
      updatedAt: formatTimestamp(createdMs),
      url: `https://github.example/${ORGANIZATION}/${name}`,
      issues: [],
    };
    const n = issueCount(rnd, i);
    for (let k = 0; k < n; k++) {
      // Spread over the repository's life, oldest first.
      const at = createdMs + Math.floor(((k + 1) / (n + 1)) * (REFERENCE_INSTANT - createdMs)) - randInt(rnd, 0, 3599) * 1000;
      repo.issues.push(buildIssue(rnd, repo, k + 1, issueId, at));
      issueId += randInt(rnd, 1, 9);
    }
    const last = repo.issues.reduce((m, x) => (x.updatedAt > m ? x.updatedAt : m), repo.updatedAt);
    repo.updatedAt = last;
    repos.push(repo);
  }
  return repos;
}

/**
 * A live source: the `count` least recently updated issues change now (closed, or opened again),
 * and their repositories' `updatedAt` with them, and a new issue is opened (in the repositories in
 * turn). Returns how many issues changed or were opened.
 */
export function touchIssues(repos: RepositoryRow[], count: number, nowMs: number): number {
  if (!(count >= 1)) return 0;
  const all = repos.flatMap((repo) => repo.issues.map((issue) => ({ repo, issue })));
  all.sort((a, b) => (a.issue.updatedAt < b.issue.updatedAt ? -1 : a.issue.updatedAt > b.issue.updatedAt ? 1 : a.issue.databaseId - b.issue.databaseId));
  const now = formatTimestamp(nowMs);
  const changed = all.slice(0, Math.max(0, Math.floor(count)));
  for (const { repo, issue } of changed) {
    issue.state = issue.state === 'OPEN' ? 'CLOSED' : 'OPEN';
    issue.closedAt = issue.state === 'CLOSED' ? now : null;
    issue.updatedAt = now;
    repo.updatedAt = now;
  }
  const databaseId = all.reduce((m, x) => Math.max(m, x.issue.databaseId), 1_000_000) + 1;
  const repo = repos[databaseId % repos.length] as RepositoryRow;
  const issue = buildIssue(mulberry32(databaseId), repo, repo.issues.length + 1, databaseId, nowMs);
  repo.issues.push({ ...issue, state: 'OPEN', closedAt: null, updatedAt: now });
  repo.updatedAt = now;
  return changed.length + 1;
}
