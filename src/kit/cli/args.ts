import yargs from 'yargs';
import { UserError, errorMessage } from '../core/errors.js';
import { terminalWidth, wrapText } from '../core/text.js';
import { HELP_EPILOGUE, helpText } from './help-text.js';

export interface CliArgs {
  config: string[];
  discover: boolean;
  catalog?: string;
  properties?: string;
  state?: string;
  about: boolean;
  format: 'text' | 'json' | 'markdown';
  test?: string;
  version: boolean;
}

/** Parses the Singer command line; a bad flag is a UserError (one line, exit 1). */
export function parseArgs(tapName: string, argv: string[], description = 'a Singer tap'): CliArgs | 'help' {
  let helpShown = false;
  const width = terminalWidth();
  // The header is wrapped here, at spaces: yargs hard-wraps a multi-line usage text mid-word.
  const header = [
    wrapText(`${tapName}: ${description}`, width, '  '),
    '',
    'Usage:',
    ...[`${tapName} --config CONFIG --discover > catalog.json`, `${tapName} --config CONFIG [--catalog catalog.json] [--state state.json]`]
      .map((u) => `  ${wrapText(u, width - 2, '      ')}`),
    '',
  ].join('\n');
  const parser = yargs(argv)
    .scriptName(tapName)
    .parserConfiguration({ 'camel-case-expansion': false, 'boolean-negation': false })
    .version(false)
    .option('config', { type: 'string', array: true, default: [], description: 'Config JSON file (repeatable, later wins); --config=ENV reads <TAP>_<SETTING> environment variables' })
    .option('discover', { type: 'boolean', default: false, description: 'Print the catalog of every stream and exit' })
    .option('catalog', { type: 'string', description: 'Catalog JSON selecting streams and fields to sync' })
    .option('properties', { type: 'string', description: 'Legacy alias of --catalog' })
    .option('state', { type: 'string', description: 'State JSON (bookmarks) from an earlier run' })
    .option('about', { type: 'boolean', default: false, description: 'Print name, version, capabilities and settings' })
    .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const, description: 'Format of --about' })
    .option('test', { type: 'string', description: 'Sync one record per stream (--test), or print SCHEMA messages only (--test=schema)' })
    .option('version', { type: 'boolean', default: false, description: 'Print the version' })
    .help('help')
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    // yargs' ESM build wraps by character count (mid-word): it does not wrap, helpText() does.
    .wrap(null)
    .epilogue(HELP_EPILOGUE)
    .fail((msg, err) => {
      throw new UserError(`${(msg ?? errorMessage(err)).replace(/\s*\n\s*/g, ' ')} (see ${tapName} --help)`);
    });
  const parsed = parser.parseSync(argv, {}, (_err, _argv, output) => {
    if (output) {
      helpShown = true;
      process.stdout.write(`${header}\n${helpText(output, width)}\n`);
    }
  });
  if (helpShown) return 'help';
  const args: CliArgs = {
    config: (parsed.config ?? []).map(String),
    discover: parsed.discover,
    about: parsed.about,
    format: parsed.format,
    version: parsed.version,
  };
  if (parsed.catalog !== undefined) args.catalog = parsed.catalog;
  if (parsed.properties !== undefined) args.properties = parsed.properties;
  if (parsed.state !== undefined) args.state = parsed.state;
  if (parsed.test !== undefined) args.test = parsed.test;
  // `--state` with no value (an unset shell variable) must not silently mean "no state": a full re-sync.
  for (const flag of ['catalog', 'properties', 'state'] as const) {
    if (args[flag] === '') throw new UserError(`--${flag} needs a file name (see ${tapName} --help)`);
  }
  // Nor `--config` with no value "no config".
  const configFlags = argv.filter((a) => a === '--config' || a.startsWith('--config=')).length;
  if (args.config.includes('') || args.config.length < configFlags) throw new UserError(`--config needs a file name or ENV (see ${tapName} --help)`);
  if (args.test !== undefined && !['', 'all', 'record', 'schema'].includes(args.test)) {
    throw new UserError(`--test=${args.test}: use --test (one record per stream) or --test=schema`);
  }
  return args;
}
