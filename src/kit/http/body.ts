import { parseJson } from '../core/jsontext.js';

/**
 * How a 2xx body is read, by its Content-Type: `json` (no type, any JSON type, and every type not
 * named below: today's behaviour), `xml` (`application/xml`, `text/xml`, `*​/*+xml`), `text` (other
 * `text/*` but HTML, which is an error page, not data), `binary` (PDF, images, archives, octet
 * streams: read as bytes).
 */
export type BodyKind = 'json' | 'xml' | 'text' | 'binary';

/** A body that cannot be read as its Content-Type says (the transport retries it like a reset). */
export class BodyError extends Error {
}

const BINARY = /^(image|audio|video|font)\/|^application\/(pdf|octet-stream|zip|gzip|x-gzip|x-tar|x-7z-compressed|x-bzip2?|x-zip-compressed|msword|vnd\.ms-|vnd\.openxmlformats|vnd\.oasis\.opendocument|protobuf|x-protobuf)|^application\/[\w.+-]*-stream$/;

/** The kind of a body from its Content-Type header (parameters such as `charset` ignored). */
export function bodyKind(contentType: string | undefined): BodyKind {
  if (!contentType) return 'json';
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type.includes('json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type.startsWith('text/')) return type === 'text/html' ? 'json' : 'text';
  if (BINARY.test(type)) return 'binary';
  return 'json';
}

/** What a binary body becomes: one record, its bytes base64-encoded (never decoded as text). */
export interface BinaryBody {
  value: string;
  content_type: string;
  size: number;
}

interface XmlParser { parse(text: string): unknown }
interface XmlModule {
  XMLParser: new (options: Record<string, unknown>) => XmlParser;
  XMLValidator: { validate(text: string): true | { err: { code: string; msg: string; line: number } } };
}
let xml: { parser: XmlParser; validate: XmlModule['XMLValidator']['validate'] } | undefined;

/**
 * Loads fast-xml-parser, the first time a body of this Content-Type is XML (start-up and JSON bodies
 * never pay for it); `decodeBody` reads XML only once this has resolved. An `import()` of the package
 * by name, so a bundle carries it as a chunk of its own (a runtime require would look for node_modules).
 */
export async function prepareBody(contentType: string | undefined): Promise<void> {
  if (bodyReady(contentType)) return;
  const mod = (await import('fast-xml-parser')) as unknown as XmlModule;
  xml ??= {
    // Element text stays a string (a schema turns it into numbers where it says so); attributes are
    // kept as `@name`; namespace prefixes dropped (`<ns:Item>` is `Item`).
    parser: new mod.XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, trimValues: true, textNodeName: '#text', processEntities: true, ignoreDeclaration: true, ignorePiTags: true }),
    validate: (text) => mod.XMLValidator.validate(text),
  };
}

/** Whether `decodeBody` can read a body of this Content-Type now (XML: once `prepareBody` has loaded the parser). */
export function bodyReady(contentType: string | undefined): boolean {
  return xml !== undefined || bodyKind(contentType) !== 'xml';
}

/**
 * A 2xx body as a value: JSON parsed (`''` is null); XML as objects (repeated elements as lists,
 * element text as strings); text as the string; binary as one `{value: base64, content_type, size}`.
 * `bytes` gives the raw body (asked for binary only). Throws `BodyError` for a body that is not what
 * its type says; a JSON nesting too deep throws a RangeError, as `JSON.parse` does.
 */
export function decodeBody(text: string, contentType: string | undefined, bytes: () => Buffer): unknown {
  const kind = bodyKind(contentType);
  if (kind === 'json') {
    if (text === '') return null;
    try {
      return parseJson(text);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      const looksJson = /^\s*[[{]/.test(text);
      throw new BodyError(looksJson ? `truncated response (${text.length} characters, not complete JSON)` : 'response is not JSON');
    }
  }
  if (kind === 'binary') {
    const raw = bytes();
    const body: BinaryBody = { value: raw.toString('base64'), content_type: (contentType as string).split(';', 1)[0]?.trim() ?? '', size: raw.length };
    return body;
  }
  if (kind === 'text') {
    // JSON sent as text/plain (common) is JSON; other text is one value.
    if (/^\s*[[{]/.test(text)) {
      try {
        return parseJson(text);
      } catch {
        // not JSON: the text itself
      }
    }
    return text;
  }
  if (text.trim() === '') return null;
  if (!xml) throw new Error('decodeBody: an XML body before prepareBody(contentType) loaded the XML parser');
  const { parser, validate } = xml;
  const valid = validate(text);
  if (valid !== true) throw new BodyError(`response is not well-formed XML (line ${valid.err.line}: ${valid.err.msg.slice(0, 120)})`);
  return parser.parse(text);
}
