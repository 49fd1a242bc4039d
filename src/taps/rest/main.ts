import { runTap } from '@singer-io-compatible/tap-kit';
import { tapRest } from './tap.js';

await runTap(tapRest);
