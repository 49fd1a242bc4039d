import { getPath } from '../core/json.js';
import { header, type Headers } from './retry.js';

/** What a matched response means: try again, stop the run, skip it, or take it as the last page. */
export type RuleAction = 'retry' | 'fail' | 'ignore' | 'end';

/**
 * A declarative response rule (dlt's `response_actions`, grown): the conditions given (status, header,
 * body text, a value in the JSON body) must all match; the first matching rule decides.
 * - `retry`: tried again like a 503 (same backoff, `max_retries`, log); `after` sets the wait: seconds,
 *   or the name of a header holding them (else `Retry-After` or the backoff);
 * - `fail`: the run stops with one line naming the stream, the URL and `message` (else the server's words);
 * - `ignore`: no records from this response, no further page (a 404 for a deleted parent's children);
 * - `end`: the last page: its records (a 2xx's) are kept, no further page is requested.
 */
export interface ResponseRule {
  /** Matches this HTTP status, or any of a list; a range as `'500-599'` or `'5xx'`. */
  status?: number | string | ReadonlyArray<number | string>;
  /** Matches a response header (name case-insensitive): present, equal to `value`, or matching a RegExp. */
  header?: { name: string; value?: string | RegExp };
  /** Matches when the raw body contains this text. */
  content?: string;
  /**
   * Matches a value in the JSON body at a dotted path or JSONPath (`errors[0].type`, `$.meta.done`):
   * equal to `equals`, matching a RegExp (`matches`), or, with neither, present (not null).
   */
  body?: { path: string; equals?: unknown; matches?: RegExp };
  action: RuleAction;
  /** `retry`: seconds to wait, or the header naming them. */
  after?: number | string;
  /** `fail`: the message (the stream and URL are named before it). */
  message?: string;
}

/** What a rule looks at: the status, headers, raw text, and the JSON body (undefined when it is not JSON). */
export interface RuleInput {
  status: number;
  headers: Headers;
  text: string;
  readonly json: unknown;
}

function statusMatches(spec: NonNullable<ResponseRule['status']>, status: number): boolean {
  const list: ReadonlyArray<number | string> = Array.isArray(spec) ? spec : [spec as number | string];
  return list.some((s) => {
    if (typeof s === 'number') return s === status;
    const t = s.trim();
    const xx = /^([1-5])xx$/i.exec(t);
    if (xx) return Math.floor(status / 100) === Number(xx[1]);
    const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(t);
    return range ? status >= Number(range[1]) && status <= Number(range[2]) : Number(t) === status;
  });
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // A number in the body equals its text in a rule read from YAML (`code: '42'`), and the other way round.
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  return typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a response matches every condition a rule gives (a rule without conditions matches nothing). */
export function ruleMatches(rule: ResponseRule, r: RuleInput): boolean {
  const { status, header: h, content, body } = rule;
  if (status === undefined && h === undefined && content === undefined && body === undefined) return false;
  if (status !== undefined && !statusMatches(status, r.status)) return false;
  if (content !== undefined && !r.text.includes(content)) return false;
  if (h !== undefined) {
    const value = header(r.headers, h.name.toLowerCase());
    if (value === undefined) return false;
    if (typeof h.value === 'string' && value.trim() !== h.value) return false;
    if (h.value instanceof RegExp && !h.value.test(value)) return false;
  }
  if (body !== undefined) {
    const value = getPath(r.json, body.path);
    if ('equals' in body) return same(value, body.equals);
    if (body.matches) return typeof value === 'string' || typeof value === 'number' ? body.matches.test(String(value)) : false;
    return value !== undefined && value !== null;
  }
  return true;
}

/** The rules a response matches, in declaration order (status and content must both match when both are given). */
export function matchingRules(rules: readonly ResponseRule[] | undefined, status: number, body: string): ResponseRule[] {
  if (!rules?.length) return [];
  const input: RuleInput = { status, headers: {}, text: body, get json() { return undefined; } };
  return rules.filter((rule) => ruleMatches(rule, input));
}

/** A rule for people: `status 404 and content "gone" -> ignore`. */
export function describeRule(rule: ResponseRule): string {
  const show = (v: unknown) => (v instanceof RegExp ? String(v) : JSON.stringify(v));
  const h = rule.header;
  const b = rule.body;
  const parts = [
    rule.status !== undefined ? `status ${JSON.stringify(rule.status)}` : '',
    h ? `header ${h.name}${h.value === undefined ? '' : ` ${h.value instanceof RegExp ? '~' : '=='} ${show(h.value)}`}` : '',
    rule.content !== undefined ? `content ${JSON.stringify(rule.content)}` : '',
    b ? `body ${b.path}${'equals' in b ? ` == ${show(b.equals)}` : b.matches ? ` ~ ${show(b.matches)}` : ''}` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} -> ${rule.action}`;
}
