// A settings declaration shared by the runtime and the type-level tests of defineSettings.
import { defineSettings } from '../../../src/kit/config/settings-type.js';

export const settings = defineSettings({
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
