import { readFileSync } from 'node:fs';

/** The taps' version: the singer-taps-ts package's (its package.json is two levels above src/taps/ and dist/taps/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
