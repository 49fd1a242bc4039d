/** Small text helpers for people-facing output: word wrapping and counted nouns. */

/** Wraps at spaces to `width` columns (a word longer than the line stays whole); continuation lines get `indent`. */
export function wrapText(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}

/** The terminal's width when stdout is one, else a readable default; never narrower than 60. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return Math.max(60, stream.isTTY && stream.columns ? stream.columns : 100);
}

/** `1 record`, `2 records`, `1,234 records` (irregular plurals given). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
