import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/findings/fingerprint.js';

describe('fingerprint', () => {
  it('is 32 lower-case hex characters and deterministic', () => {
    const a = fingerprint('rule-a', 'cfn/t.yaml', 'Bucket', ['sid:DenyIp', 'aws:sourceip']);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint('rule-a', 'cfn/t.yaml', 'Bucket', ['sid:DenyIp', 'aws:sourceip'])).toBe(a);
  });

  it('changes with each of rule, file, resource and identity', () => {
    const base = fingerprint('rule-a', 'f.yaml', 'R', ['x']);
    const variants = [
      fingerprint('rule-b', 'f.yaml', 'R', ['x']),
      fingerprint('rule-a', 'g.yaml', 'R', ['x']),
      fingerprint('rule-a', 'f.yaml', 'S', ['x']),
      fingerprint('rule-a', 'f.yaml', 'R', ['y']),
      fingerprint('rule-a', 'f.yaml', 'R', []),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('keeps identity parts unambiguous', () => {
    expect(fingerprint('r', 'f', 'R', ['a', 'b'])).not.toBe(fingerprint('r', 'f', 'R', ['a,b']));
    expect(fingerprint('r', 'f', 'R', ['a', 'b'])).not.toBe(fingerprint('r', 'f', 'R', ['b', 'a']));
  });
});
