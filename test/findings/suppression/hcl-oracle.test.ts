/**
 * Cross-check of the HCL comment lexer with HashiCorp's parser (`hcl2-parser`): blanking every
 * comment the lexer finds must leave a file that parses to the same value. A lexer that took
 * part of a string or heredoc for a comment would change the value or break the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lexHcl } from '../../../src/findings/suppression/comments.js';

const require = createRequire(import.meta.url);
const hcl2 = require('hcl2-parser') as { parseToObject: (text: string) => [unknown, unknown] };

function tfFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return tfFiles(path);
    return name.endsWith('.tf') ? [path] : [];
  });
}

/**
 * hcl2-parser returns a multi-line expression as its source text, comments included, so those
 * (where comments may legitimately sit) are compared only for being present.
 */
function comparable(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.startsWith('${') && value.includes('\n') ? '<multi-line expression>' : value;
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}

/** The text with each comment replaced by spaces (line breaks kept). */
function blankComments(text: string): string {
  let out = text;
  for (const c of lexHcl(text).comments) {
    const blank = text.slice(c.start, c.end).replace(/[^\n]/g, ' ');
    out = out.slice(0, c.start) + blank + out.slice(c.end);
  }
  return out;
}

const TRICKY = [
  'a = "# no // no /* no */" # yes\n',
  'b = "${var.x == "#" ? "//" : "/*"}" // yes\n',
  'c = <<-EOT\n  # no\n  // no\n  EOT\n/* yes */\n',
  'd = "$${x} # no" /* yes\n spanning */\n',
  'e = { k = "#" } # yes\n',
];

describe('HCL comments agree with hcl2-parser', () => {
  it.each(TRICKY.map((text, i) => ({ i, text })))('tricky case $i', ({ text }) => {
    const [original] = hcl2.parseToObject(text);
    expect(original).toBeTruthy();
    expect(hcl2.parseToObject(blankComments(text))[0]).toEqual(original);
    expect(lexHcl(text).comments.map((c) => c.text.trim())).toEqual(
      text.includes('spanning') ? ['yes\n spanning'] : ['yes'],
    );
  });

  it('on every Terraform file of the corpus and the fixtures', () => {
    const files = [
      ...tfFiles(join('..', 'shared', 'corpus', 'files')),
      ...tfFiles('examples'),
      ...tfFiles(join('test', 'iac', 'terraform', 'fixtures')),
    ];
    let comments = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const [original, error] = hcl2.parseToObject(text);
      if (error) continue;
      comments += lexHcl(text).comments.length;
      expect({ file, value: comparable(hcl2.parseToObject(blankComments(text))[0]) }).toEqual({
        file,
        value: comparable(original),
      });
    }
    expect(comments).toBeGreaterThan(0);
  });
});
