import { HTTPError, RequestError } from 'got';
import { HttpError, UserError } from '../core/errors.js';
import type { Redactor } from '../log/redact.js';
import type { RequestSpec } from './auth.js';
import { CLASSIFIED_RETRY } from './judge.js';
import { serverMessage } from './response.js';
import { BAD_BODY, networkProblem } from './retry.js';

/**
 * The error a failed request ends with, for people: method, URL (redacted), status and the server's
 * words; a response still classified `retry` after the last retry says so.
 */
export function toError(error: unknown, spec: RequestSpec, redactor: Redactor): Error {
  const url = redactor.url(spec.url);
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const hint = status === 401 || status === 403 ? ' (check the credentials in the config)' : '';
    return new HttpError({ method: spec.method, url: redactor.url(error.response.url || spec.url), status, detail: redactor.redact(serverMessage(error.response.body)) + hint });
  }
  if (error instanceof RequestError && error.code === CLASSIFIED_RETRY && error.response) {
    const words = redactor.redact(serverMessage(error.response.body)).slice(0, 120);
    const detail = `${error.message.replace(/^HTTP \d+ /, '')}${words ? ` (${words})` : ''}; still so after ${error.options.retry.limit} retries`;
    return new HttpError({ method: spec.method, url: redactor.url(error.response.url || spec.url), status: error.response.statusCode, detail });
  }
  if (error instanceof RequestError && error.code === BAD_BODY) {
    const response = error.response;
    const shown = response && !/^truncated/.test(error.message) ? `: ${redactor.redact(serverMessage(response.body).slice(0, 120))}` : '';
    return new HttpError({ method: spec.method, url, status: response?.statusCode, detail: `${error.message}${shown}` });
  }
  if (error instanceof RequestError && error.cause instanceof UserError) return error.cause;
  if (error instanceof RequestError) {
    const plain = networkProblem(error.code);
    return new HttpError({ method: spec.method, url, status: undefined, detail: plain ?? redactor.redact(`${error.code ?? ''} ${error.message}`.trim()) });
  }
  return error instanceof Error ? error : new Error(String(error));
}
