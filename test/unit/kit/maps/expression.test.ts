import { describe, it, expect } from 'vitest';
import { MapExpression, ExpressionSyntaxError, PyError } from '../../../../src/kit/output/maps/expression.js';
import { parseJson } from '../../../../src/kit/core/jsontext.js';

const rec = { id: 7, email: 'Ann@Example.com', name: '  Ann Lee ', tags: ['a', 'b', 'c'], address: { city: 'Oslo', zip: '0150' }, score: 2.5, active: true, none: null };
function ev(src: string, vars: Record<string, unknown> = {}, record: Record<string, unknown> = rec): unknown {
  return new MapExpression(src).evaluateJson({ vars: { record, _: record, config: { salt: 's1' }, __stream_name__: 'users', ...vars }, record }, () => 'test');
}
function syntax(src: string): { reason: string; column: number } {
  try {
    new MapExpression(src);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { reason: error.reason, column: error.column };
    throw error;
  }
  throw new Error(`parsed: ${src}`);
}
function runtime(src: string): string {
  try {
    ev(src);
  } catch (error) {
    if (error instanceof PyError) return error.message;
    throw error;
  }
  throw new Error(`evaluated: ${src}`);
}

describe('map expressions: evaluation with Python semantics', () => {
  it('hashes like hashlib (md5/sha256 of UTF-8 text)', () => {
    expect(ev('md5(email)')).toBe(ev("md5('Ann@Example.com')"));
    expect(ev("md5('hello')")).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(ev("sha256('hello')")).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(ev("sha256(config['salt'] + email.lower())")).toBe(ev("sha256('s1ann@example.com')"));
  });
  it('names: record properties, record, _, self-less, config, __stream_name__; properties shadow builtins', () => {
    expect(ev('id + 1')).toBe(8);
    expect(ev("record['email']")).toBe('Ann@Example.com');
    expect(ev("_['id'] * 2")).toBe(14);
    expect(ev('record.address.city')).toBe('Oslo');
    expect(ev("config.get('salt')")).toBe('s1');
    expect(ev('__stream_name__')).toBe('users');
    expect(ev('len', {}, { len: 'shadow' })).toBe('shadow');
    expect(ev('self', { self: 42 })).toBe(42);
  });
  it('arithmetic, division and modulo as in Python', () => {
    expect(ev('7 / 2')).toBe(3.5);
    expect(ev('7 // 2')).toBe(3);
    expect(ev('-7 // 2')).toBe(-4);
    expect(ev('-7 % 3')).toBe(2);
    expect(ev('2 ** 10')).toBe(1024);
    expect(ev('-2 ** 2')).toBe(-4);
    expect(ev("'ab' * 3")).toBe('ababab');
    expect(ev('[1] + [2, 3]')).toEqual([1, 2, 3]);
    expect(ev('True + 1')).toBe(2);
  });
  it('comparisons (chained), in, is, and/or returning operands, not, conditionals', () => {
    expect(ev('1 < id <= 7')).toBe(true);
    expect(ev('1 < id < 7')).toBe(false);
    expect(ev("'a' in tags and 'z' not in tags")).toBe(true);
    expect(ev("'Example' in email")).toBe(true);
    expect(ev("'city' in address")).toBe(true);
    expect(ev('none is None')).toBe(true);
    expect(ev('id is not None')).toBe(true);
    expect(ev("none or 'default'")).toBe('default');
    expect(ev('email and id')).toBe(7);
    expect(ev('not tags')).toBe(false);
    expect(ev("'big' if score > 2 else 'small'")).toBe('big');
    expect(ev('[1, 2] == [1, 2.0]')).toBe(true);
    expect(ev("'b' < 'a'")).toBe(false);
  });
  it('strings: methods, slicing, indexing', () => {
    expect(ev('email.lower()')).toBe('ann@example.com');
    expect(ev('name.strip().upper()')).toBe('ANN LEE');
    expect(ev("email.split('@')[1]")).toBe('Example.com');
    expect(ev("email.split('@')[-1].lower()")).toBe('example.com');
    expect(ev("email.replace('Ann', 'X')")).toBe('X@Example.com');
    expect(ev("'-'.join(tags)")).toBe('a-b-c');
    expect(ev('email[:3]')).toBe('Ann');
    expect(ev('email[::-1][:3]')).toBe('moc');
    expect(ev("email.startswith(('x', 'Ann'))")).toBe(true);
    expect(ev("name.strip().title()")).toBe('Ann Lee');
    expect(ev("'{}'.join([])")).toBe('');
  });
  it('conversions and builtins', () => {
    expect(ev("int('42')")).toBe(42);
    expect(ev('int(3.9)')).toBe(3);
    expect(ev("float('2.5')")).toBe(2.5);
    expect(ev('str(id)')).toBe('7');
    expect(ev('str(None)')).toBe('None');
    expect(ev('str(active)')).toBe('True');
    expect(ev('str(tags)')).toBe("['a', 'b', 'c']");
    expect(ev("bool('')")).toBe(false);
    expect(ev('len(tags) + len(email) + len(address)')).toBe(3 + 15 + 2);
    expect(ev('round(2.5)')).toBe(2);
    expect(ev('round(3.5)')).toBe(4);
    expect(ev('round(2.675, 1)')).toBe(2.7);
    expect(ev('min(3, 1, 2)')).toBe(1);
    expect(ev('max(tags)')).toBe('c');
    expect(ev('abs(-3)')).toBe(3);
  });
  it('collections: literals, dict get, comprehensions', () => {
    expect(ev("{'a': id, 'b': [1, (2, 3)]}")).toEqual({ a: 7, b: [1, [2, 3]] });
    expect(ev("address.get('zip')")).toBe('0150');
    expect(ev("address.get('nope', 'x')")).toBe('x');
    expect(ev("record.get('missing')")).toBe(null);
    expect(ev('[t.upper() for t in tags if t != "b"]')).toEqual(['A', 'C']);
    expect(ev('[k + v for k, v in address.items()]')).toEqual(['cityOslo', 'zip0150']);
    expect(ev('[x * y for x in [1, 2] for y in [10, 100]]')).toEqual([10, 100, 20, 200]);
    expect(ev('max(len(t) for t in tags)')).toBe(1);
  });
  it('json and datetime modules', () => {
    expect(ev('json.dumps(address)')).toBe('{"city": "Oslo", "zip": "0150"}');
    expect(ev("json.dumps({'b': 1, 'a': 'é'}, sort_keys=True)")).toBe('{"a": "\\u00e9", "b": 1}');
    expect(ev('json.loads(\'{"x": [1, 2]}\')["x"][1]')).toBe(2);
    expect(ev("datetime.datetime.fromisoformat('2024-03-01T10:20:30+02:00').isoformat()")).toBe('2024-03-01T10:20:30+02:00');
    expect(ev("datetime.datetime.fromisoformat('2024-03-01T10:20:30Z').strftime('%Y/%m/%d %H:%M')")).toBe('2024/03/01 10:20');
    expect(ev("(datetime.datetime.fromisoformat('2024-03-01T00:00:00') + datetime.timedelta(days=1, hours=2)).isoformat()")).toBe('2024-03-02T02:00:00');
    expect(ev("datetime.datetime.fromisoformat('2024-03-01T10:00:00Z').date()")).toBe('2024-03-01');
    expect(ev("datetime.date.fromisoformat('2024-03-01').year")).toBe(2024);
    expect(ev("(datetime.datetime.fromisoformat('2024-03-02T00:00:00Z') - datetime.datetime.fromisoformat('2024-03-01T12:00:00Z')).total_seconds()")).toBe(43200);
    expect(ev("datetime.datetime.fromisoformat('2024-03-01T10:00:00+02:00') < datetime.datetime.fromisoformat('2024-03-01T09:00:00Z')")).toBe(true);
    expect(typeof ev('datetime.datetime.now().isoformat()')).toBe('string');
  });
});

describe('map expressions: integers beyond 2^53 are exact, as Python ints', () => {
  const big = parseJson('{"id": 12345678901234567891, "small": 3, "nested": {"n": 98765432109876543210}, "l": [12345678901234567893]}') as Record<string, unknown>;
  const evb = (src: string) => ev(src, {}, big);
  it('str, repr, json.dumps and int() keep every digit', () => {
    expect(evb('str(id)')).toBe('12345678901234567891');
    expect(evb('str(l)')).toBe('[12345678901234567893]');
    expect(evb('json.dumps(nested)')).toBe('{"n": 98765432109876543210}');
    expect(evb('int(str(id))')).toBe(12345678901234567891n);
    expect(evb("int('-98765432109876543210')")).toBe(-98765432109876543210n);
    expect(evb("int('ffffffffffffffffff', 16)")).toBe(0xffffffffffffffffffn);
    expect(evb("json.loads('{\"a\": 12345678901234567891}')['a']")).toBe(12345678901234567891n);
  });
  it('arithmetic and comparisons are exact; results back in range are plain numbers', () => {
    expect(evb('id + 1')).toBe(12345678901234567892n);
    expect(evb('id - id + small')).toBe(3);
    expect(evb('id * 2')).toBe(24691357802469135782n);
    expect(evb('id // 1000')).toBe(12345678901234567n);
    expect(evb('-id // 1000')).toBe(-12345678901234568n);
    expect(evb('id % 1000')).toBe(891);
    expect(evb('2 ** 64')).toBe(18446744073709551616n);
    expect(evb('9007199254740993 - 1')).toBe(9007199254740992n);
    expect(evb('id == 12345678901234567891')).toBe(true);
    expect(evb('id == 12345678901234567890')).toBe(false);
    expect(evb('id > 12345678901234567890 > small')).toBe(true);
    expect(evb('max(l[0], id)')).toBe(12345678901234567893n);
    expect(evb('abs(-id)')).toBe(12345678901234567891n);
    expect(evb('id / 2')).toBe(6172839450617284000);
    expect(evb("{'k': id}")).toEqual({ k: 12345678901234567891n });
    expect(evb('bool(id) and id in l + [id]')).toBe(true);
  });
  it("a result beyond Python's 4,300-digit limit is a ValueError, computed or not", () => {
    expect(() => evb('10 ** 4300')).toThrow("ValueError: integer with more than 4300 digits (the limit Python sets on converting an int to text)");
    expect(() => evb('2 ** 10 ** 9')).toThrow(/more than 4300 digits/);
    expect(() => evb("int('1' * 5000)")).toThrow(/more than 4300 digits/);
  });
});

describe('map expressions: a sandbox, nothing of JavaScript reachable', () => {
  it('attributes are Python methods only: JS ones are AttributeErrors', () => {
    expect(runtime('name.valueOf()')).toBe("AttributeError: 'str' object has no attribute 'valueOf'");
    expect(runtime("record.hasOwnProperty('id')")).toBe("AttributeError: 'dict' object has no attribute 'hasOwnProperty' (nor a key of that name)");
    expect(runtime('record.constructor')).toBe("AttributeError: 'dict' object has no attribute 'constructor' (nor a key of that name)");
    expect(runtime('tags.push')).toBe("AttributeError: 'list' object has no attribute 'push'");
    expect(runtime('datetime.datetime.constructor')).toBe("AttributeError: type object 'datetime' has no attribute 'constructor'");
    expect(runtime('json.toString')).toBe("AttributeError: module 'json' has no attribute 'toString'");
    expect(runtime('md5.call')).toBe("AttributeError: 'builtin_function_or_method' object has no attribute 'call'");
  });
  it('a field named like a JS property is the field', () => {
    const r = JSON.parse('{"constructor": "c", "toString": 5, "__proto__": {"x": 1}, "arith": 1}') as Record<string, unknown>;
    expect(ev('record.constructor', {}, r)).toBe('c');
    expect(ev('constructor', {}, r)).toBe('c');
    expect(ev("record['toString'] + 1", {}, r)).toBe(6);
    expect(ev("record['__proto__']['x']", {}, r)).toBe(1);
    expect(ev("record.get('__proto__')", {}, r)).toEqual({ x: 1 });
    // a dict with an 'arith' key is data, not a host object
    expect(runtime('record + 1')).toBe("TypeError: unsupported operand type(s) for +: 'dict' and 'int'");
    expect(() => ev('record + 1', {}, r)).toThrow("TypeError: unsupported operand type(s) for +: 'dict' and 'int'");
  });
  it("a dict literal keeps '__proto__' as a key", () => {
    const d = ev("{'__proto__': {'a': 1}, 'b': 2}") as Record<string, unknown>;
    expect(JSON.stringify(d)).toBe('{"__proto__":{"a":1},"b":2}');
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
  });
  it('keyword arguments cannot name JS internals', () => {
    expect(syntax("datetime.datetime.now(__proto__={'tz': 1})")).toEqual({ reason: "keyword argument '__proto__' is not allowed", column: 23 });
  });
  it('nesting is limited when parsing: one syntax error, never a stack overflow', () => {
    expect(syntax('('.repeat(3000) + '1' + ')'.repeat(3000))).toEqual({ reason: 'nested too deeply (more than 100 levels of parentheses, brackets or operators)', column: 101 });
    expect(syntax('1' + ' + 1'.repeat(3000)).reason).toBe('too many operations chained (more than 1000)');
    expect(ev('('.repeat(99) + '1' + ')'.repeat(99))).toBe(1);
  });
  it('steps and bytes are budgeted per evaluation: one clear error each', () => {
    expect(runtime("[a + b + c for a in name * 1000 for b in name * 1000 for c in name * 1000]")).toBe('the expressions take more than 1,000,000 steps for one record (the limit of map expressions)');
    expect(runtime("'a' * 10**9")).toBe('the expressions build more than 64 MB of values for one record (the limit of map expressions)');
    expect(runtime("[0] * 10**9")).toMatch(/more than 64 MB/);
    expect(runtime("'x'.zfill(10**9)")).toMatch(/more than 64 MB/);
    expect(runtime("json.dumps(record, indent=10**9)")).toMatch(/more than 64 MB/);
    expect(runtime("'-'.join(['x' * 10**6] * 100)")).toMatch(/more than 64 MB/);
    expect(runtime("json.loads('[' * 100000 + ']' * 100000)")).toMatch(/^JSONDecodeError: nested (too deeply|more than 200 levels deep)/);
  });
});

describe('map expressions: runtime errors are Python exceptions with Python messages', () => {
  it('names, types, keys, indexes', () => {
    expect(runtime('nope + 1')).toBe("NameError: name 'nope' is not defined");
    expect(runtime("id + 'x'")).toBe("TypeError: unsupported operand type(s) for +: 'int' and 'str'");
    expect(runtime("record['nope']")).toBe("KeyError: 'nope'");
    expect(runtime('tags[5]')).toBe('IndexError: list index out of range');
    expect(runtime('none.lower()')).toBe("AttributeError: 'NoneType' object has no attribute 'lower'");
    expect(runtime('md5(none)')).toMatch(/^TypeError: md5\(\) needs a string, got NoneType/);
    expect(runtime('1 / 0')).toBe('ZeroDivisionError: division by zero');
    expect(runtime("int('x1')")).toBe("ValueError: invalid literal for int() with base 10: 'x1'");
    expect(runtime('id()')).toBe("TypeError: 'int' object is not callable");
    expect(runtime("'%s' % id")).toMatch(/string formatting is not supported/);
    expect(runtime('tags < 3')).toBe("TypeError: '<' not supported between instances of 'list' and 'int'");
  });
});

describe('map expressions: what is rejected at parse time (one reason, one column)', () => {
  it.each([
    ['md5(email', "expected ')' but found the end of the expression", 10],
    ['email = 1', "assignment is not allowed (use '==' to compare)", 7],
    ['(x := 1)', 'assignment is not allowed', 4],
    ['lambda x: x', 'lambda is not supported', 1],
    ['import os', 'imports are not allowed', 1],
    ['__import__("os")', "name '__import__' is not allowed", 1],
    ['record.__class__', "access to attribute '__class__' is not allowed", 8],
    ["''.__class__.__mro__", "access to attribute '__class__' is not allowed", 4],
    ['email._secret', "access to attribute '_secret' is not allowed", 7],
    ["f'{email}'", 'f-strings are not supported (use + and str())', 1],
    ['id | 1', 'bitwise operators are not supported', 4],
    ['~id', 'bitwise operators are not supported', 1],
    ['a; b', 'only one expression is allowed', 2],
    ["'unterminated", 'unterminated string', 1],
    ['', 'empty expression', 1],
    ['{1, 2}', 'sets are not supported', 3],
    ['{k: v for k, v in x}', 'dict comprehensions are not supported', 7],
    ['f(*args)', 'argument unpacking is not supported', 3],
    ['id $ 2', "unexpected character '$'", 4],
    ['1 +', 'unexpected end of expression', 4],
    ['x if y', "expected 'else' but found the end of the expression", 7],
    ['# comment', 'comments are not supported', 1],
    ['yield 1', 'yield is not supported', 1],
  ])('%s', (src, reason, column) => {
    expect(syntax(src)).toEqual({ reason, column });
  });
  it('accepts the SDK documentation examples', () => {
    for (const src of [
      "md5(config['hash_seed'] + email)", "email.split('@')[-1]", "int(id) > 100", "fake.email()", "None",
      "record['customer_id'].lower()", "_['customer_id'].lower()", "customer_id.lower()", "__stream_name__ + '_v2'",
      "json.dumps(record)", "datetime.datetime.now()", "str(x) if x is not None else None", "'''triple''' \"adjacent\"",
      "[x for x in range_] if range_ else []", "0x1F + 1_000 + 1.5e3",
    ]) expect(() => new MapExpression(src), src).not.toThrow();
  });
});
