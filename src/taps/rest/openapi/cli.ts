import { UserError } from '@singer-io-compatible/tap-kit';
import { runInit } from './init.js';

/** `tap-rest init`: a user error is one CRITICAL line and exit 1, as the tap's own errors; anything else is exit 2 with its stack. */
export async function runOpenApiInit(argv: string[]): Promise<void> {
  try {
    await runInit(argv);
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`CRITICAL ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`CRITICAL tap-rest init: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  }
}
