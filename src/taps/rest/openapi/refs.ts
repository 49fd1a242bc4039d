import { isJsonObject, type JsonObject } from '@singer-io-compatible/tap-kit';

/**
 * `$ref` resolution within the document (`#/components/schemas/User`, JSON Pointer escapes), one step
 * at a time: the schema converter follows references itself, so it knows the chain it is in and cuts
 * a cycle where it closes. References to other files are not followed (the corpus has none: APIs.guru
 * bundles documents); they resolve to nothing and are counted.
 */
export class RefResolver {
  readonly external = new Set<string>();
  readonly broken = new Set<string>();

  constructor(private readonly doc: JsonObject) {}

  /** The node a `#/...` pointer names, or undefined. */
  pointer(ref: string): unknown {
    if (!ref.startsWith('#')) {
      this.external.add(ref);
      return undefined;
    }
    let node: unknown = this.doc;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const step = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) node = node[Number(step)];
      else if (isJsonObject(node) && Object.prototype.hasOwnProperty.call(node, step)) node = node[step];
      else {
        this.broken.add(ref);
        return undefined;
      }
    }
    return node;
  }

  /** A node with its `$ref` chain followed (parameters, responses, path items...), cycles stopped; the refs passed. */
  follow(node: unknown): { node: unknown; refs: string[] } {
    const refs: string[] = [];
    let current = node;
    while (isJsonObject(current) && typeof current.$ref === 'string') {
      if (refs.includes(current.$ref)) return { node: undefined, refs };
      refs.push(current.$ref);
      current = this.pointer(current.$ref);
    }
    return { node: current, refs };
  }

  /** A node with its `$ref` chain followed. */
  deref(node: unknown): unknown {
    return this.follow(node).node;
  }
}
