/** The demo's pure parts: the sample, call counting, signatures and the three report forms. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countCalls } from '../../scripts/demo/calls.js';
import { renderInline, renderMarkdown } from '../../scripts/demo/markdown-html.js';
import type { DemoReport } from '../../scripts/demo/report.js';
import {
  codeSpan,
  formatConsole,
  formatHtml,
  formatMarkdown,
  markdownText,
} from '../../scripts/demo/render-report.js';
import { headChanges, readSample } from '../../scripts/demo/sample.js';
import { signature } from '../../scripts/demo/webhook.js';

const HOSTILE = 'x<script>alert(1)</script> @octocat [a](javascript:alert(1)) \u001b[31mred';

function report(overrides: Partial<DemoReport> = {}): DemoReport {
  return {
    pullRequest: {
      repository: 'acme/infra',
      number: 7,
      title: HOSTILE,
      author: 'dana',
      baseRef: 'main',
      headRef: 'change',
      baseSha: 'a'.repeat(40),
      headSha: 'b'.repeat(40),
      changedFiles: ['network/<b>.yaml'],
    },
    delivery: { id: 'd-1', event: 'pull_request', action: 'opened', status: 200 },
    checkRun: {
      id: 1,
      name: 'S3 endpoint guard',
      status: 'completed',
      conclusion: 'failure',
      title: '1 new error',
      summary: '## Findings\n\n| Rule | File |\n|---|---|\n| `r` | a\\|b |\n<!-- marker -->',
      annotations: [
        {
          path: 'network/<b>.yaml',
          startLine: 3,
          endLine: 3,
          level: 'failure',
          title: 'sourceip-deny-blocks-endpoint',
          message: HOSTILE,
        },
      ],
      updates: 2,
    },
    reviews: [{ body: 'Review', comments: 1 }],
    reviewComments: [
      {
        path: 'network/vpc.yaml',
        line: 26,
        side: 'RIGHT',
        body: 'Fix:\n```suggestion\n      ServiceName: x\n```\n<!-- s3-endpoint-guard:finding abcdef12 -->',
        resolved: false,
        code: [{ line: 26, text: '      ServiceName: <x> ```' }],
      },
    ],
    summaryComment: { body: 'Summary <!-- s3-endpoint-guard:summary -->' },
    calls: { restReads: 5, graphqlQueries: 2, writes: 4, tokens: 1, total: 12 },
    violations: [],
    elapsedMs: 1234,
    ...overrides,
  };
}

function withCommands(): DemoReport {
  const calls = { restReads: 3, graphqlQueries: 1, writes: 4, tokens: 0, total: 8 };
  return report({
    commands: {
      steps: [
        {
          purpose: 'a maintainer accepts the blocking finding',
          comment: {
            id: 11,
            author: 'maria<i>',
            permission: 'maintain',
            body: `Fine.\n\n/s3-guard ignore r Res -- ${HOSTILE}\n\`\`\`\nend`,
          },
          delivery: { id: 'd-2', event: 'issue_comment', action: 'created', status: 200 },
          reactions: [
            { content: 'eyes', user: 's3-endpoint-guard[bot]' },
            { content: 'rocket', user: 's3-endpoint-guard[bot]' },
          ],
          replies: [{ body: `Refused: ${'`'}x${'`'} <!-- s3-endpoint-guard:reply -->` }],
          checkRunsCreated: 1,
          checkRun: {
            id: 3,
            name: 'S3 endpoint guard',
            status: 'completed',
            conclusion: 'success',
            title: '1 accepted',
            counts: { new: 2, existing: 1, fixed: 1, accepted: 1 },
            annotations: 3,
            accepted:
              '### Accepted\n\n- Rule: `Res` (PR command, by maria-maintainer): reason \\<b>',
          },
          calls,
          elapsedMs: 900,
          finished: true,
        },
        {
          purpose: 'the author asks for a recheck',
          comment: { id: 12, author: 'dana', permission: 'read', body: '/s3-guard recheck' },
          delivery: { id: 'd-3', event: 'issue_comment', action: 'created', status: 200 },
          reactions: [{ content: HOSTILE, user: HOSTILE }],
          replies: [],
          checkRunsCreated: 0,
          calls,
          elapsedMs: 500,
          finished: false,
        },
      ],
      summaryComment: { body: 'After: 1 accepted <!-- s3-endpoint-guard:summary -->' },
      totalCalls: { restReads: 10, graphqlQueries: 3, writes: 12, tokens: 1, total: 26 },
      totalElapsedMs: 4321,
    },
  });
}

describe('the sample pull request', () => {
  it('changes the two templates and the README, and deletes nothing', async () => {
    const sample = await readSample();
    expect(sample.metadata).toMatchObject({ owner: 'acme', number: 42, baseRef: 'main' });
    expect(Object.keys(headChanges(sample)).sort()).toEqual([
      'README.md',
      'network/vpc.yaml',
      'storage/main.tf',
    ]);
    expect(sample.base.has('.github/s3-endpoint-guard.yml')).toBe(true);
  });
});

describe('countCalls', () => {
  it('tells reads, queries, writes and tokens apart', () => {
    expect(
      countCalls([
        { method: 'POST', path: '/app/installations/1/access_tokens' },
        { method: 'GET', path: '/repos/o/r/pulls/1/files' },
        { method: 'POST', path: '/graphql', graphqlOperation: 'query' },
        { method: 'POST', path: '/graphql', graphqlOperation: 'mutation' },
        { method: 'PATCH', path: '/repos/o/r/check-runs/1' },
      ]),
    ).toEqual({ restReads: 1, graphqlQueries: 1, writes: 2, tokens: 1, total: 5 });
  });
});

describe('signature', () => {
  it("is GitHub's X-Hub-Signature-256", () => {
    const expected = createHmac('sha256', 's').update('{"a":1}').digest('hex');
    expect(signature('{"a":1}', 's')).toBe(`sha256=${expected}`);
  });
});

describe('renderMarkdown', () => {
  it('escapes raw HTML, drops comments and refuses non-http links', () => {
    const html = renderMarkdown(`${HOSTILE}\n<!-- hidden -->`);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('hidden');
    expect(html).toContain('&lt;script&gt;');
  });

  it('renders tables with escaped pipes, suggestions and inline code', () => {
    const html = renderMarkdown(
      '| a | b |\n|---|---|\n| `x|y` | c\\|d |\n\n```suggestion\nline <1>\n```',
    );
    expect(html).toContain('<td><code>x|y</code></td><td>c|d</td>');
    expect(html).toContain('<pre class="suggestion"><code>line &lt;1&gt;</code></pre>');
  });

  it('keeps character references and http links', () => {
    expect(renderInline('&lt;b&gt; & [docs](https://example.com/a?b=1&c=2)')).toBe(
      '&lt;b&gt; &amp; <a href="https://example.com/a?b=1&amp;c=2">docs</a>',
    );
  });
});

describe('report forms', () => {
  it('the console text has the conclusion, annotations, comments and no control characters', () => {
    const text = formatConsole(report(), ['demo-output/report.md']);
    expect(text).toContain('Check run "S3 endpoint guard": FAILURE - 1 new error');
    expect(text).toContain('failure network/<b>.yaml:3  sourceip-deny-blocks-endpoint');
    expect(text).toContain('network/vpc.yaml:26 (RIGHT)');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('marker');
  });

  it('the Markdown escapes PR content outside the app bodies', () => {
    const markdown = formatMarkdown(report());
    expect(markdown).not.toContain('<script');
    expect(markdown).not.toContain('@octocat');
    expect(markdown).toContain('`failure`');
    expect(markdown).toContain('> ```suggestion');
    expect(markdown).toContain('````text\n   26        ServiceName: <x> ```\n````');
    expect(markdownText('a|b_c')).toBe('a\\|b\\_c');
    expect(codeSpan('a`b')).toBe('``a`b``');
  });

  it('the HTML page is self-contained and escaped', () => {
    const html = formatHtml(report());
    expect(html).not.toMatch(/<script|href="javascript|src=|<link/i);
    expect(html).toContain('class="conclusion failure">failure</span>');
    expect(html).toContain('sourceip-deny-blocks-endpoint');
    expect(html).toContain('Suggested change');
    expect(html).toContain('<span class="line-number">26</span>      ServiceName: &lt;x&gt;');
  });

  it('the console shows each command step after the first evaluation, without control characters', () => {
    const text = formatConsole(withCommands(), []);
    const lines = text.split('\n');
    expect(text.indexOf('Commands (2), replayed after the first evaluation:')).toBeGreaterThan(
      text.indexOf('Summary comment:'),
    );
    expect(lines).toContain('  1. a maintainer accepts the blocking finding');
    expect(lines).toContain('     maria<i> (maintain) commented:');
    expect(lines).toContain(
      '     Webhook issue_comment.created (answer 200); reactions: 👀 eyes (s3-endpoint-guard[bot]), ' +
        'then 🚀 rocket (s3-endpoint-guard[bot]); handled in 0.9 s, 8 GitHub API calls ' +
        '(REST reads 3, GraphQL queries 1, writes 4, installation tokens 0)',
    );
    expect(lines).toContain('     Check run "S3 endpoint guard" (1 created): SUCCESS - 1 accepted');
    expect(lines).toContain('       new 2, existing 1, fixed 1, accepted 1; 3 annotations');
    expect(lines).toContain(
      '       | - Rule: `Res` (PR command, by maria-maintainer): reason \\<b>',
    );
    expect(lines).toContain('     No check run was created.');
    expect(text).toContain(
      'not done after 0.5 s (no final reaction, or a check run left running), 8 GitHub API calls',
    );
    expect(lines).toContain('  | After: 1 accepted');
    expect(lines).toContain(
      'Whole demo, commands included: 26 GitHub API calls (REST reads 10, GraphQL queries 3, ' +
        'writes 12, installation tokens 1) in 4.3 s',
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('s3-endpoint-guard:reply');
  });

  it('the Markdown puts comment bodies in code blocks and escapes authors and reactions', () => {
    const markdown = formatMarkdown(withCommands());
    expect(markdown).toContain('## Commands');
    expect(markdown.indexOf('## Commands')).toBeLessThan(markdown.indexOf('## GitHub API'));
    expect(markdown).toContain('**maria&lt;i\\>** (permission `maintain`) commented:');
    expect(markdown).toContain(
      '````text\nFine.\n\n/s3-guard ignore r Res -- x<script>alert(1)</script> @octocat ' +
        '[a](javascript:alert(1)) ?[31mred\n```\nend\n````',
    );
    expect(markdown).toContain('> Refused: `x`');
    expect(markdown).toContain(
      'Check run **S3 endpoint guard** (1 created): `success`, 1 accepted; new 2, existing 1, ' +
        'fixed 1, accepted 1; 3 annotations.',
    );
    expect(markdown).toContain('> ### Accepted');
    expect(markdown).toContain('### Summary comment after the last command\n\n> After: 1 accepted');
    // The hostile reaction and user appear only escaped: outside the code block, no raw HTML or mention.
    const outsideBlock = markdown.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '');
    expect(outsideBlock).not.toContain('<script');
    expect(outsideBlock).not.toContain('@octocat');
    expect(outsideBlock).not.toMatch(/[^\\]\]\(javascript/);
    expect(outsideBlock).toContain(
      'x&lt;script\\>alert(1)&lt;/script\\> &#64;octocat \\[a\\](javascript:alert(1))',
    );
  });

  it('the HTML shows the commands escaped', () => {
    const html = formatHtml(withCommands());
    expect(html).not.toMatch(/<script|href="javascript|src=|<link/i);
    expect(html).toContain('<h2>Commands</h2>');
    expect(html).toContain('<strong>maria&lt;i&gt;</strong>');
    expect(html).toContain('/s3-guard ignore r Res -- x&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(
      '👀 eyes <span class="muted">(s3-endpoint-guard[bot])</span>, then 🚀 rocket',
    );
    expect(html).toContain('class="conclusion success">success</span> 1 accepted');
    expect(html).toContain('<h3>Accepted</h3>');
    expect(html).toContain('<p>Whole demo, commands included: 26 GitHub API calls');
  });
});
