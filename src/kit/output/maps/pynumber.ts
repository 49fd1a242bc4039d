import { reserve } from './budget.js';
import { PyError } from './pyerror.js';

/**
 * Python's numbers in the map evaluator: an int is a JS number while it is a safe integer and an
 * exact `bigint` beyond (as the kit parses integers above 2^53 off the wire), so `id + 1`,
 * `str(id)`, `id == 12345678901234567891` and comparisons keep every digit; a float is a JS number.
 * Integer results are capped at 4,300 digits, the limit Python sets on converting an int to text.
 */
export type PyNumber = number | bigint;

export const MAX_INT_DIGITS = 4300;
const LIMIT = 10n ** BigInt(MAX_INT_DIGITS);
/** Bits of the largest integer allowed (log2 of 10^4300, rounded up). */
const MAX_BITS = Math.ceil(MAX_INT_DIGITS * Math.log2(10));
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function tooManyDigits(): PyError {
  return new PyError('ValueError', `integer with more than ${MAX_INT_DIGITS} digits (the limit Python sets on converting an int to text)`);
}

/** The numeric value of a number or bool (True is 1), else undefined. */
export function numeric(v: unknown): PyNumber | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

const integral = (v: PyNumber): boolean => typeof v === 'bigint' || Number.isInteger(v);

/** An exact integer as the evaluator holds it: a number when safe, else a bigint (at most 4,300 digits). */
export function pyInt(b: bigint): PyNumber {
  if (b <= MAX_SAFE && b >= -MAX_SAFE) return Number(b);
  if (b >= LIMIT || b <= -LIMIT) throw tooManyDigits();
  reserve(Math.ceil(bitLength(b) / 8));
  return b;
}

/** An integral JS number as an exact int (a float such as 1e20 holds an exact integer). */
export function intOf(n: number): PyNumber {
  return Number.isSafeInteger(n) ? n : pyInt(BigInt(n));
}

function bitLength(b: bigint): number {
  return (b < 0n ? -b : b).toString(16).length * 4;
}

function zeroDivision(op: string): PyError {
  return new PyError('ZeroDivisionError', op === '/' ? 'division by zero' : op === '%' ? 'integer modulo by zero' : 'integer division or modulo by zero');
}

/** `a op b` on two numbers, as Python computes it (exact for ints, floor division and modulo signs). */
export function arith(op: string, a: PyNumber, b: PyNumber): PyNumber {
  if (op === '/') {
    const d = Number(b);
    if (d === 0) throw zeroDivision(op);
    return Number(a) / d;
  }
  if (integral(a) && integral(b)) return intArith(op, a, b);
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '**': return x ** y;
    case '//': if (y === 0) throw new PyError('ZeroDivisionError', 'float floor division by zero'); return Math.floor(x / y);
    case '%': {
      if (y === 0) throw new PyError('ZeroDivisionError', 'float modulo');
      const r = x % y;
      return r !== 0 && r < 0 !== y < 0 ? r + y : r;
    }
  }
  throw new PyError('TypeError', `unsupported operator ${op}`);
}

function intArith(op: string, a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number' && op !== '**') {
    // Safe integers: JS computes + - * exactly while the result stays safe; // and % are exact.
    let r: number;
    switch (op) {
      case '+': r = a + b; break;
      case '-': r = a - b; break;
      case '*': r = a * b; break;
      case '//': if (b === 0) throw zeroDivision(op); return Math.floor(a / b);
      case '%': {
        if (b === 0) throw zeroDivision(op);
        const m = a % b;
        return m !== 0 && m < 0 !== b < 0 ? m + b : m;
      }
      default: throw new PyError('TypeError', `unsupported operator ${op}`);
    }
    if (Number.isSafeInteger(r)) return r;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case '+': return pyInt(x + y);
    case '-': return pyInt(x - y);
    case '*':
      if (bitLength(x) + bitLength(y) > MAX_BITS + 8) throw tooManyDigits();
      return pyInt(x * y);
    case '//': {
      if (y === 0n) throw zeroDivision(op);
      const q = x / y;
      return pyInt(x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q);
    }
    case '%': {
      if (y === 0n) throw zeroDivision(op);
      const m = x % y;
      return pyInt(m !== 0n && m < 0n !== y < 0n ? m + y : m);
    }
    case '**': {
      if (y < 0n) {
        if (x === 0n) throw new PyError('ZeroDivisionError', '0 cannot be raised to a negative power');
        return Number(x) ** Number(y);
      }
      const magnitude = x < 0n ? -x : x;
      // Checked before computing: 2 ** 10**9 would take minutes and gigabytes.
      if (magnitude > 1n && (y > BigInt(MAX_BITS) || (bitLength(magnitude) - 4) * Number(y) > MAX_BITS)) throw tooManyDigits();
      return pyInt(x ** y);
    }
  }
  throw new PyError('TypeError', `unsupported operator ${op}`);
}

/** Python's `==` on two numbers (exact across number and bigint). */
export function numEquals(a: PyNumber, b: PyNumber): boolean {
  // eslint-disable-next-line eqeqeq -- loose equality compares a number and a bigint by value
  return a == b;
}

/** Python's `<` on two numbers (exact across number and bigint). */
export function numLess(a: PyNumber, b: PyNumber): boolean {
  return a < b;
}

/** Parses the digits of `int(text, base)` exactly (a sign, an optional 0x/0o/0b prefix already checked). */
export function parseIntText(text: string, base: number): PyNumber {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/^0[xob]/i, '');
  if (digits.length > MAX_INT_DIGITS) throw tooManyDigits();
  let value: bigint;
  if (digits.length <= 15) value = BigInt(Number.parseInt(digits, base));
  else if (base === 10) value = BigInt(digits);
  else {
    value = 0n;
    const b = BigInt(base);
    for (const c of digits) value = value * b + BigInt(Number.parseInt(c, base));
  }
  return pyInt(negative ? -value : value);
}
