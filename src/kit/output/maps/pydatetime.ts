import { asNumber, PyError, PyFunction, PyModule, typeName, type PyObject } from './pyvalue.js';

/**
 * The part of Python's `datetime` module stream maps use: `datetime.datetime.now()` / `utcnow()` /
 * `fromisoformat()` / `fromtimestamp()`, `datetime.date.today()` / `fromisoformat()`,
 * `datetime.timedelta(...)`, `datetime.timezone.utc`; `.isoformat()`, `.strftime()`, `.date()`,
 * `.timestamp()`, the fields (`.year`...), comparisons and `+`/`-` with timedeltas. A datetime
 * written into a record is its ISO 8601 text.
 */

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A callable with attributes (a Python class such as `datetime.datetime`). */
class PyClass extends PyFunction implements PyObject {
  readonly pyTypeName = 'type';
  constructor(name: string, call: PyFunction['call'], private readonly attrs: Record<string, unknown>) {
    super(name, call);
  }
  getAttr(name: string): unknown {
    if (!Object.hasOwn(this.attrs, name)) throw new PyError('AttributeError', `type object '${this.name}' has no attribute '${name}'`);
    return this.attrs[name];
  }
}

function method(name: string, f: (args: unknown[], kwargs: Record<string, unknown>) => unknown): PyFunction {
  return new PyFunction(name, f);
}

function offsetText(minutes: number, colon = true): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.abs(minutes) / 60)}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;
}

export class PyTimezone implements PyObject {
  readonly pyTypeName = 'timezone';
  constructor(readonly minutes: number) {}
  getAttr(name: string): unknown { throw new PyError('AttributeError', `'timezone' object has no attribute '${name}'`); }
  str(): string { return this.minutes === 0 ? 'UTC' : `UTC${offsetText(this.minutes)}`; }
}
const UTC = new PyTimezone(0);

export class PyTimedelta implements PyObject {
  readonly pyTypeName = 'timedelta';
  constructor(readonly ms: number) {}
  compareKey(): number { return this.ms; }
  truthy(): boolean { return this.ms !== 0; }
  getAttr(name: string): unknown {
    const days = Math.floor(this.ms / DAY);
    const rest = this.ms - days * DAY;
    switch (name) {
      case 'days': return days;
      case 'seconds': return Math.floor(rest / 1000);
      case 'microseconds': return Math.round((rest % 1000) * 1000);
      case 'total_seconds': return method(name, () => this.ms / 1000);
      default: throw new PyError('AttributeError', `'timedelta' object has no attribute '${name}'`);
    }
  }
  arith(op: string, other: unknown, reflected: boolean): unknown {
    if (other instanceof PyTimedelta) {
      if (op === '+') return new PyTimedelta(this.ms + other.ms);
      if (op === '-') return new PyTimedelta(reflected ? other.ms - this.ms : this.ms - other.ms);
      if (op === '/') return reflected ? other.ms / this.ms : this.ms / other.ms;
    }
    const n = asNumber(other);
    if (n !== undefined && op === '*') return new PyTimedelta(this.ms * n);
    if (n !== undefined && op === '/' && !reflected) return new PyTimedelta(this.ms / n);
    return undefined;
  }
  str(): string {
    const days = Math.floor(this.ms / DAY);
    const rest = this.ms - days * DAY;
    const s = Math.floor(rest / 1000);
    const us = Math.round((rest % 1000) * 1000);
    const hms = `${Math.floor(s / 3600)}:${pad((s % 3600) / 60)}:${pad(s % 60)}${us ? '.' + pad(us, 6) : ''}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${hms}` : hms;
  }
  toJSON(): number { return this.ms / 1000; }
}

/** A date (`wall` is midnight UTC of that day) or a datetime (`wall` is the wall-clock time as if UTC). */
export class PyDateTime implements PyObject {
  constructor(readonly wall: number, readonly offset: number | null, readonly dateOnly = false) {}
  get pyTypeName(): string { return this.dateOnly ? 'date' : 'datetime'; }
  /** Instants order by UTC time; naive values by wall-clock time. */
  compareKey(): number { return this.wall - (this.offset ?? 0) * 60_000; }

  private field(part: 'y' | 'mo' | 'd' | 'h' | 'mi' | 's' | 'ms' | 'wd'): number {
    const d = new Date(Math.floor(this.wall));
    switch (part) {
      case 'y': return d.getUTCFullYear();
      case 'mo': return d.getUTCMonth() + 1;
      case 'd': return d.getUTCDate();
      case 'h': return d.getUTCHours();
      case 'mi': return d.getUTCMinutes();
      case 's': return d.getUTCSeconds();
      case 'ms': return Math.round((this.wall - Math.floor(this.wall / 1000) * 1000) * 1000);
      case 'wd': return (d.getUTCDay() + 6) % 7;
    }
  }

  isoformat(sep = 'T'): string {
    const date = `${pad(this.field('y'), 4)}-${pad(this.field('mo'))}-${pad(this.field('d'))}`;
    if (this.dateOnly) return date;
    const us = this.field('ms');
    const time = `${pad(this.field('h'))}:${pad(this.field('mi'))}:${pad(this.field('s'))}${us ? '.' + pad(us, 6) : ''}`;
    return `${date}${sep}${time}${this.offset === null ? '' : offsetText(this.offset)}`;
  }

  strftime(fmt: string): string {
    return fmt.replace(/%([a-zA-Z%])/g, (_m, c: string) => {
      switch (c) {
        case 'Y': return pad(this.field('y'), 4);
        case 'y': return pad(this.field('y') % 100);
        case 'm': return pad(this.field('mo'));
        case 'd': return pad(this.field('d'));
        case 'H': return pad(this.field('h'));
        case 'I': return pad(this.field('h') % 12 || 12);
        case 'p': return this.field('h') < 12 ? 'AM' : 'PM';
        case 'M': return pad(this.field('mi'));
        case 'S': return pad(this.field('s'));
        case 'f': return pad(this.field('ms'), 6);
        case 'j': return pad(Math.floor((Math.floor(this.wall / DAY) * DAY - Date.UTC(this.field('y'), 0, 1)) / DAY) + 1, 3);
        case 'a': return (DAYS[this.field('wd')] as string).slice(0, 3);
        case 'A': return DAYS[this.field('wd')] as string;
        case 'b': return (MONTHS[this.field('mo') - 1] as string).slice(0, 3);
        case 'B': return MONTHS[this.field('mo') - 1] as string;
        case 'z': return this.offset === null ? '' : offsetText(this.offset, false);
        case 'Z': return this.offset === null ? '' : new PyTimezone(this.offset).str();
        case '%': return '%';
        default: throw new PyError('ValueError', `strftime format '%${c}' is not supported`);
      }
    });
  }

  getAttr(name: string): unknown {
    switch (name) {
      case 'year': return this.field('y');
      case 'month': return this.field('mo');
      case 'day': return this.field('d');
      case 'isoformat': return method(name, (a) => this.isoformat(typeof a[0] === 'string' ? a[0] : 'T'));
      case 'strftime': return method(name, (a) => {
        if (typeof a[0] !== 'string') throw new PyError('TypeError', 'strftime() argument must be str');
        return this.strftime(a[0]);
      });
      case 'weekday': return method(name, () => this.field('wd'));
      case 'isoweekday': return method(name, () => this.field('wd') + 1);
    }
    if (!this.dateOnly) {
      switch (name) {
        case 'hour': return this.field('h');
        case 'minute': return this.field('mi');
        case 'second': return this.field('s');
        case 'microsecond': return this.field('ms');
        case 'tzinfo': return this.offset === null ? null : new PyTimezone(this.offset);
        case 'date': return method(name, () => new PyDateTime(Math.floor(this.wall / DAY) * DAY, null, true));
        case 'timestamp': return method(name, () => (this.wall - (this.offset ?? -localOffset(this.wall)) * 60_000) / 1000);
        case 'replace': return method(name, (_a, kw) => {
          if ('tzinfo' in kw) return new PyDateTime(this.wall, kw.tzinfo instanceof PyTimezone ? kw.tzinfo.minutes : null);
          throw new PyError('TypeError', 'replace() supports only tzinfo=');
        });
        case 'astimezone': return method(name, (a) => {
          const tz = a[0] instanceof PyTimezone ? a[0].minutes : 0;
          return new PyDateTime(this.compareKey() + tz * 60_000, tz);
        });
      }
    }
    throw new PyError('AttributeError', `'${this.pyTypeName}' object has no attribute '${name}'`);
  }

  arith(op: string, other: unknown, reflected: boolean): unknown {
    if (other instanceof PyTimedelta) {
      if (op === '+') return new PyDateTime(this.wall + other.ms, this.offset, this.dateOnly);
      if (op === '-' && !reflected) return new PyDateTime(this.wall - other.ms, this.offset, this.dateOnly);
    }
    if (other instanceof PyDateTime && op === '-' && other.dateOnly === this.dateOnly) {
      const ms = this.compareKey() - other.compareKey();
      return new PyTimedelta(reflected ? -ms : ms);
    }
    return undefined;
  }

  str(): string { return this.isoformat(' '); }
  toJSON(): string { return this.isoformat(); }
}

/** Minutes east of UTC of the local zone at a moment. */
function localOffset(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d)(?::(\d\d)(?::(\d\d)(?:[.,](\d{1,6})\d*)?)?)?\s*(Z|[+-]\d\d:?\d\d)?)?$/;

function parseIso(text: unknown, dateOnly: boolean): PyDateTime {
  if (typeof text !== 'string') throw new PyError('TypeError', `fromisoformat: argument must be str, not ${typeName(text)}`);
  const m = ISO.exec(text.trim());
  if (!m || (dateOnly && m[4] !== undefined)) throw new PyError('ValueError', `Invalid isoformat string: '${text}'`);
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)) + (frac ? Number(frac.padEnd(6, '0')) / 1000 : 0);
  let offset: number | null = null;
  if (tz) offset = tz === 'Z' ? 0 : (tz.startsWith('-') ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(-2)));
  return new PyDateTime(wall, offset, dateOnly);
}

const num = (v: unknown, name: string): number => {
  const n = asNumber(v ?? 0);
  if (n === undefined) throw new PyError('TypeError', `${name} must be a number, not ${typeName(v)}`);
  return n;
};

function nowIn(tz: unknown): PyDateTime {
  const now = Date.now();
  if (tz instanceof PyTimezone) return new PyDateTime(now + tz.minutes * 60_000, tz.minutes);
  return new PyDateTime(now + localOffset(now) * 60_000, null);
}

const datetimeClass = new PyClass('datetime', (a, kw) => {
  const [y, mo, d, h, mi, s, us] = [0, 1, 2, 3, 4, 5, 6].map((i) => num(a[i] ?? (i < 3 ? undefined : 0), 'datetime()'));
  const tz = kw.tzinfo ?? a[7];
  return new PyDateTime(Date.UTC(y as number, (mo as number) - 1, d as number, h, mi, s) + (us as number) / 1000, tz instanceof PyTimezone ? tz.minutes : null);
}, {
  now: method('now', (a, kw) => nowIn(kw.tz ?? a[0])),
  utcnow: method('utcnow', () => new PyDateTime(Date.now(), null)),
  today: method('today', () => nowIn(undefined)),
  fromisoformat: method('fromisoformat', (a) => parseIso(a[0], false)),
  fromtimestamp: method('fromtimestamp', (a, kw) => {
    const ms = num(a[0], 'fromtimestamp()') * 1000;
    const tz = kw.tz ?? a[1];
    return tz instanceof PyTimezone ? new PyDateTime(ms + tz.minutes * 60_000, tz.minutes) : new PyDateTime(ms + localOffset(ms) * 60_000, null);
  }),
});

const dateClass = new PyClass('date', (a) => {
  const [y, mo, d] = [0, 1, 2].map((i) => num(a[i], 'date()'));
  return new PyDateTime(Date.UTC(y as number, (mo as number) - 1, d as number), null, true);
}, {
  today: method('today', () => new PyDateTime(Math.floor(nowIn(undefined).wall / DAY) * DAY, null, true)),
  fromisoformat: method('fromisoformat', (a) => parseIso(a[0], true)),
});

const timedeltaClass = new PyClass('timedelta', (a, kw) => {
  const [days, seconds, microseconds, milliseconds, minutes, hours, weeks] = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'].map((k, i) => num(kw[k] ?? a[i] ?? 0, `timedelta ${k}`)) as number[];
  return new PyTimedelta((days as number) * DAY + (seconds as number) * 1000 + (microseconds as number) / 1000 + (milliseconds as number) + (minutes as number) * 60_000 + (hours as number) * 3_600_000 + (weeks as number) * 7 * DAY);
}, {});

const timezoneClass = new PyClass('timezone', (a) => {
  if (!(a[0] instanceof PyTimedelta)) throw new PyError('TypeError', 'timezone() argument must be a timedelta');
  return new PyTimezone(Math.round(a[0].ms / 60_000));
}, { utc: UTC });

export const datetimeModule = new PyModule('datetime', { datetime: datetimeClass, date: dateClass, timedelta: timedeltaClass, timezone: timezoneClass, UTC });
