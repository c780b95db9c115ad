/** The examples in docs/suppressions.md use the syntax the parser reads. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInlineSuppressions } from '../../../src/findings/suppression/inline.js';

const doc = readFileSync('docs/suppressions.md', 'utf8');
const blocks = (lang: string): string[] =>
  [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');

describe('docs/suppressions.md examples', () => {
  it('YAML comments: above a resource, above a statement, trailing', () => {
    const [cfn] = blocks('yaml');
    expect(parseInlineSuppressions('t.yaml', cfn ?? '').map((s) => [s.rule, s.anchorLine])).toEqual(
      [
        ['endpoint-policy-full-access', 3],
        ['sourceip-private-range', 18],
        ['sourceip-private-range', 25],
      ],
    );
  });

  it('HCL comments: #, // with two ids, and /* */', () => {
    const [hcl] = blocks('hcl');
    expect(parseInlineSuppressions('main.tf', hcl ?? '').map((s) => [s.rule, s.reason])).toEqual([
      ['endpoint-policy-full-access', 'Sandbox VPC, holds no data'],
      ['endpoint-policy-full-access', 'legacy endpoint, removed in Q3'],
      ['unknown-s3-action', 'legacy endpoint, removed in Q3'],
      ['sourceip-private-range', 'traffic arrives via the VPN proxy'],
    ]);
  });
});
