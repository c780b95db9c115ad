import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/github/commands/replies.js';

const DOC = new URL('../../../docs/commands.md', import.meta.url);
const START = '<!-- help:start -->\n';
const END = '\n<!-- help:end -->';

/** The text of docs/commands.md between the help markers. */
function documentedHelp(): string {
  const doc = readFileSync(DOC, 'utf8').replace(/\r\n/g, '\n');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error('docs/commands.md lost its help markers');
  return doc.slice(start + START.length, end);
}

describe('/s3-guard help and docs/commands.md', () => {
  it('say the same, word for word', () => {
    const documented = documentedHelp();
    const help = helpText();
    if (documented !== help) {
      const lines = { doc: documented.split('\n'), code: help.split('\n') };
      const at = lines.doc.findIndex((line, index) => line !== lines.code[index]);
      const line = at < 0 ? Math.min(lines.doc.length, lines.code.length) : at;
      expect.fail(
        'docs/commands.md (between <!-- help:start --> and <!-- help:end -->) differs from ' +
          `HELP_TEXT in src/github/commands/help.ts at line ${line + 1}:\n` +
          `  docs: ${JSON.stringify(lines.doc[line])}\n  code: ${JSON.stringify(lines.code[line])}\n` +
          'Edit one and copy it to the other (the help text is the source the app answers with).',
      );
    }
    expect(documented).toBe(help);
  });

  it('lists every command with its syntax and the acknowledgement protocol', () => {
    const help = helpText();
    for (const syntax of [
      '`/s3-guard recheck`',
      '`/s3-guard explain <rule-id>`',
      '`/s3-guard ignore <rule-id> <resource> -- <reason>`',
      '`/s3-guard unignore <rule-id> <resource>`',
      '`/s3-guard help`',
      '`commands.ignore.allow`',
      '👀',
      '🚀',
      '😕',
    ]) {
      expect(help, syntax).toContain(syntax);
    }
  });
});
