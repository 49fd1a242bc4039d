import { wrapText } from '../core/text.js';

/** The end of every tap's --help: the environment it reads and its exit codes. */
export const HELP_EPILOGUE = [
  'Environment:',
  '  LOGLEVEL (or <TAP>_LOGLEVEL)  debug (a line per HTTP request), info (default), warn, error',
  '  LOG_FORMAT                    text (default) or json (structured logs)',
  '',
  'Exit codes:',
  '  0    success',
  '  1    a problem of the input, the config or the source, told in one CRITICAL line',
  '  2    an internal error (with a stack trace: please report it)',
  '  130  stopped by SIGINT, 143 by SIGTERM (every record read is written, then the last safe STATE)',
].join('\n');

/** yargs' help wrapped at spaces to `width`: an option's description continues under itself. */
export function helpText(output: string, width: number): string {
  return output.split('\n').map((line) => {
    if (line.length <= width) return line;
    const column = /^(\s*(?:-\w, )?--\S+\s+|\s+\S+\s{2,})/.exec(line)?.[0].length ?? 2;
    return `${line.slice(0, column)}${wrapText(line.slice(column), width - column, ' '.repeat(column))}`;
  }).join('\n');
}
