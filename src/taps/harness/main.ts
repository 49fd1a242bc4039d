import { runTap } from '@singer-io-compatible/tap-kit';
import tap from './tap.js';

await runTap(tap);
