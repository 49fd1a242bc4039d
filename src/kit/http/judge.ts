import type { Response } from 'got';
import { UserError } from '../core/errors.js';
import { parseJson } from '../core/jsontext.js';
import type { Logger } from '../log/log.js';
import type { Classifier, Decision, ResponseView } from './classify.js';
import { serverMessage } from './response.js';

/** The error code of a response classified `retry`: retried by the transport like a 503. */
export const CLASSIFIED_RETRY = 'ERR_CLASSIFIED_RETRY';

/** A response classified `retry`: its wait (when the classification gave one) and why. */
export class ClassifiedRetry extends Error {
  readonly code = CLASSIFIED_RETRY;
  constructor(message: string, readonly afterSeconds: number | undefined) {
    super(message);
  }
}

/** A response classified `ignore` (or `end` without a 2xx): no records, no further page, no retry. */
export class ClassifiedStop extends Error {}

/** Whether a failed attempt was decided by a classification that must not be retried (`fail`, `ignore`, `end`). */
export function isFinalVerdict(cause: unknown): boolean {
  return cause instanceof ClassifiedStop || cause instanceof UserError;
}

function viewOf(response: Response<string>, stream: string): ResponseView {
  let parsed: { value: unknown } | undefined;
  const text = response.body;
  return {
    stream, method: response.request.options.method, url: response.url, status: response.statusCode, headers: response.headers, text,
    get json() {
      if (!parsed) {
        try {
          parsed = { value: text === '' ? undefined : parseJson(text) };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
  };
}

/**
 * Classifies one response in the transport's afterResponse hook, where a `retry` can still be retried
 * with the budget, backoff and `max_retries` of every other retry. Throws for `retry` (a
 * `ClassifiedRetry`), `fail` (a one-line `UserError` naming the stream and URL) and `ignore` (a
 * `ClassifiedStop`, as for an `end` that is not a 2xx); returns `end` for the last page, a 2xx.
 */
export function judge(response: Response<string>, log: Logger, by: { classify: Classifier; stream?: string | undefined }): 'end' | undefined {
  const stream = by.stream ?? '';
  const view = viewOf(response, stream);
  const decision: Decision | undefined = by.classify(view);
  if (!decision) return undefined;
  const url = log.redactor.url(response.url);
  const where = `${stream ? `stream '${stream}': ` : ''}`;
  const status = response.statusCode;
  if (decision.action === 'retry') throw new ClassifiedRetry(`HTTP ${status} ${decision.by}`, decision.afterSeconds);
  if (decision.action === 'fail') {
    const words = decision.message ?? log.redactor.redact(serverMessage(view.text));
    throw new UserError(`${where}${view.method} ${url} failed: HTTP ${status}${words ? ` - ${words}` : ''} (${decision.by})`);
  }
  log.info(`${where}HTTP ${status} from ${url} ${decision.by}`);
  if (decision.action === 'end' && status >= 200 && status < 300) return 'end';
  throw new ClassifiedStop(decision.by);
}
