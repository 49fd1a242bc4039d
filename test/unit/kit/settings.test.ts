import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { envName, builtinSettings, secretSettings, type SettingsSchema } from '../../../src/kit/config/settings.js';
import { loadConfig } from '../../../src/kit/config/loaded.js';
import { UserError } from '../../../src/kit/core/errors.js';
import { validateSettings } from '../../../src/kit/config/settings-validate.js';
import { userError } from './support.js';

const TAP = 'tap-test';
const schema: SettingsSchema = {
  type: 'object',
  properties: {
    api_token: { type: 'string', secret: true, description: 'token' },
    start_date: { type: 'string', format: 'date-time' },
    page_size: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    include_archived: { type: 'boolean', default: false },
    projects: { type: 'array', items: { type: 'string' } },
    filters: { type: 'object' },
    ratio: { type: 'number' },
    base_url: { type: 'string', default: 'https://api.test' },
  },
  required: ['api_token', 'start_date'],
};

const dir = mkdtempSync(join(tmpdir(), 'kit-settings-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}


describe('envName', () => {
  it('is <TAP>_<SETTING> in upper snake case', () => {
    expect(envName(TAP, 'api_token')).toBe('TAP_TEST_API_TOKEN');
    expect(envName('tap-better.stack', 'start-date')).toBe('TAP_BETTER_STACK_START_DATE');
  });
});

describe('loadConfig', () => {
  it('merges several files, later wins', () => {
    const a = file('a.json', JSON.stringify({ api_token: 'a', page_size: 10, projects: ['x'] }));
    const b = file('b.json', JSON.stringify({ page_size: 20, include_archived: true }));
    expect(loadConfig([a, b], { tapName: TAP, schema, env: {} })).toEqual({ api_token: 'a', page_size: 20, projects: ['x'], include_archived: true });
    expect(loadConfig([b, a], { tapName: TAP, schema, env: {} }).page_size).toBe(10);
    expect(loadConfig([], { tapName: TAP, schema, env: {} })).toEqual({});
  });

  it('ENV reads typed values from <TAP>_<SETTING> variables', () => {
    const env = {
      TAP_TEST_API_TOKEN: 'tok',
      TAP_TEST_PAGE_SIZE: '50',
      TAP_TEST_INCLUDE_ARCHIVED: 'TRUE',
      TAP_TEST_PROJECTS: '["a","b"]',
      TAP_TEST_FILTERS: '{"status":"open"}',
      TAP_TEST_RATIO: '0.25',
      OTHER_TAP_PAGE_SIZE: '7',
    };
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env })).toEqual({
      api_token: 'tok', page_size: 50, include_archived: true, projects: ['a', 'b'], filters: { status: 'open' }, ratio: 0.25,
    });
  });

  it('ENV: booleans 0/1/false, comma-separated arrays, values that do not parse stay strings', () => {
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_INCLUDE_ARCHIVED: '0' } }).include_archived).toBe(false);
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_INCLUDE_ARCHIVED: '1' } }).include_archived).toBe(true);
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_INCLUDE_ARCHIVED: 'false' } }).include_archived).toBe(false);
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_INCLUDE_ARCHIVED: 'yes' } }).include_archived).toBe('yes');
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_PROJECTS: 'a, b ,c' } }).projects).toEqual(['a', 'b', 'c']);
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_PAGE_SIZE: 'abc' } }).page_size).toBe('abc');
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_PAGE_SIZE: '' } }).page_size).toBe('');
    // a string setting is never converted
    expect(loadConfig(['ENV'], { tapName: TAP, schema, env: { TAP_TEST_API_TOKEN: '12345' } }).api_token).toBe('12345');
  });

  it('ENV and files merge in command-line order', () => {
    const f = file('f.json', JSON.stringify({ page_size: 10, api_token: 'file' }));
    const env = { TAP_TEST_PAGE_SIZE: '99' };
    expect(loadConfig([f, 'ENV'], { tapName: TAP, schema, env })).toEqual({ page_size: 99, api_token: 'file' });
    expect(loadConfig(['ENV', f], { tapName: TAP, schema, env })).toEqual({ page_size: 10, api_token: 'file' });
  });

  it('an unreadable file is a UserError naming it', () => {
    const missing = join(dir, 'missing.json');
    const e = userError(() => loadConfig([missing], { tapName: TAP, schema, env: {} }));
    expect(e.message).toBe(`--config ${missing}: not found`);
    const e2 = userError(() => loadConfig([dir], { tapName: TAP, schema, env: {} }));
    expect(e2.message).toContain(`--config ${dir}: is a folder`);
  });

  it('invalid JSON is a UserError naming the file', () => {
    const p = file('bad.json', '{"api_token": "x",}');
    const e = userError(() => loadConfig([p], { tapName: TAP, schema, env: {} }));
    expect(e.message).toMatch(new RegExp(`^--config ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    expect(e.message).not.toContain('\n');
  });

  it('a file that is not a JSON object is a UserError naming the file', () => {
    for (const [name, text] of [['arr.json', '[1,2]'], ['null.json', 'null'], ['str.json', '"x"'], ['num.json', '3']]) {
      const p = file(name, text);
      const e = userError(() => loadConfig([p], { tapName: TAP, schema, env: {} }));
      expect(e.message).toBe(`--config ${p}: the config must be a JSON object of settings`);
    }
  });
});

describe('validateSettings', () => {
  const good = { api_token: 'tok', start_date: '2024-01-01T00:00:00Z' };

  it('fills defaults and does not modify the input', () => {
    const input = { ...good };
    const { settings, unknown } = validateSettings(input, { schema, tapName: TAP, requireAll: true });
    expect(settings).toEqual({ ...good, page_size: 100, include_archived: false, base_url: 'https://api.test' });
    expect(unknown).toEqual([]);
    expect(input).toEqual(good);
  });

  it('keeps given values over defaults', () => {
    const { settings } = validateSettings({ ...good, page_size: 7, include_archived: true }, { schema, tapName: TAP, requireAll: true });
    expect(settings.page_size).toBe(7);
    expect(settings.include_archived).toBe(true);
  });

  it('null and empty-string values count as unset (defaults apply, required is reported)', () => {
    const { settings } = validateSettings({ ...good, page_size: null, base_url: '' }, { schema, tapName: TAP, requireAll: true });
    expect(settings.page_size).toBe(100);
    expect(settings.base_url).toBe('https://api.test');
    const e = userError(() => validateSettings({ ...good, api_token: '' }, { schema, tapName: TAP, requireAll: true }));
    expect(e.message).toContain("'api_token' is required");
  });

  it('reports every bad setting on its own line naming it', () => {
    const e = userError(() => validateSettings({ start_date: 'yesterday', page_size: 0, include_archived: 'yes', projects: 'a' }, { schema, tapName: TAP, requireAll: true }));
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(5);
    const find = (name: string) => lines.filter((l) => l.includes(`'${name}'`));
    expect(find('api_token')).toHaveLength(1);
    expect(find('api_token')[0]).toMatch(/^config: setting 'api_token' is required \(set it in a --config file or as TAP_TEST_API_TOKEN with --config=ENV\)$/);
    expect(find('start_date')[0]).toMatch(/^config: setting 'start_date' must match format "date-time" \(got "yesterday"\)$/);
    expect(find('page_size')[0]).toMatch(/^config: setting 'page_size' must be >= 1 \(got 0\)$/);
    expect(find('include_archived')[0]).toMatch(/^config: setting 'include_archived' must be boolean \(got "yes"\)$/);
    expect(find('projects')[0]).toMatch(/^config: setting 'projects' must be array/);
  });

  it('two missing required settings are two lines with their env var names', () => {
    const e = userError(() => validateSettings({}, { schema, tapName: TAP, requireAll: true }));
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('TAP_TEST_API_TOKEN');
    expect(lines[1]).toContain('TAP_TEST_START_DATE');
  });

  it('requireAll: false tolerates missing required settings but still checks the rest', () => {
    const { settings } = validateSettings({}, { schema, tapName: TAP, requireAll: false });
    expect(settings.page_size).toBe(100);
    const e = userError(() => validateSettings({ page_size: 'many' }, { schema, tapName: TAP, requireAll: false }));
    expect(e.message).toBe('config: setting \'page_size\' must be integer (got "many")');
  });

  it('lists unknown settings', () => {
    const { unknown, settings } = validateSettings({ ...good, api_tokn: 'typo', extra: 1 }, { schema, tapName: TAP, requireAll: true });
    expect(unknown).toEqual(['api_tokn', 'extra']);
    expect(settings.api_token).toBe('tok');
  });
});

describe('builtinSettings and secretSettings', () => {
  it('built-ins have defaults; secrets are the settings marked secret', () => {
    const b = builtinSettings(TAP, '1.2.3');
    expect(b.user_agent!.default).toBe('tap-test/1.2.3');
    expect(b.max_retries!.default).toBe(5);
    expect(b.request_timeout!.default).toBe(300);
    expect(b.emit_activate_version_messages!.default).toBe(false);
    expect(secretSettings(schema)).toEqual(['api_token']);
  });
});

describe('validateSettings: review regressions', () => {
  const schema: SettingsSchema = {
    type: 'object',
    properties: { api_key: { type: 'string', secret: true }, start_date: { type: 'string', format: 'date-time' } },
    required: ['api_key'],
  };
  it('never echoes the value of a secret setting of the wrong type', () => {
    const error = userError(() => validateSettings({ api_key: 98765432123 }, { schema, tapName: 'tap-x', requireAll: true }));
    expect(error.message).toContain("'api_key'");
    expect(error.message).not.toContain('98765432123');
  });
  it('takes a date-only start_date as midnight UTC', () => {
    expect(validateSettings({ api_key: 'k', start_date: '2025-12-01' }, { schema, tapName: 'tap-x', requireAll: true }).settings.start_date).toBe('2025-12-01T00:00:00Z');
  });
});
