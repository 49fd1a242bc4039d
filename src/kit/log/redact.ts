/** Query parameters whose values are secrets whatever the tap declared. */
const SENSITIVE_PARAM = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|secret|password|client[_-]?secret|signature)$/i;

/**
 * Removes secrets from every string that leaves the process: log lines, errors, METRIC tags.
 * Secrets are registered once (from the settings the tap marks `secret`) and replaced by `***`.
 */
export class Redactor {
  private secrets: string[] = [];

  add(secret: unknown, depth = 0): void {
    // A secret of the wrong type (a number, a list) is still a secret: register it as printed.
    if (typeof secret === 'number' || typeof secret === 'boolean' || typeof secret === 'bigint') secret = String(secret);
    else if (Array.isArray(secret) || (typeof secret === 'object' && secret !== null)) {
      // Settings are refused beyond 64 levels; a deeper secret still must not overflow the stack here.
      if (depth > 64) return;
      if (depth === 0) this.add(JSON.stringify(secret));
      for (const v of Object.values(secret)) this.add(v, depth + 1);
      return;
    }
    if (typeof secret !== 'string' || secret.length < 3) return;
    // The form a query string built with URLSearchParams gives it (`+` for space, `%7E` for `~`...) too.
    const queryForm = new URLSearchParams({ s: secret }).toString().slice(2);
    const forms = new Set([secret, encodeURIComponent(secret), queryForm, Buffer.from(secret).toString('base64')]);
    for (const form of forms) if (!this.secrets.includes(form)) this.secrets.push(form);
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('***');
    return out;
  }

  /** A URL for display: secret values and sensitive query parameters replaced. */
  url(url: string | URL): string {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      return this.redact(String(url));
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (SENSITIVE_PARAM.test(key)) parsed.searchParams.set(key, '***');
    }
    if (parsed.password) parsed.password = '***';
    return this.redact(parsed.toString().replace(/%2A%2A%2A/g, '***'));
  }
}
