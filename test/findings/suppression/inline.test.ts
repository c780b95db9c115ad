import { describe, expect, it } from 'vitest';
import { parseInlineSuppressions } from '../../../src/findings/suppression/inline.js';

/** `[rule, reason, comment line, anchor line]` per suppression, for compact expectations. */
function parsed(file: string, text: string): [string, string | undefined, number, number][] {
  return parseInlineSuppressions(file, text).map((s) => [
    s.rule,
    s.reason,
    s.range.startLine,
    s.anchorLine,
  ]);
}

const M = 's3-endpoint-guard:ignore';

describe('YAML comments', () => {
  it('a trailing comment applies to its own line, a comment above to the next code line', () => {
    const text = [
      'Resources:', // 1
      `  # ${M} rule-a accepted for the lab`, // 2
      '', // 3
      '  # another comment', // 4
      '  Endpoint:', // 5
      `    Type: AWS::EC2::VPCEndpoint # ${M} rule-b vendor bucket`, // 6
    ].join('\n');
    expect(parsed('t.yaml', text)).toEqual([
      ['rule-a', 'accepted for the lab', 2, 5],
      ['rule-b', 'vendor bucket', 6, 6],
    ]);
  });

  it('gives the comment range and accepts several comma-separated ids', () => {
    const text = `a: 1 # ${M} rule-a, rule-b,rule-c  shared reason  \n`;
    const all = parseInlineSuppressions('t.yml', text);
    expect(all.map((s) => [s.rule, s.reason])).toEqual([
      ['rule-a', 'shared reason'],
      ['rule-b', 'shared reason'],
      ['rule-c', 'shared reason'],
    ]);
    expect(all[0]?.range).toEqual({
      file: 't.yml',
      startLine: 1,
      startColumn: 6,
      endLine: 1,
      endColumn: text.length,
    });
  });

  it('reads a missing reason as undefined and a missing rule as empty', () => {
    expect(parsed('t.yaml', `a: 1 # ${M} rule-a\nb: 2 # ${M}\n`)).toEqual([
      ['rule-a', undefined, 1, 1],
      ['', undefined, 2, 2],
    ]);
  });

  it('ignores other markers and text that only looks like the marker', () => {
    expect(parsed('t.yaml', `a: 1 # ${M}d rule-a x\nb: 2 # see ${M} rule-a x\n`)).toEqual([]);
  });

  it('does not read comments inside quoted scalars, block scalars or plain scalars', () => {
    const text = [
      `a: "x # ${M} rule-a in double quotes"`, // 1
      `b: 'it''s # ${M} rule-a in single quotes'`, // 2
      `c: !Sub "multi # ${M} rule-a`, // 3
      `   line # ${M} rule-a"`, // 4
      `d: |`, // 5
      `  {"Sid": "# ${M} rule-a json"}`, // 6
      `  # ${M} rule-a still content`, // 7
      `e: plain#${M} rule-a`, // 8
      `f: it's # ${M} rule-real after a plain scalar`, // 9
      `g: ['#', "# ${M} rule-a", x] # ${M} rule-flow after flow`, // 10
      `h: {"k":"# ${M} rule-a"}`, // 11
    ].join('\n');
    expect(parsed('t.yaml', text)).toEqual([
      ['rule-real', 'after a plain scalar', 9, 9],
      ['rule-flow', 'after flow', 10, 10],
    ]);
  });

  it('ends a block scalar at the parent indentation, so later comments count', () => {
    const text = [
      'Resources:', // 1
      '  Doc:', // 2
      '    - Fn::Sub: |', // 3
      '        { "a": "# not a comment" }', // 4
      `      # ${M} rule-a sibling key`, // 5
      '      Other: x', // 6
      `  PolicyDocument: > # ${M} rule-b header comment`, // 7
      '    folded', // 8
    ].join('\n');
    expect(parsed('t.yaml', text)).toEqual([
      ['rule-a', 'sibling key', 5, 6],
      ['rule-b', 'header comment', 7, 7],
    ]);
  });

  it('reads nothing from JSON templates', () => {
    const json = `{"Resources": {"A": {"Type": "x"}}}\n# ${M} rule-a x`;
    expect(parsed('t.json', json)).toEqual([]);
    expect(parsed('t.template', json)).toEqual([]);
    expect(parsed('main.tf.json', json)).toEqual([]);
  });

  it('anchors a comment with no code after it past the end of the file', () => {
    expect(parsed('t.yaml', `a: 1\n# ${M} rule-a x\n`)).toEqual([['rule-a', 'x', 2, 4]]);
  });
});

describe('HCL comments', () => {
  it('reads #, // and /* */ comments, trailing or above code', () => {
    const text = [
      `# ${M} rule-a hash above`, // 1
      `// ${M} rule-b slashes above`, // 2
      'resource "aws_vpc_endpoint" "s3" {', // 3
      `  vpc_id = "x" // ${M} rule-c trailing`, // 4
      `  /* ${M} rule-d block`, // 5
      '     spanning lines */', // 6
      '  service_name = "s3"', // 7
      `  /* ${M} rule-e inline */ policy = "p"`, // 8
      '}', // 9
    ].join('\n');
    expect(parsed('main.tf', text)).toEqual([
      ['rule-a', 'hash above', 1, 3],
      ['rule-b', 'slashes above', 2, 3],
      ['rule-c', 'trailing', 4, 4],
      ['rule-d', 'block spanning lines', 5, 7],
      ['rule-e', 'inline', 8, 8],
    ]);
  });

  it('does not read comments inside strings, interpolations or heredocs', () => {
    const text = [
      `a = "# ${M} rule-a // ${M} rule-a"`, // 1
      `b = "\\"# ${M} rule-a"`, // 2
      `c = "\${var.x == "#" ? "//" : "/*"} # ${M} rule-a"`, // 3
      'd = <<-EOT', // 4
      `  # ${M} rule-a in heredoc`, // 5
      `  // ${M} rule-a in heredoc`, // 6
      '  EOT', // 7
      `e = "$\${not} # ${M} rule-a"`, // 8
      `f = jsonencode({ Sid = "#x" }) # ${M} rule-real after strings`, // 9
    ].join('\n');
    expect(parsed('main.tf', text)).toEqual([['rule-real', 'after strings', 9, 9]]);
  });

  it('recovers from an unclosed string at the end of its line', () => {
    expect(parsed('main.tf', `a = "open\nb = 1 # ${M} rule-a x\n`)).toEqual([
      ['rule-a', 'x', 2, 2],
    ]);
  });
});
