import yargs from 'yargs';
import { UserError, errorMessage } from '../core/errors.js';
import { KIT_VERSION } from '../version.js';
import { newTap } from './new-tap.js';
import { AUTH_NAMES, DEFAULT_AUTH } from './auth-choices.js';
import { DEFAULT_PAGING, PAGING_NAMES } from './paging-choices.js';
import { DEFAULT_STREAM, STREAM_NAMES } from './stream-kinds.js';
import { Asker, askMissing, type Choices } from './ask.js';
import { checkCommand } from '../testing/cli.js';

/**
 * `tap-kit new <tap-name>`: scaffolds a working tap on the kit; `tap-kit check`: the conformance
 * suite (testing/cli.ts). A user mistake, or a failed check, is one line and exit 1.
 */
async function main(argv: string[]): Promise<number> {
  try {
    await parse(argv);
    return 0;
  } catch (error) {
    process.stderr.write(`tap-kit: ${error instanceof UserError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
    return error instanceof UserError ? 1 : 2;
  }
}

async function parse(argv: string[]): Promise<unknown> {
  return yargs(argv)
    .scriptName('tap-kit')
    .usage('tap-kit: tools for Singer taps built on @singer-io-compatible/tap-kit')
    .command('new <name>', 'Create a folder with a working tap: declaration, one stream schema, sample config, test, README', (y) => y
      .positional('name', { type: 'string', demandOption: true, description: 'tap-<source>, e.g. tap-acme' })
      .option('dir', { type: 'string', description: 'Folder to create (default ./<name>)' })
      .option('description', { type: 'string', description: 'One line saying what the tap extracts' })
      .option('kit', { type: 'string', description: `How the tap depends on the kit (default: where this kit was installed from, a file: tarball or folder until it is published; e.g. ^${KIT_VERSION})` })
      .option('stream', { type: 'string', description: `Stream kind: ${STREAM_NAMES.join(' | ')} (default ${DEFAULT_STREAM}). On a terminal, what --stream, --auth and --paging do not say is asked` })
      .option('auth', { type: 'string', description: `Credentials: ${AUTH_NAMES.join(' | ')} (default ${DEFAULT_AUTH}; not for generic)` })
      .option('paging', { type: 'string', description: `Pages: ${PAGING_NAMES.join(' | ')} (default ${DEFAULT_PAGING}; rest only)` }),
    async (args) => {
      const given: Choices = { stream: args.stream, auth: args.auth, paging: args.paging };
      // On a terminal, what the flags left out is asked; otherwise (a script, CI) it is the default.
      const interactive = process.stdin.isTTY === true && (!given.stream || !given.auth || !given.paging);
      const choices = interactive ? await askMissing(given, new Asker(process.stdin, process.stdout)) : given;
      const { dir, files } = newTap({
        name: String(args.name),
        ...(args.dir ? { dir: args.dir } : {}),
        ...(args.kit ? { kitSpec: args.kit } : {}),
        ...(args.description ? { description: args.description } : {}),
        ...(choices.stream ? { stream: choices.stream } : {}),
        ...(choices.auth ? { auth: choices.auth } : {}),
        ...(choices.paging ? { paging: choices.paging } : {}),
      });
      process.stdout.write(`created ${dir}\n${files.map((f) => `  ${f}`).join('\n')}\n\nnext:\n  cd ${dir}\n  npm install && npm run build\n  bin/${String(args.name)} --about\n  npm test\n`);
    })
    .command(checkCommand)
    .demandCommand(1, 'name a command: tap-kit new <tap-name>, or tap-kit check --config CONFIG -- <tap command>')
    .strict()
    .version(KIT_VERSION)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err instanceof UserError ? err : new UserError(`${(msg ?? errorMessage(err)).replace(/\s*\n\s*/g, ' ')} (see tap-kit --help)`);
    })
    .parseAsync();
}

process.exitCode = await main(process.argv.slice(2));
