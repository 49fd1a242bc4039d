import { describeRule, ruleMatches, type ResponseRule, type RuleInput } from './response-rules.js';
import { header } from './retry.js';

/**
 * What a response means (the Meltano SDK's `validate_response`): `retry` (with backoff, or after
 * `afterSeconds`), `fail` with a message, `ignore` (no records, no further page), `end` (the last page:
 * its records are kept). Undefined: no opinion, the next hook or rule decides, then the default (2xx
 * ok; 408, 429, 5xx retried; other statuses fail).
 */
export type Verdict = 'retry' | { retry: { afterSeconds?: number } } | { fail: string } | 'ignore' | 'end';

/** A response as a `classify` hook sees it. */
export interface ResponseView extends RuleInput {
  stream: string;
  method: string;
  url: string;
}

export type Classify = (response: ResponseView) => Verdict | undefined;

/** Where responses are classified: a stream, or the whole tap. The hook runs before the rules. */
export interface Classification {
  classify?: Classify | undefined;
  responseRules?: readonly ResponseRule[] | undefined;
}

/** A verdict in one shape, with what decided it (for the log: `matched response rule '...'`). */
export interface Decision {
  action: 'retry' | 'fail' | 'ignore' | 'end';
  by: string;
  afterSeconds?: number;
  message?: string;
}

/** Classifies one response: the first decision of the scopes in order (a stream's, then the tap's). */
export type Classifier = (response: ResponseView) => Decision | undefined;

function fromHook(verdict: Verdict, scope: string): Decision {
  const action = typeof verdict === 'string' ? verdict : 'fail' in verdict ? 'fail' : 'retry';
  const by = `classified '${action}' by the ${scope} classify hook`;
  if (typeof verdict === 'string') return { action: verdict, by };
  if ('fail' in verdict) return { action: 'fail', by, message: verdict.fail };
  const after = verdict.retry.afterSeconds;
  return { action: 'retry', by, ...(after !== undefined && Number.isFinite(after) ? { afterSeconds: Math.max(0, after) } : {}) };
}

function fromRule(rule: ResponseRule, r: ResponseView): Decision {
  const decision: Decision = { action: rule.action, by: `matched response rule '${describeRule(rule)}'` };
  if (rule.message !== undefined) decision.message = rule.message;
  const after = typeof rule.after === 'string' ? Number(header(r.headers, rule.after.toLowerCase())) : rule.after;
  if (after !== undefined && Number.isFinite(after)) decision.afterSeconds = Math.max(0, after);
  return decision;
}

/**
 * One classifier from the scopes, in order (a stream's, then the tap's): in each, its hook, then its
 * rules (the first matching rule decides). Undefined when no scope classifies anything.
 */
export function classifier(scopes: ReadonlyArray<(Classification & { name?: string }) | undefined>): Classifier | undefined {
  const active = scopes.filter((s): s is Classification & { name?: string } => s !== undefined && (s.classify !== undefined || (s.responseRules?.length ?? 0) > 0));
  if (active.length === 0) return undefined;
  return (response) => {
    for (const scope of active) {
      const verdict = scope.classify?.(response);
      if (verdict !== undefined) return fromHook(verdict, scope.name ?? 'stream');
      const rule = scope.responseRules?.find((r) => ruleMatches(r, response));
      if (rule) return fromRule(rule, response);
    }
    return undefined;
  };
}
