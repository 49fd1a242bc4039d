/** The tokens of a stream-map expression: numbers, strings, names, operators; Python's literal rules. */

/** A parse error: `column` is 1-based in the expression text. */
export class ExpressionSyntaxError extends Error {
  constructor(readonly reason: string, readonly column: number) {
    super(`${reason} at column ${column}`);
  }
}

export type TokKind = 'num' | 'str' | 'name' | 'op' | 'end';
export interface Token { kind: TokKind; text: string; value?: string | number | bigint; pos: number }

export const KEYWORDS_REJECTED: Record<string, string> = {
  lambda: 'lambda is not supported', import: 'imports are not allowed', from: 'imports are not allowed',
  def: 'definitions are not allowed', class: 'definitions are not allowed', yield: 'yield is not supported',
  await: 'await is not supported', async: 'async is not supported', del: 'del is not allowed', global: 'global is not allowed',
  nonlocal: 'nonlocal is not allowed', exec: 'exec is not allowed', eval: 'eval is not allowed', while: 'statements are not allowed',
  with: 'statements are not allowed', return: 'statements are not allowed', raise: 'statements are not allowed',
  try: 'statements are not allowed', assert: 'statements are not allowed', pass: 'statements are not allowed',
};
/** Allowed dunder names: the SDK's own variables (never attributes). */
export const DUNDER_NAMES = new Set(['__stream_name__', '__original_stream_name__']);
const OPS = ['**', '//', '==', '!=', '<=', '>=', ':=', '->', '<<', '>>', '+', '-', '*', '/', '%', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '|', '&', '^', '~', ';', '@'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') throw new ExpressionSyntaxError('comments are not supported', i + 1);
    const start = i;
    // String literals, with optional r/u prefixes (f-strings and bytes are not supported).
    const prefix = /^([rRuUbBfF]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (prefix) {
      const p = (prefix[1] as string).toLowerCase();
      if (p.includes('f')) throw new ExpressionSyntaxError('f-strings are not supported (use + and str())', i + 1);
      if (p.includes('b')) throw new ExpressionSyntaxError('bytes literals are not supported', i + 1);
      const raw = p.includes('r');
      i += p.length;
      const q = src[i] as string;
      const triple = src.startsWith(q.repeat(3), i);
      const close = triple ? q.repeat(3) : q;
      i += close.length;
      let value = '';
      for (;;) {
        if (i >= src.length) throw new ExpressionSyntaxError('unterminated string', start + 1);
        if (src.startsWith(close, i)) { i += close.length; break; }
        const ch = src[i] as string;
        if (ch === '\n' && !triple) throw new ExpressionSyntaxError('unterminated string', start + 1);
        if (ch === '\\' && !raw) {
          const n = src[i + 1] ?? '';
          if (n === 'x' || n === 'u' || n === 'U') {
            const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
            const hex = src.slice(i + 2, i + 2 + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new ExpressionSyntaxError(`bad \\${n} escape`, i + 1);
            value += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + len;
            continue;
          }
          if (Object.hasOwn(ESCAPES, n)) { value += ESCAPES[n]; i += 2; continue; }
          value += ch; // Python keeps unknown escapes as written
          i++;
          continue;
        }
        value += ch;
        i++;
      }
      // Adjacent literals concatenate, as in Python.
      const prev = out[out.length - 1];
      if (prev?.kind === 'str') prev.value = String(prev.value) + value;
      else out.push({ kind: 'str', text: src.slice(start, i), value, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?|\d[\d_]*\.)/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      if (/[a-zA-Z_]/.test(src[i + text.length] ?? '')) throw new ExpressionSyntaxError('invalid number literal', i + 1);
      const clean = text.replace(/_/g, '');
      const value = Number(clean); // decimal, float, 0x/0o/0b
      if (!Number.isFinite(value)) throw new ExpressionSyntaxError('invalid number literal', i + 1);
      // An integer literal beyond 2^53 is exact, as Python's ints are.
      const exact = !Number.isSafeInteger(value) && /^(0[xob][0-9a-f]+|\d+)$/i.test(clean);
      if (exact && clean.length > 4300) throw new ExpressionSyntaxError('integer literal with more than 4300 digits', i + 1);
      out.push({ kind: 'num', text, value: exact ? BigInt(clean) : value, pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'name', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}'`, i + 1);
    out.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'end', text: 'end of expression', pos: src.length });
  return out;
}
