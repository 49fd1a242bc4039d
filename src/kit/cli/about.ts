import type { JsonSchema } from '../core/json.js';
import type { Tap } from '../tap/tap.js';
import { KIT_VERSION } from '../version.js';
import { envName } from '../config/settings.js';
import { CAPABILITY_SETTINGS, SDK_CAPABILITIES } from '../config/capabilities.js';

/** The capabilities the kit really implements for every tap (and nothing else). */
export const CAPABILITIES = ['about', 'catalog', 'discover', 'state', 'properties', 'test', 'activate-version', ...SDK_CAPABILITIES] as const;

export interface AboutInfo {
  name: string;
  description: string;
  version: string;
  sdk: string;
  capabilities: string[];
  settings: JsonSchema;
  streams: Array<{ name: string; key_properties: string[]; replication_key: string | null; replication_method: string; parent: string | null; selected_by_default: boolean }>;
}

export { KIT_VERSION };

export function aboutInfo<S>(tap: Tap<S>): AboutInfo {
  return {
    name: tap.name,
    description: tap.description,
    version: tap.version,
    sdk: `singer-taps-ts kit ${KIT_VERSION}`,
    capabilities: [...CAPABILITIES],
    settings: tap.settingsSchema,
    streams: tap.shapes.map((s) => ({
      name: s.name,
      key_properties: s.primaryKey,
      replication_key: s.replicationKey ?? null,
      replication_method: s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
      parent: s.parent ?? null,
      selected_by_default: s.selectedByDefault !== false,
    })),
  };
}

function typeLabel(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.filter((x) => x !== 'null').join('|') : schema.type ?? 'any';
  return schema.format ? `${t} (${schema.format})` : t;
}

function defaultLabel(schema: JsonSchema): string {
  return schema.default === undefined ? '' : JSON.stringify(schema.default);
}

export function aboutMarkdown<S>(tap: Tap<S>): string {
  const info = aboutInfo(tap);
  const required = new Set(tap.settingsSchema.required ?? []);
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const header = ['| Setting | Type | Required | Default | Description |', '|---|---|---|---|---|'];
  const row = ([name, p]: [string, JsonSchema]) =>
    `| \`${name}\` | ${cell(typeLabel(p))}${p.secret ? ', secret' : ''} | ${required.has(name) ? 'yes' : 'no'} | ${cell(defaultLabel(p))} | ${cell(p.description ?? '')} |`;
  const settings = Object.entries(tap.settingsSchema.properties);
  const lines = [
    `# ${info.name}`, '', info.description, '', `Version ${info.version} (${info.sdk}).`, '',
    '## Capabilities', '', ...info.capabilities.map((c) => `- \`${c}\``), '',
    '## Settings', '',
    ...header,
    ...settings.filter(([name]) => !CAPABILITY_SETTINGS.has(name)).map(row),
    '',
    `Every setting can also come from the environment with \`--config=ENV\`: \`${envName(tap.name, 'setting_name')}\`.`,
    '',
    '### Stream maps, flattening and BATCH (the Meltano SDK\'s settings)', '',
    ...header,
    ...settings.filter(([name]) => CAPABILITY_SETTINGS.has(name)).map(row),
    '',
    'Structured logs: `LOG_FORMAT=json` (or `' + envName(tap.name, 'log_format') + '`) writes one JSON object per stderr line; Meltano turns it on for plugins with the `structured-logging` capability.',
    '',
    '## Streams', '',
    '| Stream | Key properties | Replication | Parent | Selected by default |',
    '|---|---|---|---|---|',
    ...info.streams.map((s) => `| \`${s.name}\` | ${s.key_properties.map((k) => `\`${k}\``).join(', ')} | ${s.replication_key ? `INCREMENTAL on \`${s.replication_key}\`` : 'FULL_TABLE'} | ${s.parent ? `\`${s.parent}\`` : ''} | ${s.selected_by_default ? 'yes' : 'no'} |`),
    '',
  ];
  return lines.join('\n');
}

export function aboutText<S>(tap: Tap<S>): string {
  const info = aboutInfo(tap);
  const required = new Set(tap.settingsSchema.required ?? []);
  const settings = Object.entries(tap.settingsSchema.properties);
  const line = ([name, p]: [string, JsonSchema]) =>
    `  ${name} (${typeLabel(p)}${required.has(name) ? ', required' : ''}${p.secret ? ', secret' : ''}${p.default !== undefined ? `, default ${defaultLabel(p)}` : ''}): ${p.description ?? ''}`;
  return [
    `${info.name} ${info.version} (${info.sdk})`,
    info.description,
    '',
    `Capabilities: ${info.capabilities.join(', ')}`,
    '',
    'Settings:',
    ...settings.filter(([name]) => !CAPABILITY_SETTINGS.has(name)).map(line),
    '',
    "Stream maps, flattening and BATCH (the Meltano SDK's settings):",
    ...settings.filter(([name]) => CAPABILITY_SETTINGS.has(name)).map(line),
    '',
    'Streams:',
    ...info.streams.map((s) => `  ${s.name} [${s.key_properties.join(', ')}] ${s.replication_key ? `INCREMENTAL on ${s.replication_key}` : 'FULL_TABLE'}${s.parent ? ` (child of ${s.parent})` : ''}${s.selected_by_default ? '' : ' (not selected by default)'}`),
    '',
  ].join('\n');
}
