import { describe, expect, it } from 'vitest';
import { formatPublication, renderPublication } from '../../../src/github/render/index.js';
import { evaluated, finding, fp, options, range, target, thread } from './factories.js';

describe('formatPublication', () => {
  it('names a merge group by its branch, and shows that it has no review', () => {
    const group = {
      ...target,
      author: '',
      mergeGroup: { headRef: 'gh-readonly-queue/main/pr-7-0a1b2c3d' },
    };
    const publication = renderPublication(
      { ...evaluated({ findings: [finding()] }), target: group },
      { threads: [] },
      options,
    );
    const document = formatPublication(publication, group);
    expect(document.split('\n')[0]).toBe(
      '# S3 endpoint guard on `acme/infra:gh-readonly-queue/main/pr-7-0a1b2c3d` at `abcdef1`',
    );
    expect(document).toContain('## Review\n\nNo review (no new inline comments).');
  });

  it('shows everything that would be published', () => {
    const fresh = finding({
      range: range('template.yaml', 5, 6),
      related: [{ range: range('vpc.yaml', 2), message: 'the VPC' }],
    });
    const evaluation = evaluated({
      findings: [
        fresh,
        finding({
          severity: 'warning',
          status: 'existing',
          range: range('template.yaml', 30, 30, 3, 9),
        }),
      ],
    });
    const publication = renderPublication(
      evaluation,
      { threads: [thread(fp(0xdead), { threadId: 'T_gone', commentId: 42 })] },
      options,
    );
    const document = formatPublication(publication, target);
    expect(document).toContain('# S3 endpoint guard on `acme/infra#7` at `abcdef1`');
    expect(document).toContain('## Check run: failure: 1 new error, 1 existing');
    expect(document).toContain('### Summary');
    expect(document).toContain('### Details');
    expect(document).toContain('### Annotations (2)');
    expect(document).toContain('- **failure** `template.yaml:5-6`');
    expect(document).toContain('- **warning** `template.yaml:30:3-9`');
    expect(document).toContain('## Review: 1 inline comment');
    expect(document).toContain('### `template.yaml:5-6` (RIGHT)');
    expect(document).toContain('## Threads to resolve (1)');
    expect(document).toContain('- thread `T_gone` (comment 42): Fixed in abcdef1.');
    expect(document).toContain('## Summary comment (new)');
    // Embedded bodies are quoted, so their headings stay inside.
    expect(document).toMatch(/^> ### S3 endpoint guard: ❌ failing/m);
  });

  it('says when nothing is posted', () => {
    const document = formatPublication(
      renderPublication(evaluated(), { threads: [] }, options),
      target,
    );
    expect(document).toContain('## Check run: success: No problems found');
    expect(document).toContain('### Annotations (0)\n\nNone.');
    expect(document).toContain('No review (no new inline comments).');
    expect(document).toContain('## Threads to resolve (0)\n\nNone.');
    expect(document).toContain('## Summary comment\n\nUnchanged or not posted.');
  });
});
