/**
 * Cross-check of the YAML comment lexer against the `yaml` package's own lexer, on every YAML
 * template of the corpus and fixtures and on hand-written tricky cases: both must find exactly
 * the same comments.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexer } from 'yaml';
import { lexYaml } from '../../../src/findings/suppression/comments.js';

/** The lexer's document, flow-error-end and scalar markers. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/** Offsets of the comments the `yaml` lexer finds (its control tokens are not source text). */
function oracle(text: string): number[] {
  const out: number[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith('#')) out.push(offset);
    if (!CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return out;
}

function yamlFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.(ya?ml|template)$/.test(name) ? [path] : [];
  });
}

const TRICKY = [
  `a: "x # y" # real\nb: 'it''s # no' # real\n`,
  `a: plain#not # real\nb: it's # real\n`,
  `a: !Sub "multi # no\n  line # still no" # real\n`,
  `a: |\n  # content\n  more # content\nb: 1 # real\n`,
  `- key: >- # real\n    folded # no\n  other: x # real\n`,
  `- |\n  # content\n- x # real\n`,
  `a: [1, "#", '#', b#c] # real\nb: {"k":"# no", 'j': x} # real\n`,
  `a: &anchor "# no" # real\nb: *anchor # real\n`,
  `# top\n--- # doc\na: 1\n...\n# end\n`,
  `a:\n  - "x"\n  # between\n  - 'y' # real\n`,
];

describe('YAML comments agree with the yaml package lexer', () => {
  it.each(TRICKY.map((text, i) => ({ i, text })))('tricky case $i', ({ text }) => {
    expect(lexYaml(text).comments.map((c) => c.start)).toEqual(oracle(text));
  });

  it('on every YAML template of the corpus and the fixtures', () => {
    const files = [
      ...yamlFiles(join('..', 'shared', 'corpus', 'files')),
      ...yamlFiles('examples'),
      ...yamlFiles(join('test', 'iac', 'cloudformation', 'fixtures')),
    ];
    let comments = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.trimStart().startsWith('{')) continue;
      const expected = oracle(text);
      comments += expected.length;
      expect({ file, starts: lexYaml(text).comments.map((c) => c.start) }).toEqual({
        file,
        starts: expected,
      });
    }
    expect(comments).toBeGreaterThan(0);
  });
});
