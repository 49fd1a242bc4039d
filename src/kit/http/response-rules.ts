/**
 * Per-stream response rules (dlt's `response_actions`): a response whose status and/or body match a
 * rule is handled by the rule's action instead of failing the run. Every matching rule applies, in
 * order (dlt applies only the first, dlt#1949); `ignore` ends the request sequence without records
 * from that response (a 404 for a deleted parent's children, a "no data" body).
 */
export interface ResponseRule {
  /** Matches this HTTP status (or any of these). */
  status?: number | number[];
  /** Matches when the raw body contains this text. */
  content?: string;
  action: 'ignore';
}

/** The rules a response matches, in declaration order (status and content must both match when both are given). */
export function matchingRules(rules: readonly ResponseRule[] | undefined, status: number, body: string): ResponseRule[] {
  if (!rules?.length) return [];
  return rules.filter((rule) => {
    if (rule.status === undefined && rule.content === undefined) return false;
    const statuses = rule.status === undefined ? undefined : Array.isArray(rule.status) ? rule.status : [rule.status];
    if (statuses && !statuses.includes(status)) return false;
    if (rule.content !== undefined && !body.includes(rule.content)) return false;
    return true;
  });
}

export function describeRule(rule: ResponseRule): string {
  const parts = [rule.status !== undefined ? `status ${JSON.stringify(rule.status)}` : '', rule.content !== undefined ? `content ${JSON.stringify(rule.content)}` : ''].filter(Boolean);
  return `${parts.join(' and ')} -> ${rule.action}`;
}
