/** Stream maps with the Meltano SDK's meaning: a Python-expression subset, compiled, with budgets. */
export * from './mapper.js';
export * from './tap-maps.js';
