// Settings declared once: the schema is the source of the settings' TypeScript type.
import { describe, expect, it } from 'vitest';
import { defineSettings, settingsSchemaOf } from '../../../src/kit/config/settings-type.js';

const settings = defineSettings({
  type: 'object',
  properties: {
    api_key: { type: 'string', secret: true },
    base_url: { type: 'string', format: 'uri', default: 'https://api.example.com' },
    page_size: { type: 'integer', minimum: 1, default: 100 },
    start_date: { type: 'string', format: 'date-time' },
    mode: { type: 'string', enum: ['fast', 'safe'] },
    projects: { type: 'array', items: { type: 'string' } },
  },
  required: ['api_key'],
});

describe('settingsSchemaOf', () => {
  it('a declaration that is not an object schema is refused at definition time', () => {
    expect(settingsSchemaOf(settings, 'tap-x').properties.api_key?.secret).toBe(true);
    expect(() => settingsSchemaOf({ type: 'object' } as never, 'tap-x')).toThrow('tap-x: settings must be an object schema with properties');
  });
});
