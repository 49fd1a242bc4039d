import { describe, it, expect } from 'vitest';
import { UserError, HttpError, errorMessage } from '../../../src/kit/core/errors.js';

describe('errors', () => {
  it('UserError carries an exit code (1 by default)', () => {
    const e = new UserError('bad config');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('UserError');
    expect(e.exitCode).toBe(1);
    expect(new UserError('x', 3).exitCode).toBe(3);
  });
  it('HttpError names method, URL, status and detail', () => {
    const e = new HttpError({ method: 'GET', url: 'https://api.test/x?api_key=***', status: 404, detail: 'not found' });
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('GET https://api.test/x?api_key=*** failed: HTTP 404 - not found');
    expect(new HttpError({ method: 'POST', url: 'https://api.test/y', status: undefined, detail: '' }).message).toBe('POST https://api.test/y failed: no response');
  });
  it('errorMessage', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
  });
});

describe('HttpError wording', () => {
  it('does not repeat the status the server put first in its message', () => {
    expect(new HttpError({ method: 'GET', url: 'https://x/y', status: 401, detail: '401 Unauthorized' }).message).toBe('GET https://x/y failed: HTTP 401 - Unauthorized');
    expect(new HttpError({ method: 'GET', url: 'https://x/y', status: 404, detail: '404: not found' }).message).toBe('GET https://x/y failed: HTTP 404 - not found');
    expect(new HttpError({ method: 'GET', url: 'https://x/y', status: 400, detail: '4000 widgets is too many' }).message).toBe('GET https://x/y failed: HTTP 400 - 4000 widgets is too many');
  });
});
