import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { Authenticator, RequestSpec } from '../http/auth.js';
import type { RequestOrigin, SendOptions, Transport } from '../http/request.js';
import { selectRecords, type RecordSelector } from '../http/response.js';
import type { ResponseRule } from '../http/response-rules.js';
import { classifier, type Classifier } from '../http/classify.js';
import { COUNTED, REVISIT, type Page, type Paginator } from '../paging/paginators.js';
import { orderedMap } from '../run/ordered.js';

/** Everything one resource's read needs: what to ask, how to page, where the records are, and how to check the read. */
export interface RetrieveOptions {
  transport: Transport;
  first: RequestSpec;
  paginator: Paginator;
  /** Where the records are in a page (default: the body itself, or its one list). */
  selector?: RecordSelector | undefined;
  origin: RequestOrigin;
  /** Replaces the client's credentials for this resource. */
  auth?: Authenticator | undefined;
  /** Classifies every response (see `classifier`): `ignore` and `end` end the sequence, `end` keeping its records. */
  classify?: Classifier | undefined;
  /** Response rules, when there is no `classify` (shorthand for `classify: classifier([{responseRules}])`). */
  rules?: readonly ResponseRule[] | undefined;
  signal?: AbortSignal | undefined;
  /** Pages requested at once where the paginator can plan them (default 1). */
  parallel?: number;
  /** The rows of a page, as a string (their keys, in order): the first page read again must match it. */
  identify?: (page: Page) => string;
  /** Check a read of several pages one at a time too (a stream whose version is activated). */
  verifyEnd?: boolean;
  /** Set to false when the list kept changing through every read. */
  outcome?: { settled: boolean };
}

/**
 * Reads one page (undefined: classified `ignore`). A page with the very bytes of one read before is
 * marked (`REPEATED`): the caller knows whether it asked again on purpose and what a repeat means.
 */
interface PageRead {
  (spec: RequestSpec): Promise<Page | undefined>;
  /** A page read and not taken (the list moved under it): its body no longer counts as read. */
  forget(page: Page): void;
}

const MAX_PASSES = 3;

/** Pages classified `end`: the last of their sequence. */
const LAST = new WeakSet<Page>();

/** Pages answered with the very bytes of a page read before in the same read of the list. */
const REPEATED = new WeakSet<Page>();

/**
 * Every page of a paginated resource, in order: the retriever between a stream and the transport (the
 * transport sends one request; the page loop, loop detection, the verification of pages read in
 * parallel, record selection and response rules are here). The next request comes from the paginator;
 * a request seen before is a pagination loop and stops the run (unless the paginator goes back on
 * purpose: the list shrank under it). A page with the very bytes of one already read is asked again;
 * the same answer is taken as the list having moved by whole pages only if the page before it moved
 * too, and is otherwise a loop that stops the run. With `parallel` > 1 and a paginator that can plan the remaining
 * pages from the first (a known total, a last-page link), up to `parallel` pages are requested at once
 * and still yielded in order.
 *
 * A list read in several pages may change while it is read. Planned pages are read out of order, so a
 * row moving between pages could be missed: each planned page's length must match the first's, and the
 * first page, read again at the end, must hold the same rows (`identify`); otherwise the list is read
 * again, one page at a time, in order (where a row moving up to the top or down the list is read twice
 * rather than missed, and a shrinking total sends the paginator back). With `verifyEnd` (a stream whose
 * version is activated: a missed row would be deleted) a read one page at a time is checked the same
 * way. After `MAX_PASSES` reads that changed, `outcome.settled` is false and the rows that moved are
 * left to the next run.
 */
export async function* retrieve(o: RetrieveOptions): AsyncGenerator<Page> {
  const { paginator, first, origin } = o;
  const log = o.transport.log;
  paginator.first?.(first);
  const parallel = o.parallel ?? 1;
  for (let pass = 1; ; pass++) {
    const read = pageReader(o);
    const head = await read(first);
    if (!head) return;
    const planned = pass === 1 && parallel > 1 ? paginator.plan?.(head, first) : undefined;
    yield head;
    if (LAST.has(head)) return;
    let pagesRead = 1;
    let changed: string | undefined;
    if (planned) {
      const extent = paginator.extent?.(head);
      for await (const next of orderedMap(planned, (spec) => read(spec), parallel)) {
        if (!next) return;
        pagesRead++;
        // Pages read at once, out of order: a page holding the rows of another (a wrong answer, or the
        // list moved by whole pages) is not taken, and the list is read again one page at a time.
        if (REPEATED.has(next)) {
          changed ??= 'a page answered the rows of another';
          if (LAST.has(next)) break;
          continue;
        }
        const here = paginator.extent?.(next);
        // A page that states no length (a total sent on the first page only, dlt#1414) says nothing.
        if (changed === undefined && here !== undefined && here !== extent) changed = `its length went from ${extent ?? '?'} to ${here ?? '?'}`;
        yield next;
        if (LAST.has(next)) return;
      }
    } else {
      for await (const next of following(o, head, read)) {
        pagesRead++;
        yield next;
      }
      if (!o.verifyEnd) return;
    }
    if (pagesRead === 1) return;
    if (changed === undefined && o.identify) {
      const again = await read(first);
      if (again && o.identify(again) !== o.identify(head)) changed = 'its first page holds other rows now';
    }
    if (changed === undefined) return;
    if (pass >= MAX_PASSES) {
      if (o.outcome) o.outcome.settled = false;
      log.warn(`stream '${origin.stream}': the list kept changing while it was read (${changed}), ${pass} times; rows that moved meanwhile are read by the next run`);
      return;
    }
    log.info(`stream '${origin.stream}': the list changed while it was read (${changed}); reading it again one page at a time, in order, so that no row is missed (rows already written are sent again)`);
  }
}

/**
 * The group of rows sharing one value that is being read by positions (see COUNTED): the request of
 * its first page, the positions asked after it, and how often it was read again because a row left it.
 */
interface CountedGroup {
  request: RequestSpec;
  positions: string[];
  restarts: number;
}

/**
 * The pages after `head`, one at a time, as the paginator names them; a repeated request is a loop.
 * A position counted from rows already read (COUNTED) is yielded only once the page before it, read
 * again, still holds the same rows: otherwise a row left while the group was paged, the rest slid back,
 * and the group is read again from its first page (its rows already written are not written twice).
 */
async function* following(o: RetrieveOptions, head: Page, read: PageRead): AsyncGenerator<Page> {
  const { paginator, first, origin } = o;
  const log = o.transport.log;
  const auth = o.auth ?? o.transport.options.auth;
  const identify = o.identify ?? ((p: Page) => JSON.stringify(p.records));
  const seen = new Set<string>([requestKey(first)]);
  /** Positions asked again after their group moved: answers may repeat what was read before. */
  const again = new Set<string>();
  const paging = { log, stream: origin.stream };
  let current = first;
  let page: Page = head;
  let group: CountedGroup | undefined;
  for (;;) {
    const next = paginator.next(page, current, paging);
    if (!next) return;
    auth.apply(next);
    const key = requestKey(next);
    const memo = next.memo as Record<string, unknown> | undefined;
    const back = memo?.[REVISIT] === true || again.has(key);
    const isCounted = memo?.[COUNTED] === true;
    if (memo) {
      delete memo[REVISIT];
      delete memo[COUNTED];
    }
    if (!back && seen.has(key)) {
      throw new UserError(`stream '${origin.stream}': pagination loop: the ${paginator.kind} paginator asked for ${log.redactor.url(next.url)} again`);
    }
    seen.add(key);
    let candidate = await read(next);
    if (!candidate) return;
    let moved = false;
    if (!back && REPEATED.has(candidate)) {
      const answer = await recheck(next, candidate);
      if (!answer) return;
      if (answer === 'moved') moved = true;
      else candidate = answer;
    }
    if (!isCounted) group = undefined;
    else {
      group ??= { request: current, positions: [], restarts: 0 };
      group.positions.push(key);
      if (moved || await beforeMoved()) {
        if (++group.restarts > MAX_PASSES) {
          if (o.outcome) o.outcome.settled = false;
          log.warn(`stream '${origin.stream}': rows sharing one value fill more than a page and kept moving while they were read by position (${group.restarts - 1} times); the stream stops here for this run and the next run reads on from that value (a larger page size avoids it)`);
          return;
        }
        read.forget(candidate);
        log.info(`stream '${origin.stream}': a row left a group of rows sharing one value while the group was read by position; the group is read again from ${log.redactor.url(group.request.url)} (rows already written are not written twice)`);
        for (const position of group.positions) again.add(position);
        const restart = await read(group.request);
        if (!restart) return;
        current = group.request;
        page = restart;
        yield restart;
        if (LAST.has(restart)) return;
        continue;
      }
    }
    current = next;
    page = candidate;
    // The list moved by whole pages: this page holds rows already written; the next one reads on.
    if (!moved) yield page;
    if (LAST.has(page)) return;
  }

  /**
   * `candidate`, the answer to `next`, has the very bytes of a page already read. Asked again: another
   * answer is the page (the first was wrong: a proxy, a cache). The same answer is the list having moved
   * by whole pages if the page before it (`current`), read again, now holds other rows: reading on
   * misses nothing, and this page's rows were written already ('moved'). Otherwise the API repeats
   * a page (or ignores the page parameter): a loop, stopped rather than skipping the page it should have been.
   */
  async function recheck(next: RequestSpec, candidate: Page): Promise<Page | 'moved' | undefined> {
    const retry = await read(next);
    if (!retry || !REPEATED.has(retry)) return retry;
    if (await beforeMoved()) {
      log.info(`stream '${origin.stream}': ${log.redactor.url(candidate.url)} answered the rows of a page already read, and the page before it now holds other rows: the list moved by whole pages while it was read; reading on (this page's rows were written already)`);
      return 'moved';
    }
    throw new UserError(`stream '${origin.stream}': ${log.redactor.url(candidate.url)} answered with a page already read, again when asked again, while the page before it did not change (the API repeats a page or ignores the page parameter); stopping rather than skipping the page it should have been (run again; the last STATE is safe)`);
  }

  /** Whether the page last taken (`current`), read again, holds other rows now: the list moved under the read. */
  async function beforeMoved(): Promise<boolean> {
    const before = await read(current);
    return before !== undefined && identify(before) !== identify(page);
  }
}

/**
 * Reads one page: sends it (classified by the stream's and the tap's hooks and rules), selects its records. Digests of the pages
 * read: a page answered with the very bytes of one already read (a loop back to page 1 under another
 * URL, a repeated page, or a list that moved by whole pages) is marked `REPEATED`, and its reader
 * neither yields it as new rows nor reads on past it unchecked (`following`'s recheck; a planned read
 * reads the list again).
 */
function pageReader(o: RetrieveOptions): PageRead {
  const { origin, transport } = o;
  const log = transport.log;
  const bodies = new Set<string>();
  const digests = new WeakMap<Page, string>();
  const classify = o.classify ?? classifier([{ responseRules: o.rules }]);
  const read = async (spec: RequestSpec): Promise<Page | undefined> => {
    const send: SendOptions = { origin };
    if (o.auth) send.auth = o.auth;
    if (o.signal) send.signal = o.signal;
    if (classify) send.classify = classify;
    const reply = await transport.send(spec, send);
    if (!reply) return undefined;
    const page: Page = { url: reply.url, status: reply.status, headers: reply.headers, body: reply.body, records: selectRecords(reply.body, o.selector, `stream '${origin.stream}'`) };
    if (reply.last) LAST.add(page);
    if (page.records.length === 0) return page;
    const digest = createHash('sha1').update(reply.bytes ?? reply.text).digest('base64');
    if (bodies.has(digest)) {
      REPEATED.add(page);
      return page;
    }
    bodies.add(digest);
    // Only the page that brought a digest takes it away (forget): a repeat leaves the first's.
    digests.set(page, digest);
    return page;
  };
  return Object.assign(read, {
    forget(page: Page): void {
      const digest = digests.get(page);
      if (digest !== undefined) bodies.delete(digest);
    },
  });
}

/**
 * A request in canonical form, so that the first request (`?limit=50&offset=0`) and the same page's
 * next link (`?offset=0&limit=50`) are one request to the loop check.
 */
export function requestKey(r: RequestSpec): string {
  const url = new URL(r.url);
  url.searchParams.sort();
  url.hash = '';
  // Headers count too: a token may travel in one (placeTokens `header`).
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k.toLowerCase()}:${v}`).sort();
  return `${r.method} ${url.toString()} ${r.json === undefined ? '' : JSON.stringify(r.json)} ${headers.join('\n')}`;
}
