/** How deep a definition may nest: dlt definitions use about ten levels; the YAML parser recurses per level. */
export const MAX_NESTING = 256;

/** Where a text first nests deeper than `limit`, as a line and column (both from 1); undefined if it never does. */
export interface TooDeep {
  line: number;
  column: number;
}

/**
 * Measures a JSON or YAML text's nesting without parsing it: flow brackets (`[`, `{`) outside quoted
 * strings and comments, block indentation levels, and `- ` / `? ` indicators that open a level on
 * the same line. The YAML parser recurses once or more per level, and a stack that runs out inside
 * V8's regular-expression compiler ends the process (no RangeError to catch), so a text nested
 * beyond any real definition is refused before it is parsed.
 */
export function firstTooDeep(text: string, limit = MAX_NESTING): TooDeep | undefined {
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let quote: '"' | "'" | undefined;
  let atLineStart = true;
  // The last character on the line that was not a space: a quote opens a string only where a scalar starts (`it's` is plain text).
  let prev = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      atLineStart = true;
      prev = '';
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (atLineStart && flow === 0) {
      // Block context: the indentation of a line's first character, then its leading `- `/`? ` indicators.
      if (c === ' ' || c === '\t' || c === '\r') continue;
      atLineStart = false;
      if (c === '#') {
        i = skipToLineEnd(text, i);
        continue;
      }
      const indent = i - lineStart;
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      let j = i;
      while ((text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
        indents.push(indent + 1 + (j - i));
        j += 2;
        while (text[j] === ' ' || text[j] === '\t') j++;
      }
      if (indents.length > limit) return { line, column: i - lineStart + 1 };
      prev = j > i ? '-' : '';
      i = j - 1;
      continue;
    }
    atLineStart = false;
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const opensScalar = prev === '' || ':[{,-?'.includes(prev);
    prev = c as string;
    if ((c === '"' || c === "'") && opensScalar) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) i = skipToLineEnd(text, i);
    else if (c === '[' || c === '{') {
      flow++;
      if (flow + indents.length > limit) return { line, column: i - lineStart + 1 };
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return undefined;
}

function skipToLineEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end - 1;
}
