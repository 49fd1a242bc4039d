/**
 * `tap-kit new` asks, on a terminal, for each choice its flags did not give: a numbered menu per
 * question, Enter for the default (node:readline: three single-choice questions need no library).
 */
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.js';
import { AUTH_CHOICES, AUTH_NAMES, DEFAULT_AUTH } from './auth-choices.js';
import { DEFAULT_PAGING, PAGING_CHOICES, PAGING_NAMES } from './paging-choices.js';
import { DEFAULT_STREAM, availableStreams, checkApplies, streamKind } from './stream-kinds.js';
import { oneOf } from './new-tap.js';

export interface Choices {
  stream?: string | undefined;
  auth?: string | undefined;
  paging?: string | undefined;
}

interface Option { value: string; summary: string }

/** Reads answers line by line from `input`, writing the questions to `output`. */
export class Asker {
  private readonly lines: AsyncIterator<string>;

  constructor(input: NodeJS.ReadableStream, private readonly output: NodeJS.WritableStream) {
    this.lines = createInterface({ input, terminal: false })[Symbol.asyncIterator]();
  }

  /** One menu: a number, a name, or Enter for the default; asked again until the answer is one of them. */
  async choose(question: string, options: readonly Option[], fallback: string): Promise<string> {
    const width = Math.max(...options.map((o) => o.value.length));
    this.output.write(`${question}\n${options.map((o, i) => `  ${i + 1}) ${o.value.padEnd(width)}  ${o.summary}`).join('\n')}\n`);
    for (;;) {
      this.output.write(`choose 1-${options.length} [${fallback}]: `);
      const next = await this.lines.next();
      if (next.done) throw new UserError('no answer (input ended); give --stream, --auth and --paging to choose without questions');
      const answer = next.value.trim();
      if (answer === '') return fallback;
      const picked = /^\d+$/.test(answer) ? options[Number(answer) - 1] : options.find((o) => o.value === answer);
      if (picked) return picked.value;
      this.output.write(`'${answer}' is not one of them\n`);
    }
  }

  /** A line of its own (no answer expected). */
  say(line: string): void {
    this.output.write(`${line}\n`);
  }

  close(): void {
    void this.lines.return?.();
  }
}

/** The choices with every one the flags left out asked for (auth and paging undefined where the kind takes none). */
export async function askMissing(given: Choices, asker: Asker): Promise<Choices & { stream: string }> {
  try {
    // A flag given wrong is refused before any question.
    if (given.stream) checkApplies(streamKind(given.stream), given);
    if (given.auth) oneOf('auth', given.auth, AUTH_NAMES);
    if (given.paging) oneOf('paging', given.paging, PAGING_NAMES);
    asker.say('Answer with a number or a name; Enter takes the default in brackets.');
    const stream = given.stream ?? (await asker.choose('Stream kind?', availableStreams().map((k) => ({ value: k.name, summary: k.summary })), DEFAULT_STREAM));
    const kind = streamKind(stream);
    // A flag the chosen kind does not take is refused, before the next question.
    checkApplies(kind, given);
    let auth: string | undefined;
    if (kind.authed !== true) asker.say(`Auth: none (${kind.authed.why}).`);
    else auth = given.auth ?? (await asker.choose('How does the API take credentials?', AUTH_NAMES.map((n) => ({ value: n, summary: AUTH_CHOICES[n].summary })), DEFAULT_AUTH));
    let paging: string | undefined;
    if (kind.paged !== true) asker.say(`Paging: none to choose (${kind.paged.why}).`);
    else paging = given.paging ?? (await asker.choose('How do its pages link?', PAGING_NAMES.map((n) => ({ value: n, summary: PAGING_CHOICES[n].summary })), DEFAULT_PAGING));
    return { stream, auth, paging };
  } finally {
    asker.close();
  }
}
