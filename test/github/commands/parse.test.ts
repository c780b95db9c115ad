import { describe, expect, it } from 'vitest';
import { parseCommands } from '../../../src/github/commands/parse.js';
import { MAX_COMMANDS_PER_COMMENT, type Command } from '../../../src/github/commands/types.js';

const IGNORE_USAGE = '`/s3-guard ignore <rule-id> <resource> -- <reason>`';

function invalid(text: string, problem: string): Command {
  return { kind: 'invalid', text, problem };
}

describe('parseCommands', () => {
  const cases: readonly (readonly [string, string, readonly Command[]])[] = [
    ['no command', 'LGTM, thanks!', []],
    ['empty body', '', []],
    ['recheck', '/s3-guard recheck', [{ kind: 'recheck' }]],
    ['help', '/s3-guard help', [{ kind: 'help' }]],
    ['prefix alone is help', '/s3-guard', [{ kind: 'help' }]],
    ['prefix alone with trailing spaces', '/s3-guard   \t', [{ kind: 'help' }]],
    ['case-insensitive command word', '/s3-guard ReCheck', [{ kind: 'recheck' }]],
    ['case-insensitive prefix', '/S3-Guard HELP', [{ kind: 'help' }]],
    ['leading spaces and tabs', '   \t/s3-guard recheck', [{ kind: 'recheck' }]],
    ['several spaces between words', '/s3-guard    recheck   ', [{ kind: 'recheck' }]],
    ['/s3-guardian is not a command', '/s3-guardian recheck', []],
    ['/s3-guard-x is not a command', '/s3-guard-x recheck', []],
    ['prefix not at line start', 'please /s3-guard recheck', []],
    [
      'explain',
      '/s3-guard explain sourceip-private-range',
      [{ kind: 'explain', rule: 'sourceip-private-range' }],
    ],
    [
      'explain keeps case',
      '/s3-guard EXPLAIN Policy-Invalid',
      [{ kind: 'explain', rule: 'Policy-Invalid' }],
    ],
    [
      'explain without id',
      '/s3-guard explain',
      [invalid('/s3-guard explain', '`explain` takes one rule id: `/s3-guard explain <rule-id>`.')],
    ],
    [
      'explain with two ids',
      '/s3-guard explain a b',
      [
        invalid(
          '/s3-guard explain a b',
          '`explain` takes one rule id: `/s3-guard explain <rule-id>`.',
        ),
      ],
    ],
    [
      'explain with a non-kebab id',
      '/s3-guard explain foo_bar',
      [
        invalid(
          '/s3-guard explain foo_bar',
          '`foo_bar` is not a rule id (rule ids look like `sourceip-deny-blocks-endpoint`).',
        ),
      ],
    ],
    [
      'ignore, CloudFormation logical id',
      '/s3-guard ignore endpoint-policy-full-access S3Endpoint -- temporary, removed in JIRA-12',
      [
        {
          kind: 'ignore',
          rule: 'endpoint-policy-full-access',
          resource: 'S3Endpoint',
          reason: 'temporary, removed in JIRA-12',
        },
      ],
    ],
    [
      'ignore, Terraform module address with a key',
      '/s3-guard ignore endpoint-cross-region module.net.aws_vpc_endpoint.s3["a"] -- the peer Region is intended',
      [
        {
          kind: 'ignore',
          rule: 'endpoint-cross-region',
          resource: 'module.net.aws_vpc_endpoint.s3["a"]',
          reason: 'the peer Region is intended',
        },
      ],
    ],
    [
      'ignore, data source; reason keeps inner dashes and spacing',
      '/s3-guard ignore unknown-s3-action data.aws_iam_policy_document.x --  new -- action,  GA soon  ',
      [
        {
          kind: 'ignore',
          rule: 'unknown-s3-action',
          resource: 'data.aws_iam_policy_document.x',
          reason: 'new -- action,  GA soon',
        },
      ],
    ],
    [
      'ignore without --',
      '/s3-guard ignore policy-invalid S3Endpoint because',
      [
        invalid(
          '/s3-guard ignore policy-invalid S3Endpoint because',
          `\`ignore\` needs a reason after \`--\`: ${IGNORE_USAGE}.`,
        ),
      ],
    ],
    [
      'ignore with -- glued to the reason',
      '/s3-guard ignore policy-invalid S3Endpoint --because',
      [
        invalid(
          '/s3-guard ignore policy-invalid S3Endpoint --because',
          `\`ignore\` needs a reason after \`--\`: ${IGNORE_USAGE}.`,
        ),
      ],
    ],
    [
      'ignore with an empty reason',
      '/s3-guard ignore policy-invalid S3Endpoint --   ',
      [
        invalid(
          '/s3-guard ignore policy-invalid S3Endpoint --',
          `\`ignore\` needs a reason after \`--\`: ${IGNORE_USAGE}.`,
        ),
      ],
    ],
    [
      'ignore without a resource',
      '/s3-guard ignore policy-invalid -- fine',
      [
        invalid(
          '/s3-guard ignore policy-invalid -- fine',
          `\`ignore\` takes a rule id and one resource before \`--\`: ${IGNORE_USAGE}.`,
        ),
      ],
    ],
    [
      'ignore with two resources',
      '/s3-guard ignore policy-invalid A B -- fine',
      [
        invalid(
          '/s3-guard ignore policy-invalid A B -- fine',
          `\`ignore\` takes a rule id and one resource before \`--\`: ${IGNORE_USAGE}.`,
        ),
      ],
    ],
    [
      'unignore',
      '/s3-guard unignore policy-invalid aws_vpc_endpoint.s3',
      [{ kind: 'unignore', rule: 'policy-invalid', resource: 'aws_vpc_endpoint.s3' }],
    ],
    [
      'unignore with a reason',
      '/s3-guard unignore policy-invalid S3Endpoint -- oops',
      [
        invalid(
          '/s3-guard unignore policy-invalid S3Endpoint -- oops',
          '`unignore` takes a rule id and one resource: `/s3-guard unignore <rule-id> <resource>`.',
        ),
      ],
    ],
    [
      'recheck with arguments',
      '/s3-guard recheck now please',
      [invalid('/s3-guard recheck now please', '`recheck` takes no arguments.')],
    ],
    [
      'help with arguments',
      '/s3-guard help ignore',
      [invalid('/s3-guard help ignore', '`help` takes no arguments.')],
    ],
    ['unknown word', '/s3-guard foo', [invalid('/s3-guard foo', 'Unknown command `foo`.')]],
    [
      'unknown word with backticks stays one inert code span',
      '/s3-guard a`b',
      [invalid('/s3-guard a`b', 'Unknown command ``a`b``.')],
    ],
    [
      'unknown word with a mention',
      '/s3-guard @org/team',
      [invalid('/s3-guard @org/team', 'Unknown command `@org/team`.')],
    ],
    [
      'CRLF line endings',
      'Please:\r\n/s3-guard recheck\r\n/s3-guard explain policy-invalid\r\n',
      [{ kind: 'recheck' }, { kind: 'explain', rule: 'policy-invalid' }],
    ],
    [
      'commands anywhere in the comment, in order',
      'Thanks.\n\n/s3-guard explain policy-invalid\nsome text\n  /s3-guard recheck',
      [{ kind: 'explain', rule: 'policy-invalid' }, { kind: 'recheck' }],
    ],
    ['backtick fence', '```\n/s3-guard recheck\n```\n/s3-guard help', [{ kind: 'help' }]],
    [
      'tilde fence with info string',
      '~~~text\n/s3-guard recheck\n~~~\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    [
      'a shorter fence does not close a longer one',
      '````\n/s3-guard recheck\n```\n/s3-guard ignore a b -- c\n````\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    [
      'a tilde line does not close a backtick fence',
      '```\n~~~\n/s3-guard recheck\n```\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    [
      'a fence indented inside a list item',
      '- step one\n\n      ```\n      /s3-guard recheck\n      ```\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    ['an unclosed fence runs to the end', '```\n/s3-guard recheck', []],
    [
      'inline code on one line is not a fence',
      '```/s3-guard recheck``` then\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    [
      'quote-reply of a command',
      '> /s3-guard ignore policy-invalid S3Endpoint -- fine\n\nI disagree.',
      [],
    ],
    ['nested quote', '>> /s3-guard recheck\n\n/s3-guard help', [{ kind: 'help' }]],
    [
      'lazy continuation of a quote is quoted',
      '> earlier text\n/s3-guard recheck\n\n/s3-guard help',
      [{ kind: 'help' }],
    ],
    [
      'Unicode in the reason, kept as written',
      '/s3-guard ignore policy-invalid S3Endpoint -- geprüft ✅ 🚀 by the 网络 team',
      [
        {
          kind: 'ignore',
          rule: 'policy-invalid',
          resource: 'S3Endpoint',
          reason: 'geprüft ✅ 🚀 by the 网络 team',
        },
      ],
    ],
    [
      'Unicode spaces separate words',
      '/s3-guard\u00a0explain\u3000policy-invalid',
      [{ kind: 'explain', rule: 'policy-invalid' }],
    ],
  ];

  it.each(cases)('%s', (_name, body, expected) => {
    expect(parseCommands(body)).toEqual(expected);
  });

  it('reads at most MAX_COMMANDS_PER_COMMENT commands', () => {
    const body = Array.from({ length: 25 }, (_, i) => `/s3-guard explain rule-${i}`).join('\n');
    expect(parseCommands(body)).toEqual(
      Array.from({ length: MAX_COMMANDS_PER_COMMENT }, (_, i) => ({
        kind: 'explain',
        rule: `rule-${i}`,
      })),
    );
  });

  it('accepts a reason of 500 characters and refuses 501 (code points, not UTF-16 units)', () => {
    const ok = '🚀'.repeat(500);
    expect(parseCommands(`/s3-guard ignore policy-invalid S -- ${ok}`)).toEqual([
      { kind: 'ignore', rule: 'policy-invalid', resource: 'S', reason: ok },
    ]);
    const line = `/s3-guard ignore policy-invalid S -- ${'x'.repeat(501)}`;
    expect(parseCommands(line)).toEqual([
      invalid(line, 'The reason may be at most 500 characters long.'),
    ]);
  });

  it('refuses a command line over 2,000 characters, quoting only its start', () => {
    // 38 ASCII units, then 🚀 (2 units each): unit 1,999 is the low half of a 🚀, kept whole.
    const line = `/s3-guard ignore policy-invalid SS -- ${'🚀'.repeat(2_000)}`;
    expect(parseCommands(line)).toEqual([
      invalid(`${line.slice(0, 1_998)}…`, 'A command line may be at most 2000 characters long.'),
    ]);
  });

  it('refuses a rule id over 100 characters', () => {
    const rule = 'a'.repeat(101);
    expect(parseCommands(`/s3-guard explain ${rule}`)).toEqual([
      invalid(
        `/s3-guard explain ${rule}`,
        `\`${'a'.repeat(39)}…\` is not a rule id (rule ids look like \`sourceip-deny-blocks-endpoint\`).`,
      ),
    ]);
  });

  it('reads only the first 64 KB of a body', () => {
    const filler = 'x'.repeat(65_536 - 1);
    expect(parseCommands(`${filler}\n/s3-guard recheck`)).toEqual([]);
    expect(parseCommands(`/s3-guard help\n${filler}\n/s3-guard recheck`)).toEqual([
      { kind: 'help' },
    ]);
  });

  it('handles hostile sizes in linear time', () => {
    const started = performance.now();
    parseCommands(`/s3-guard ignore a b -- ${' '.repeat(60_000)}x`);
    parseCommands('/s3-guard ' + ' \t'.repeat(30_000) + 'recheck');
    parseCommands('```\n'.repeat(16_000));
    parseCommands('/s3-guard ignore a b' + ' --x'.repeat(16_000));
    parseCommands('>\n'.repeat(30_000));
    parseCommands(`\`\`\`\n${' \t'.repeat(20_000)}${'`'.repeat(20_000)}x`);
    parseCommands(`${' '.repeat(40_000)}${'~'.repeat(20_000)}`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
