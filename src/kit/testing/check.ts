import type { Outcome } from './findings.js';
import type { Session } from './session.js';

/** A conformance check: an id, what it asserts, and how it reads the session's runs. */
export interface Check {
  id: string;
  title: string;
  run(session: Session): Promise<Outcome>;
}
