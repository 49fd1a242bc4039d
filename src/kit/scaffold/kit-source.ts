import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIT_VERSION } from '../version.js';

const KIT_PACKAGE = '@singer-io-compatible/tap-kit';
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** The kit package's own folder (beside both scaffold/*.ts and dist/scaffold/*.js), real path. */
function kitRoot(): string {
  for (const candidate of ['../', '../../']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === KIT_PACKAGE) return realpathSync(dir);
    } catch {
      // not this one
    }
  }
  throw new Error(`${KIT_PACKAGE}: package.json not found beside ${import.meta.url}`);
}

/** How the project that installed this copy got it, from its lockfile: `file:...` (tarball or folder) or a registry URL. */
function installedFrom(root: string): { project: string; resolved: string } | undefined {
  const at = root.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const project = root.slice(0, at);
  const key = path.relative(project, root).split(path.sep).join('/');
  for (const lock of [path.join(project, 'node_modules', '.package-lock.json'), path.join(project, 'package-lock.json')]) {
    if (!existsSync(lock)) continue;
    try {
      const resolved = (JSON.parse(readFileSync(lock, 'utf8')) as { packages?: Record<string, { resolved?: string }> }).packages?.[key]?.resolved;
      if (resolved) return { project, resolved };
    } catch {
      // an unreadable lockfile says nothing
    }
  }
  return undefined;
}

/**
 * The dependency `tap-kit new` writes on the kit: where this kit came from. Installed from the
 * registry: `^<version>`. Installed from a tarball or a folder: that tarball or folder (`file:`, an
 * absolute path). Run from a clone (the npm workspace) or an installed copy whose origin is unknown:
 * this kit's own folder. So the new tap's `npm install` works before the kit is published.
 */
export function kitSpec(): string {
  const root = kitRoot();
  const origin = installedFrom(root);
  if (origin) {
    if (/^https?:/.test(origin.resolved)) return `^${KIT_VERSION}`;
    if (origin.resolved.startsWith('file:')) return `file:${path.resolve(origin.project, origin.resolved.slice('file:'.length))}`;
  }
  return `file:${root}`;
}
