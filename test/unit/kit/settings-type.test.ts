// Settings declared once: the schema is the source of the settings' TypeScript type.
import { describe, expect, it } from 'vitest';
import { settingsSchemaOf } from '../../../src/kit/config/settings-type.js';
import { settings } from './settings-fixture.js';


describe('settingsSchemaOf', () => {
  it('a declaration that is not an object schema is refused at definition time', () => {
    expect(settingsSchemaOf(settings, 'tap-x').properties.api_key?.secret).toBe(true);
    expect(() => settingsSchemaOf({ type: 'object' } as never, 'tap-x')).toThrow('tap-x: settings must be an object schema with properties');
  });
});
