import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { kitSpec } from './kit-source.js';
import { AUTH_CHOICES, AUTH_NAMES, DEFAULT_AUTH, type AuthName } from './auth-choices.js';
import { DEFAULT_PAGING, PAGING_CHOICES, PAGING_NAMES, type PagingName } from './paging-choices.js';
import { DEFAULT_STREAM, checkApplies, streamKind } from './stream-kinds.js';
import { commonPlaceholders } from './common-scaffold.js';

/** What `tap-kit new` is asked for. */
export interface NewTapOptions {
  /** `tap-<source>`: lower case letters, digits and dashes. */
  name: string;
  /** Folder to create (default: `./<name>`); must not exist or be empty. */
  dir?: string;
  /** How the new tap depends on the kit (default: where this kit came from, kitSpec(); e.g. `^0.1.0`). */
  kitSpec?: string;
  description?: string;
  /** Stream kind: `rest` (default), `graphql` or `generic`. */
  stream?: string;
  /** How the API takes credentials (default `bearer`; `generic` refuses it: no API). */
  auth?: string;
  /** How its pages link (REST only, refused by the others; default `next-url`). */
  paging?: string;
}

const NAME = /^tap-[a-z0-9]+(-[a-z0-9]+)*$/;

/** The template folder shipped with the package (beside both scaffold/*.ts and dist/scaffold/*.js). */
function templateDir(): string {
  for (const candidate of ['./template/', '../../scaffold/template/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path.join(dir, 'common', 'package.json.tmpl'))) return dir;
  }
  throw new Error(`tap-kit: scaffold template folder not found beside ${import.meta.url}`);
}

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, base) : [path.relative(base, full)];
  });
}

/** Where a template file lands: `.tmpl` dropped, `gitignore` dotted, the launcher named after the tap. */
function target(relative: string, name: string): string {
  const plain = relative.replace(/\.tmpl$/, '');
  if (plain === 'gitignore') return '.gitignore';
  if (plain === path.join('bin', 'tap')) return path.join('bin', name);
  return plain;
}

/** `value` when it is one of `names`; else a UserError naming the flag and its values. */
export function oneOf<T extends string>(flag: string, value: string, names: readonly T[]): T {
  if ((names as readonly string[]).includes(value)) return value as T;
  throw new UserError(`--${flag} must be one of ${names.join(', ')}; got '${value}'`);
}

/**
 * A template's text with its placeholders filled. A placeholder alone on its line takes the
 * line's indentation for every line of its value, and an empty value removes the line.
 */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined);
  return text
    .replace(/^([ \t]*)(__[A-Z_]+__)[ \t]*\n/gm, (line, indent: string, key: string) => {
      const value = own(key);
      if (value === undefined) return line;
      return value === '' ? '' : `${value.split('\n').map((l) => (l ? indent + l : l)).join('\n')}\n`;
    })
    .replace(/__[A-Z_]+__/g, (key) => own(key) ?? key);
}

/** Creates a working tap folder from the template; returns the folder and the files written. */
export function newTap(options: NewTapOptions): { dir: string; files: string[] } {
  const { name } = options;
  if (!NAME.test(name)) throw new UserError(`tap name '${name}': use tap-<source>, lower case letters, digits and dashes (e.g. tap-acme)`);
  const kind = streamKind(options.stream ?? DEFAULT_STREAM);
  checkApplies(kind, options);
  const auth = AUTH_CHOICES[kind.authed === true ? oneOf<AuthName>('auth', options.auth ?? DEFAULT_AUTH, AUTH_NAMES) : 'none'];
  const paging = kind.paged === true ? PAGING_CHOICES[oneOf<PagingName>('paging', options.paging ?? DEFAULT_PAGING, PAGING_NAMES)] : undefined;
  const dir = path.resolve(options.dir ?? name);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError(`${dir} already exists and is not empty: choose another --dir`);
  const command = ['tap-kit new', name, `--stream ${kind.name}`, ...(kind.authed === true ? [`--auth ${auth.name}`] : []), ...(paging ? [`--paging ${paging.name}`] : [])].join(' ');
  const values: Record<string, string> = {
    ...commonPlaceholders(kind, auth, paging),
    ...kind.placeholders(auth, paging),
    __COMMAND__: command,
    __TAP_NAME__: name,
    __DESCRIPTION__: (options.description ?? `Singer tap for ${name.slice(4)}`).replace(/["'`\\]/g, ''),
    __KIT_SPEC__: options.kitSpec ?? kitSpec(),
  };
  const template = templateDir();
  // A later template folder's file replaces an earlier one's.
  const sources = new Map<string, string>();
  for (const folder of kind.templates) {
    for (const relative of files(path.join(template, folder))) sources.set(relative, path.join(template, folder, relative));
  }
  const written: string[] = [];
  for (const [relative, source] of sources) {
    const out = path.join(dir, target(relative, name));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, fill(readFileSync(source, 'utf8'), values));
    if (out.includes(`${path.sep}bin${path.sep}`)) chmodSync(out, 0o755);
    written.push(path.relative(dir, out));
  }
  return { dir, files: written.sort() };
}
