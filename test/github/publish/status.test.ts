import { describe, expect, it } from 'vitest';
import {
  commitStateOf,
  MAX_STATUS_DESCRIPTION,
  statusDescription,
} from '../../../src/github/publish/status.js';

describe('commit status fallback', () => {
  it('blocks only on failure: a neutral "could not evaluate" must not block', () => {
    expect(commitStateOf('failure')).toBe('failure');
    expect(commitStateOf('success')).toBe('success');
    expect(commitStateOf('neutral')).toBe('success');
  });

  it('fits the check title into one line of at most 140 characters', () => {
    expect(statusDescription('2 new errors,\n 1 warning')).toBe('2 new errors, 1 warning');
    const long = statusDescription('x'.repeat(300));
    expect(long).toHaveLength(MAX_STATUS_DESCRIPTION);
    expect(long.endsWith('…')).toBe(true);
  });
});
