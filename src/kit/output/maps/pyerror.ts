/** An error raised while evaluating a map expression (Python's exception name and message). */
export class PyError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(`${pyType}: ${message}`);
  }
}
