import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { kitSpec } from './kit-source.js';

/** What `tap-kit new` is asked for. */
export interface NewTapOptions {
  /** `tap-<source>`: lower case letters, digits and dashes. */
  name: string;
  /** Folder to create (default: `./<name>`); must not exist or be empty. */
  dir?: string;
  /** How the new tap depends on the kit (default: where this kit came from, kitSpec(); e.g. `^0.1.0`). */
  kitSpec?: string;
  description?: string;
}

const NAME = /^tap-[a-z0-9]+(-[a-z0-9]+)*$/;

/** The template folder shipped with the package (beside both scaffold/*.ts and dist/scaffold/*.js). */
function templateDir(): string {
  for (const candidate of ['./template/', '../../scaffold/template/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path.join(dir, 'package.json.tmpl'))) return dir;
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

/** Creates a working tap folder from the template; returns the folder and the files written. */
export function newTap(options: NewTapOptions): { dir: string; files: string[] } {
  const { name } = options;
  if (!NAME.test(name)) throw new UserError(`tap name '${name}': use tap-<source>, lower case letters, digits and dashes (e.g. tap-acme)`);
  const dir = path.resolve(options.dir ?? name);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError(`${dir} already exists and is not empty: choose another --dir`);
  const values: Record<string, string> = {
    __TAP_NAME__: name,
    __DESCRIPTION__: (options.description ?? `Singer tap for ${name.slice(4)}`).replace(/["\\]/g, ''),
    __KIT_SPEC__: options.kitSpec ?? kitSpec(),
  };
  const template = templateDir();
  const written: string[] = [];
  for (const relative of files(template)) {
    const text = readFileSync(path.join(template, relative), 'utf8').replace(/__[A-Z_]+__/g, (k) => values[k] ?? k);
    const out = path.join(dir, target(relative, name));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
    if (out.includes(`${path.sep}bin${path.sep}`)) chmodSync(out, 0o755);
    written.push(path.relative(dir, out));
  }
  return { dir, files: written.sort() };
}
