import { isJsonObject, type JsonObject } from '@singer-io-compatible/tap-kit';

/**
 * The base URL: the first server's URL with its variables at their defaults. A relative URL, or
 * none, is `{config.base_url}` (tap-rest's own `base_url` setting fills it).
 */
export function baseUrl(doc: JsonObject): { url: string; setting: boolean; why: string } {
  const server = Array.isArray(doc.servers) ? doc.servers.find(isJsonObject) : undefined;
  if (!server || typeof server.url !== 'string') return { url: '{config.base_url}', setting: true, why: 'the document names no server: set the base_url setting' };
  const vars = isJsonObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^{}]+)\}/g, (m, name: string) => {
    const v = vars[name];
    return isJsonObject(v) && (typeof v.default === 'string' || typeof v.default === 'number') ? String(v.default) : m;
  }).replace(/\/+$/, '');
  // A host with no scheme (a Swagger 2.0 document without `schemes`: "the scheme the document was
  // fetched by"): https, the comment saying so.
  if (/^\/\/[^/{}]+/.test(url) && !/\{[^{}]+\}/.test(url)) return { url: `https:${url}`, setting: false, why: `the document's first server '${server.url}', https assumed (it names no scheme)` };
  if (!/^https?:\/\//i.test(url) || /\{[^{}]+\}/.test(url)) return { url: '{config.base_url}', setting: true, why: `the document's server '${server.url}' is not an absolute URL: set the base_url setting` };
  return { url, setting: false, why: `the document's first server${Object.keys(vars).length ? ' (its variables at their defaults)' : ''}` };
}
