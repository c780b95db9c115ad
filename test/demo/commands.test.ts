/** What the demo reads back from the app's check runs to replay its commands (pure parts). */
import { describe, expect, it } from 'vitest';
import {
  IGNORE_REASON,
  RECHECK_COMMENT,
  acceptedSection,
  blockingFinding,
  findingCounts,
  ignoreComment,
  reactionLabel,
} from '../../scripts/demo/commands.js';
import { parseCommands } from '../../src/github/commands/parse.js';

const RULES = [
  { id: 'endpoint-policy-full-access', title: 'An S3 endpoint policy lets data reach any bucket' },
  { id: 'sourceip-deny-blocks-endpoint', title: 'A Deny on NotIpAddress aws:SourceIp blocks' },
  { id: 'odd', title: 'Pipes | and *stars*' },
];

const SUMMARY = [
  '**1 finding blocks merging** (a new finding at or above error blocks).',
  '',
  '| Severity | New | Existing | Fixed | Accepted |',
  '| --- | ---: | ---: | ---: | ---: |',
  '| error | 1 | 0 | 0 | 2 |',
  '| warning | 1 | 1 | 1 | 0 |',
  '| notice | 1 | 0 | 0 | 0 |',
  '',
  '3 files checked.',
  '',
  '### New findings',
  '',
  '| Severity | Rule | Resource | Location |',
  '| --- | --- | --- | --- |',
  '| warning | [An S3 endpoint policy lets data reach any bucket](https://x.test/docs/rules/endpoint-policy-full-access.md) | `S3Endpoint` | [`a.yaml:26`](https://x.test/a) |',
  '| error | [A Deny on NotIpAddress aws:SourceIp blocks](https://x.test/docs/rules/sourceip-deny-blocks-endpoint.md) | `ReportsBucketPolicy` | [`a.yaml:55`](https://x.test/b) |',
  '',
  '### Accepted',
  '',
  '- A rule: `Res` at [`a.yaml:3`](https://x.test/c) (PR command, by maria-maintainer): why',
  '',
  '### Configuration',
  '',
  'Defaults.',
].join('\n');

describe('blockingFinding', () => {
  it('is the first new error of the summary: rule id from its title, resource from its cell', () => {
    expect(blockingFinding(SUMMARY, RULES)).toEqual({
      rule: 'sourceip-deny-blocks-endpoint',
      resource: 'ReportsBucketPolicy',
    });
  });

  it('matches titles that Markdown escaping changed, unlinked, and pipes in resources', () => {
    const summary =
      '### New findings\n\n| Severity | Rule | Resource | Location |\n| --- | --- | --- | --- |\n' +
      '| error | Pipes \\| and \\*stars\\* | `a\\|b` | `x:1` |';
    expect(blockingFinding(summary, RULES)).toEqual({ rule: 'odd', resource: 'a|b' });
  });

  it('is undefined without a new error (existing errors, other sections do not count)', () => {
    expect(
      blockingFinding(SUMMARY.replace('| error | [A Deny', '| warning | [A Deny'), RULES),
    ).toBe(undefined);
    expect(blockingFinding('### Accepted\n\n| error | x | `y` | z |', RULES)).toBe(undefined);
  });
});

describe('findingCounts', () => {
  it('sums the severity table', () => {
    expect(findingCounts(SUMMARY)).toEqual({ new: 3, existing: 1, fixed: 1, accepted: 2 });
  });

  it('is undefined without the table', () => {
    expect(findingCounts('No findings.')).toBe(undefined);
  });
});

describe('acceptedSection', () => {
  it('is the section up to the next heading', () => {
    expect(acceptedSection(SUMMARY)).toBe(
      '### Accepted\n\n- A rule: `Res` at [`a.yaml:3`](https://x.test/c) (PR command, by maria-maintainer): why',
    );
    expect(acceptedSection('### New findings\n\nx')).toBe(undefined);
  });
});

describe('the replayed comments', () => {
  it('parse back into exactly the intended commands', () => {
    const body = ignoreComment({
      rule: 'sourceip-deny-blocks-endpoint',
      resource: 'ReportsBucketPolicy',
    });
    expect(parseCommands(body)).toEqual([
      {
        kind: 'ignore',
        rule: 'sourceip-deny-blocks-endpoint',
        resource: 'ReportsBucketPolicy',
        reason: IGNORE_REASON,
      },
    ]);
    expect(parseCommands(RECHECK_COMMENT)).toEqual([{ kind: 'recheck' }]);
  });
});

describe('reactionLabel', () => {
  it('shows the emoji of a known reaction and the name of any other', () => {
    expect(reactionLabel('eyes')).toBe('👀 eyes');
    expect(reactionLabel('rocket')).toBe('🚀 rocket');
    expect(reactionLabel('<b>')).toBe('<b>');
  });
});
