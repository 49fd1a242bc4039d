import { expect } from 'vitest';
import { UserError } from '../../../src/kit/errors.js';

/** Runs `fn`, asserting it throws a UserError, and returns it for checks on its message. */
export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}
