import { runTap } from '../../kit/index.js';
import tap from './tap.js';

await runTap(tap);
