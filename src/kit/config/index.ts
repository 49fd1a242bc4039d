/** Settings: config files and environment, validation, built-in and capability settings. */
export * from './capabilities.js';
export * from './loaded.js';
export * from './run-config.js';
export * from './settings.js';
export * from './settings-validate.js';
