import { readFileSync } from 'node:fs';

const KIT_PACKAGE = '@singer-io-compatible/tap-kit';

/** The kit package's version, from its package.json: beside the sources, one level above dist/. */
function readKitVersion(): string {
  for (const candidate of ['./package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === KIT_PACKAGE && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  throw new Error(`${KIT_PACKAGE}: package.json not found beside ${import.meta.url}`);
}

export const KIT_VERSION: string = readKitVersion();
