/**
 * Real comments of a YAML or HCL file, found by a small lexer per format. A suppression must
 * never be read from inside a string: a `#` in a quoted YAML scalar, a JSON policy in a block
 * scalar, or a `//` in an HCL string or heredoc is data, not a comment. The lexers only track
 * what decides that (quoting, block scalars, heredocs, template interpolation); they do not
 * validate the file — the adapters' parsers do.
 */

export interface Comment {
  /** The comment's text without its markers (`#`, `//`, `/*`, `*\/`). */
  readonly text: string;
  /** Offsets into the file text, `end` exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface Lexed {
  readonly comments: readonly Comment[];
  /** 0-based offsets [start, end) of everything that is not a comment or whitespace. */
  readonly code: readonly (readonly [number, number])[];
}

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\r';
const isBreak = (ch: string | undefined): boolean => ch === '\n' || ch === undefined;

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Offset of the start of the line containing `offset`. */
function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lexYaml(text: string): Lexed {
  const comments: Comment[] = [];
  const code: [number, number][] = [];
  let i = 0;
  let flowDepth = 0;
  // At the start of a node: a quote here opens a quoted scalar, `|`/`>` a block scalar.
  let expectNode = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      i++;
      expectNode = true;
      continue;
    }
    if (isSpace(ch)) {
      i++;
      continue;
    }
    // `#` starts a comment only at a line start or after whitespace (`a#b` is a plain scalar).
    if (ch === '#' && (i === 0 || /[\s]/.test(text[i - 1] ?? ''))) {
      const end = lineEnd(text, i);
      comments.push({ text: text.slice(i + 1, end), start: i, end });
      i = end;
      continue;
    }
    if (expectNode && (ch === '"' || ch === "'")) {
      const end = quotedEnd(text, i);
      code.push([i, end]);
      i = end;
      expectNode = false;
      continue;
    }
    if (expectNode && flowDepth === 0 && (ch === '|' || ch === '>')) {
      i = blockScalar(text, i, comments, code);
      expectNode = true;
      continue;
    }
    const next = text[i + 1];
    if (ch === '[' || ch === '{') {
      flowDepth++;
      expectNode = true;
    } else if (ch === ']' || ch === '}') {
      flowDepth = Math.max(0, flowDepth - 1);
      expectNode = false;
    } else if (ch === ',' && flowDepth > 0) {
      expectNode = true;
    } else if (ch === ':' && (isSpace(next) || isBreak(next) || jsonKeyEnd(text, i, flowDepth))) {
      expectNode = true;
    } else if ((ch === '-' || ch === '?') && expectNode && (isSpace(next) || isBreak(next))) {
      expectNode = true;
    } else if ((ch === '!' || ch === '&') && expectNode) {
      // A tag or an anchor: the node itself follows.
      let j = i;
      while (j < text.length && !/[\s]/.test(text[j] ?? '')) j++;
      code.push([i, j]);
      i = j;
      continue;
    } else {
      expectNode = false;
    }
    code.push([i, i + 1]);
    i++;
  }
  return { comments, code };
}

/** `"key":value` in flow (JSON) style: a `:` right after a quoted key starts a value. */
function jsonKeyEnd(text: string, colon: number, flowDepth: number): boolean {
  const previous = text[colon - 1];
  return flowDepth > 0 && (previous === '"' || previous === "'");
}

/** End (exclusive) of the quoted scalar opening at `start`; quoted scalars may span lines. */
function quotedEnd(text: string, start: number): number {
  const quote = text[start];
  let j = start + 1;
  while (j < text.length) {
    const c = text[j];
    if (quote === '"' && c === '\\') {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

/**
 * A literal or folded block scalar whose header starts at `start`: the header may carry a
 * comment; the content (lines indented deeper than the node's parent) is code, whatever it
 * holds. Returns the offset of the line break ending the scalar.
 */
function blockScalar(
  text: string,
  start: number,
  comments: Comment[],
  code: [number, number][],
): number {
  const headerEnd = lineEnd(text, start);
  const hash = text.slice(start, headerEnd).search(/\s#/);
  if (hash >= 0) {
    const at = start + hash + 1;
    comments.push({ text: text.slice(at + 1, headerEnd), start: at, end: headerEnd });
    code.push([start, start + hash]);
  } else {
    code.push([start, headerEnd]);
  }
  const parentIndent = parentIndentOf(text, start);
  let contentIndent: number | undefined;
  let pos = headerEnd;
  while (pos < text.length) {
    const from = pos + 1;
    const to = lineEnd(text, from);
    const line = text.slice(from, to);
    if (line.trim() === '') {
      pos = to;
      continue;
    }
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    contentIndent ??= indent;
    if (indent <= parentIndent || indent < contentIndent) break;
    code.push([from + indent, to]);
    pos = to;
  }
  return pos;
}

/**
 * The indentation a block scalar's content must exceed: the column of the mapping key on the
 * header line (`  Key: |` → 2, `- Key: |` → 2), or of the `-` when the scalar is a sequence
 * item itself (`  - |` → 2).
 */
function parentIndentOf(text: string, headerStart: number): number {
  const from = lineStartOf(text, headerStart);
  const before = text.slice(from, headerStart);
  const dashes = /^((?:\s*-\s+)*)/.exec(before)?.[1] ?? '';
  if (before.slice(dashes.length).trim() === '') {
    const lastDash = dashes.lastIndexOf('-');
    return lastDash < 0 ? (/^ */.exec(before)?.[0].length ?? 0) : lastDash;
  }
  return dashes.length;
}

interface HclFrame {
  readonly kind: 'expr' | 'string';
  /** Unclosed `{` inside an interpolation; its closing `}` returns to the string. */
  braces: number;
  readonly interpolation: boolean;
}

export function lexHcl(text: string): Lexed {
  const comments: Comment[] = [];
  const code: [number, number][] = [];
  const stack: HclFrame[] = [{ kind: 'expr', braces: 0, interpolation: false }];
  let i = 0;
  while (i < text.length) {
    const frame = stack[stack.length - 1] ?? { kind: 'expr', braces: 0, interpolation: false };
    const ch = text[i];
    const next = text[i + 1];
    if (frame.kind === 'string') {
      if (ch === '\n') {
        // HCL strings are single-line: an unclosed quote ends here, so the next line lexes.
        stack.pop();
        continue;
      }
      let width = 1;
      if (ch === '\\') width = 2;
      else if ((ch === '$' || ch === '%') && next === ch && text[i + 2] === '{') width = 3;
      else if ((ch === '$' || ch === '%') && next === '{') {
        stack.push({ kind: 'expr', braces: 0, interpolation: true });
        width = 2;
      } else if (ch === '"') stack.pop();
      code.push([i, Math.min(i + width, text.length)]);
      i += width;
      continue;
    }
    if (ch === '\n' || isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '#' || (ch === '/' && next === '/')) {
      const end = lineEnd(text, i);
      comments.push({ text: text.slice(i + (ch === '#' ? 1 : 2), end), start: i, end });
      i = end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      comments.push({ text: text.slice(i + 2, close < 0 ? end : close), start: i, end });
      i = end;
      continue;
    }
    const heredoc = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t\r]*\n/.exec(text.slice(i, i + 256));
    if (heredoc) {
      const end = heredocEnd(text, i + heredoc[0].length, heredoc[2] ?? '');
      code.push([i, end]);
      i = end;
      continue;
    }
    if (ch === '"') stack.push({ kind: 'string', braces: 0, interpolation: false });
    else if (ch === '{') frame.braces++;
    else if (ch === '}') {
      if (frame.braces === 0 && frame.interpolation) stack.pop();
      else frame.braces = Math.max(0, frame.braces - 1);
    }
    code.push([i, i + 1]);
    i++;
  }
  return { comments, code };
}

/** End of a heredoc body starting at `from`: the end of the line holding only its marker. */
function heredocEnd(text: string, from: number, marker: string): number {
  let pos = from;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    if (text.slice(pos, end).trim() === marker) return end;
    pos = end + 1;
  }
  return text.length;
}
