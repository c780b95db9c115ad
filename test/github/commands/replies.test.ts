import { describe, expect, it } from 'vitest';
import {
  KNOWN_RULE_IDS,
  MAX_EXPLAIN_CHARS,
  explainReply,
  helpReply,
  helpText,
  invalidReply,
  refusalReply,
  unknownRuleReply,
} from '../../../src/github/commands/replies.js';
import { parseCommands } from '../../../src/github/commands/parse.js';
import { REPLY_MARKER } from '../../../src/github/markers.js';
import { rules } from '../../../src/rules/index.js';

const BASE = 'https://github.com/acme/s3-endpoint-guard/blob/main/';
const HOSTILE =
  '/s3-guard ignore a b -- @acme/admins <img src=x> ``` [x](https://evil.example) #1 \u202egnp.exe';

describe('REPLY_MARKER', () => {
  it('is a hidden HTML comment', () => {
    expect(REPLY_MARKER).toBe('<!-- s3-endpoint-guard:reply -->');
  });
});

describe('helpReply', () => {
  it('is the help text and the marker', () => {
    expect(helpReply()).toBe(`${helpText()}\n\n${REPLY_MARKER}`);
  });
});

describe('refusalReply', () => {
  it('quotes the command and gives the reason', () => {
    expect(
      refusalReply(
        '  /s3-guard ignore policy-invalid S3Endpoint -- ok  ',
        'Only users with write access may ignore findings on this repository.',
      ),
    ).toBe(
      '> /s3-guard ignore policy-invalid S3Endpoint -- ok\n\n' +
        'Only users with write access may ignore findings on this repository.\n\n' +
        REPLY_MARKER,
    );
  });

  it('makes hostile text inert: no mention, HTML, fence, link, reference or bidi override', () => {
    expect(refusalReply(HOSTILE, 'No.')).toBe(
      '> /s3-guard ignore a b -- @\u200bacme/admins &lt;img src=x&gt; \\`\\`\\` ' +
        '\\[x\\](https:\u200b//evil.example) #\u200b1 \ufffdgnp.exe\n\nNo.\n\n' +
        REPLY_MARKER,
    );
  });

  it('quotes at most 300 characters, on one line', () => {
    const line = `/s3-guard ignore a b -- ${'x'.repeat(400)}\nsecond`;
    const body = refusalReply(line, 'No.');
    const quoted = body.split('\n')[0] ?? '';
    expect(quoted).toBe(`> ${line.slice(0, 299)}…`);
  });
});

describe('invalidReply', () => {
  it('gives the problem and the help', () => {
    const [command] = parseCommands('/s3-guard frobnicate');
    if (command?.kind !== 'invalid') throw new Error('expected an invalid command');
    expect(invalidReply(command)).toBe(
      `> /s3-guard frobnicate\n\nUnknown command \`frobnicate\`.\n\n${helpText()}\n\n${REPLY_MARKER}`,
    );
  });

  it('keeps a hostile command word inside a code span', () => {
    const [command] = parseCommands('/s3-guard @acme/admins`<img>');
    if (command?.kind !== 'invalid') throw new Error('expected an invalid command');
    expect(invalidReply(command)).toBe(
      '> /s3-guard @\u200bacme/admins\\`&lt;img&gt;\n\n' +
        'Unknown command ``@acme/admins`<img>``.\n\n' +
        `${helpText()}\n\n${REPLY_MARKER}`,
    );
  });
});

describe('unknownRuleReply', () => {
  it('suggests the closest rule id', () => {
    expect(unknownRuleReply('sourceip-privat-range', KNOWN_RULE_IDS)).toBe(
      '`sourceip-privat-range` is not a rule of S3 endpoint guard. Did you mean ' +
        "`sourceip-private-range`? The rules are listed in the check run's findings and in " +
        `\`docs/rules/\`.\n\n${REPLY_MARKER}`,
    );
  });

  it('suggests nothing when nothing is close', () => {
    expect(unknownRuleReply('completely-different', KNOWN_RULE_IDS)).toBe(
      '`completely-different` is not a rule of S3 endpoint guard. The rules are listed in the ' +
        `check run's findings and in \`docs/rules/\`.\n\n${REPLY_MARKER}`,
    );
  });

  it('keeps hostile text in a bounded code span', () => {
    expect(unknownRuleReply(`\`@acme/x\u202e${'y'.repeat(200)}`, KNOWN_RULE_IDS)).toBe(
      `\`\` \`@acme/x\ufffd${'y'.repeat(90)}… \`\` is not a rule of S3 endpoint guard. The rules ` +
        `are listed in the check run's findings and in \`docs/rules/\`.\n\n${REPLY_MARKER}`,
    );
  });
});

describe('KNOWN_RULE_IDS', () => {
  it('is the registry plus invalid-suppression', () => {
    expect(KNOWN_RULE_IDS).toEqual([...rules.map((rule) => rule.id), 'invalid-suppression']);
  });
});

describe('explainReply', () => {
  it('shows the page without its title and suppression section, sections in a fixed order', async () => {
    const body = (await explainReply('sourceip-private-range', { docsBaseUri: BASE })) ?? '';
    const lines = body.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '## `sourceip-private-range`',
      '',
      'Severity: **error**.',
      '',
      '### What it finds',
    ]);
    expect(lines.filter((line) => line.startsWith('#'))).toEqual([
      '## `sourceip-private-range`',
      '### What it finds',
      '### Why it matters',
      '### How to fix',
      '### Bad example',
      '### Good example',
    ]);
    expect(body).toContain(
      '### How to fix\n\nIdentify traffic from your network by the endpoint or the VPC instead: ' +
        '`aws:SourceVpce` with the\nendpoint ID,',
    );
    expect(body).not.toContain('How to suppress');
    expect(body).not.toContain('# sourceip-private-range\n');
    expect(
      body.endsWith(
        '\n\nTo accept a finding of this rule on this pull request: ' +
          '`/s3-guard ignore sourceip-private-range <resource> -- <reason>`.\n\n' +
          `Full page: [docs/rules/sourceip-private-range.md](${BASE}docs/rules/sourceip-private-range.md)\n\n` +
          REPLY_MARKER,
      ),
    ).toBe(true);
  });

  it("makes the page's relative links absolute", async () => {
    const body = (await explainReply('unknown-s3-action', { docsBaseUri: BASE })) ?? '';
    expect(body).toContain(`(see [data](${BASE}docs/data.md))`);
    expect(body).not.toContain('](../');
  });

  it('explains invalid-suppression from docs/suppressions.md', async () => {
    const body = (await explainReply('invalid-suppression', { docsBaseUri: BASE })) ?? '';
    expect(body.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '## `invalid-suppression`',
      '### What is reported',
    ]);
    expect(body).toContain(`[\`docs/rules/\`](${BASE}docs/rules/)`);
    expect(body).toContain(`Full page: [docs/suppressions.md](${BASE}docs/suppressions.md)`);
  });

  it('has every section for every rule, within the size limit', async () => {
    for (const rule of rules) {
      const body = (await explainReply(rule.id, { docsBaseUri: BASE })) ?? '';
      expect(
        body.split('\n').filter((line) => /^#{2,3} /.test(line)),
        rule.id,
      ).toEqual([
        `## \`${rule.id}\``,
        '### What it finds',
        '### Why it matters',
        '### How to fix',
        '### Bad example',
        '### Good example',
      ]);
      expect(body.length).toBeLessThanOrEqual(MAX_EXPLAIN_CHARS);
      expect(body.endsWith(REPLY_MARKER)).toBe(true);
    }
  });

  it.each(['no-such-rule', '../../package', 'docs/rules/policy-invalid', 'Policy-Invalid', ''])(
    'is undefined for %j (never a path from user text)',
    async (id) => {
      expect(await explainReply(id, { docsBaseUri: BASE })).toBeUndefined();
    },
  );
});
