import { describe, expect, it } from 'vitest';
import {
  code,
  codeCell,
  escapeCell,
  escapeText,
  fencedBlock,
  fitBlocks,
  safePrefix,
  sizeOf,
  truncate,
  truncateChars,
} from '../../../src/github/render/markdown.js';

const ZWSP = '\u200b';

describe('escapeText', () => {
  it('breaks mentions of users and teams', () => {
    expect(escapeText('@octocat and @org/team')).toBe(`@${ZWSP}octocat and @${ZWSP}org/team`);
  });

  it('breaks issue references and e-mail autolinks', () => {
    expect(escapeText('see org/repo#12')).toBe(`see org/repo#${ZWSP}12`);
    expect(escapeText('a@b.com')).toBe(`a@${ZWSP}b.com`);
  });

  it('escapes HTML', () => {
    expect(escapeText('<img src=x onerror=alert(1)> & co')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; co',
    );
  });

  it('escapes links and images', () => {
    expect(escapeText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(escapeText('![i](https://evil/p.png)')).toBe(`!\\[i\\](https:${ZWSP}//evil/p.png)`);
  });

  it('breaks bare URL autolinks', () => {
    expect(escapeText('https://evil.example/x')).toBe(`https:${ZWSP}//evil.example/x`);
    expect(escapeText('go to www.evil.example')).toBe(`go to www${ZWSP}.evil.example`);
  });

  it('escapes emphasis, code, tables, strikethrough and math', () => {
    expect(escapeText('*a* _b_ `c` |d| ~e~ ${aws:username} \\')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\|d\\| \\~e\\~ \\${aws:username} \\\\',
    );
  });

  it('turns newlines into spaces so nothing starts a heading, list or quote', () => {
    expect(escapeText('a\n# Heading\n> quote\r\n- item')).toBe(
      `a #${ZWSP} Heading &gt; quote - item`,
    );
  });

  it('escapes a leading list or heading marker', () => {
    expect(escapeText('# title')).toBe(`#${ZWSP} title`);
    expect(escapeText('- item')).toBe('\\- item');
    expect(escapeText('1. item')).toBe('1\\. item');
    expect(escapeText('= underline')).toBe('\\= underline');
  });

  it('replaces control characters and bidi overrides', () => {
    expect(escapeText('a\u0000b\u001b[31mc\u202ed')).toBe('a\ufffdb\ufffd\\[31mc\ufffdd');
  });
});

describe('escapeCell', () => {
  it('keeps a table row intact', () => {
    const cell = escapeCell('a|b\nc');
    expect(cell).toBe('a\\|b c');
    expect(cell).not.toContain('\n');
  });

  it('never leaves a cell empty', () => {
    expect(escapeCell('')).toBe(' ');
  });
});

describe('code', () => {
  it('uses a fence longer than any backtick run', () => {
    expect(code('a``b')).toBe('```a``b```');
    expect(code('plain')).toBe('`plain`');
  });

  it('pads a span that starts or ends with a backtick', () => {
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it('keeps one line', () => {
    expect(code('a\nb')).toBe('`a b`');
    expect(code('')).toBe('` `');
  });

  it('escapes pipes in table cells', () => {
    expect(codeCell('a|b')).toBe('`a\\|b`');
  });

  it('keeps a pipe after backslashes inside the cell', () => {
    // GFM splits a row at a pipe preceded by an even run of backslashes.
    expect(codeCell('a\\|b')).toBe('`a\\\\\\|b`');
    expect(codeCell('a\\\\|b')).toBe('`a\\\\\\|b`');
    expect(escapeCell('a\\|b')).toBe('a\\\\\\|b');
  });
});

describe('fencedBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    const block = fencedBlock('suggestion', 'a\n````\nb');
    expect(block).toBe('`````suggestion\na\n````\nb\n`````');
  });

  it('uses three backticks at least', () => {
    expect(fencedBlock('text', 'x\n')).toBe('```text\nx\n```');
  });
});

describe('truncation', () => {
  it('never splits a surrogate pair', () => {
    const text = 'ab😀cd';
    // 'ab' = 2 bytes, the emoji = 4 bytes.
    expect(safePrefix(text, 5)).toBe('ab');
    expect(safePrefix(text, 6)).toBe('ab😀');
    expect(truncateChars('ab😀cd', 4)).toBe('ab…');
  });

  it('never cuts inside an entity, a backslash escape or a mention break', () => {
    const escaped = escapeText('x<y');
    expect(escaped).toBe('x&lt;y');
    for (let bytes = 0; bytes < sizeOf(escaped); bytes++) {
      const prefix = safePrefix(escaped, bytes);
      expect(['', 'x', 'x&lt;']).toContain(prefix);
    }
    expect(safePrefix(escapeText('a|b'), 2)).toBe('a');
    expect(safePrefix(escapeText('a@b'), 2)).toBe('a');
  });

  it('fits the ellipsis in the limit', () => {
    const result = truncate('x'.repeat(100), 10);
    expect(sizeOf(result)).toBeLessThanOrEqual(10);
    expect(result.endsWith('…')).toBe(true);
  });

  it('keeps whole blocks and says how many were left out', () => {
    const blocks = Array.from({ length: 100 }, (_, i) => `row ${i}`);
    const { text, omitted } = fitBlocks(blocks, 60, (n) => `${n} more`);
    expect(sizeOf(text)).toBeLessThanOrEqual(60);
    expect(omitted).toBeGreaterThan(0);
    expect(text.endsWith(`${omitted} more`)).toBe(true);
    const rows = text.split('\n').slice(0, -1);
    expect(rows).toEqual(blocks.slice(0, rows.length));
  });
});
