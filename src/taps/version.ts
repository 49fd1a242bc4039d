/** Our taps ship in the kit's package: they report its version. */
export { KIT_VERSION as VERSION } from '../kit/version.js';
