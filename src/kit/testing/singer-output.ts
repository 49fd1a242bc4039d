import { isObject } from './json-schema.js';

/** A stdout line parsed as a JSON object, with its 1-based line number. */
export interface Message {
  line: number;
  type: string;
  body: Record<string, unknown>;
}

/** A tap's stdout read as Singer messages: the JSON objects, and the lines that are not. */
export interface SingerOutput {
  messages: Message[];
  /** `line 3: not JSON: "INFO starting"` (stdout must hold nothing but messages). */
  badLines: string[];
}

/** Splits stdout into lines and parses each as one JSON object. */
export function parseSingerOutput(stdout: string): SingerOutput {
  const messages: Message[] = [];
  const badLines: string[] = [];
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else if (stdout !== '') badLines.push(`line ${lines.length}: the last line has no newline (cut short?)`);
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      badLines.push(`line ${i + 1}: not JSON: ${JSON.stringify(text.slice(0, 120))}`);
      return;
    }
    if (!isObject(value)) badLines.push(`line ${i + 1}: not a JSON object: ${text.slice(0, 120)}`);
    else messages.push({ line: i + 1, type: typeof value.type === 'string' ? value.type : '', body: value });
  });
  return { messages, badLines };
}

/** The RECORD bodies of one stream. */
export function recordsOf(output: SingerOutput, stream: string): Array<Record<string, unknown>> {
  return output.messages
    .filter((m) => m.type === 'RECORD' && m.body.stream === stream && isObject(m.body.record))
    .map((m) => m.body.record as Record<string, unknown>);
}

/** Record counts per stream. */
export function recordCounts(output: SingerOutput): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of output.messages) {
    if (m.type === 'RECORD' && typeof m.body.stream === 'string') counts.set(m.body.stream, (counts.get(m.body.stream) ?? 0) + 1);
  }
  return counts;
}

/** The value of the last STATE message, if any. */
export function finalState(output: SingerOutput): Record<string, unknown> | undefined {
  const last = [...output.messages].reverse().find((m) => m.type === 'STATE');
  return last && isObject(last.body.value) ? last.body.value : undefined;
}
