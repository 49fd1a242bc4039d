import { runTap } from '../../kit/index.js';
import { tapRest } from './tap.js';

await runTap(tapRest);
