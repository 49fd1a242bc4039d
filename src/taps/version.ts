import { readFileSync } from 'node:fs';

/** The package version every tap reports (package.json is one level above src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
