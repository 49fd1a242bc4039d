/**
 * Stack-trace frames of the common runtimes: Node (`    at fn (file.js:1:2)`), Python
 * (`Traceback (most recent call last):`, `  File "x.py", line 3`), the JVM (`\tat a.B.c(B.java:9)`),
 * Go (`goroutine 1 [running]:`) and Rust (`stack backtrace:`).
 */
const FRAMES = [
  /^\s+at .*(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/,
  /^Traceback \(most recent call last\):/,
  /^\s+File ".*", line \d+/,
  /^\s+at [\w$.<>]+\([\w$.]*(:\d+)?\)$/,
  /^goroutine \d+ \[/,
  /^stack backtrace:/,
];

/** The stderr lines that look like a stack trace. */
export function stackTraceLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => FRAMES.some((frame) => frame.test(line)));
}

/** A log level that says the run failed: CRITICAL, FATAL or ERROR, as a word or a JSON log's `"level"`. */
const FAILURE_LEVEL = /\b(CRITICAL|FATAL|ERROR)\b/;
const FAILURE_JSON_LEVEL = /"level"\s*:\s*"(critical|fatal|error)"/i;

/** The stderr lines logged at a failure level. */
export function failureLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => FAILURE_LEVEL.test(line) || FAILURE_JSON_LEVEL.test(line));
}
