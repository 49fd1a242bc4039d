import { runTap } from '@singer-io-compatible/tap-kit';
import { tapRest } from './tap.js';
import { runOpenApiInit } from './openapi/cli.js';

if (process.argv[2] === 'init') await runOpenApiInit(process.argv.slice(3));
else await runTap(tapRest);
