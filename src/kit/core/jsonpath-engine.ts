import { createRequire } from 'node:module';
import type { JSONPath } from 'jsonpath-plus';

/**
 * jsonpath-plus, loaded when a query path is first read: most taps read only plain paths, and
 * `--about` and `--discover` none. In a tap's bundle, scripts/bundle.mjs puts in place of this module
 * one whose `require` is the bundler's, which holds the package; here it comes from node_modules.
 */
export function loadJsonPath(): typeof JSONPath {
  return (createRequire(import.meta.url)('jsonpath-plus') as typeof import('jsonpath-plus')).JSONPath;
}
