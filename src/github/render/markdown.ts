/**
 * Markdown from hostile text. Resource names, file paths, messages that quote template values,
 * suppression reasons and logins all come from the pull request, and GitHub renders whatever
 * we publish: an unescaped `@org/team` pings a team, `<img>` loads a tracker, `org/repo#1`
 * writes a back-reference into someone else's issue, a `|` or a newline breaks a table, and a
 * backtick run closes a code span or fence early. Everything here is pure string work.
 *
 * GitHub states its limits in characters; sizes here are counted in UTF-8 bytes, which is never
 * less than either characters or UTF-16 code units, so a body that fits here fits there.
 */

/** U+200B ZERO WIDTH SPACE: invisible, and it breaks mentions, references and autolinks. */
const ZWSP = '\u200b';

/**
 * Control characters, and the bidirectional overrides that make source look other than it is
 * ("Trojan Source"): replaced, never passed on.
 */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * ASCII punctuation that starts inline Markdown: emphasis, links, code, strikethrough, table
 * cells, and `$` math (IAM values such as `${aws:username}` would otherwise render as LaTeX).
 */
const INLINE_PUNCTUATION = /[\\`*_[\]|~$]/g;

/** Replaces control and bidi-override characters with U+FFFD; keeps `\n` and `\t`. */
export function stripUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '\ufffd').replace(/\r\n?/g, '\n');
}

/**
 * One line of inert Markdown text: renders as the characters given, and nothing more.
 * Newlines become spaces (a newline could start a heading, list, quote or table row).
 */
export function escapeText(text: string): string {
  return (
    stripUnsafe(text)
      .replace(/[\n\t]+/g, ' ')
      // HTML first, so the entities we add are not escaped again.
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(INLINE_PUNCTUATION, (match) => `\\${match}`)
      // Mentions (`@user`, `@org/team`, e-mail autolinks) and issue references (`#1`,
      // `org/repo#1`, `GH-1` needs the `#`-less form only for GitHub's own repositories).
      .replace(/[@#]/g, (match) => `${match}${ZWSP}`)
      // Bare URL autolinks (`https://…`, `www.…`): GitHub links them even without brackets.
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${ZWSP}.`)
      // A line may start with this text: a leading `-`, `+`, `=`, `1.` or `1)` would be a
      // list or a setext underline.
      .replace(
        /^(?:[-+=]|\d{1,9}[.)](?=\s|$))/,
        (match) => `${match.slice(0, -1)}\\${match.slice(-1)}`,
      )
  );
}

/** Text for a table cell: `escapeText` already escapes `|` and removes newlines. */
export function escapeCell(text: string): string {
  const escaped = escapeText(text);
  return escaped.trim() === '' ? ' ' : escaped;
}

/** The longest run of backticks in `text`. */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/**
 * Inline code, with a fence of backticks longer than any run inside, so nothing can close it
 * early. Code spans show HTML, mentions and emphasis literally; newlines become spaces.
 */
export function code(text: string): string {
  const single = stripUnsafe(text).replace(/[\n\t]+/g, ' ');
  if (single === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(single) + 1);
  // A span starting or ending with a backtick needs a space to keep it apart from the fence.
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${single}${pad}${fence}`;
}

/**
 * Inline code inside a table cell: GFM splits cells on `|` before it parses code spans, so the
 * pipe must be backslash-escaped even inside the span (the table parser removes the backslash).
 */
export function codeCell(text: string): string {
  return escapeTablePipes(code(text));
}

/**
 * Makes every `|` in already-rendered inline Markdown (code spans, link labels) part of the
 * cell. GFM's row splitter treats `\\` as an escaped backslash, so a pipe needs an odd run of
 * backslashes before it: one more for an even run (exact), two more for an odd one (the span
 * then shows one extra backslash; safe, and only for values that end in `\|`).
 */
export function escapeTablePipes(markdown: string): string {
  return markdown.replace(/(\\*)\|/g, (_match, slashes: string) =>
    slashes.length % 2 === 0 ? `${slashes}\\|` : `${slashes}\\\\|`,
  );
}

/**
 * A fenced code block (e.g. ```` ```suggestion ````): the fence is longer than any backtick run
 * in the content, so the content cannot end the block.
 */
export function fencedBlock(info: string, content: string): string {
  const body = stripUnsafe(content);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  const newline = body === '' || body.endsWith('\n') ? '' : '\n';
  return `${fence}${info}\n${body}${newline}${fence}`;
}

/** UTF-8 size of a string: the measure every limit here uses (see the header). */
export function sizeOf(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not end inside a
 * surrogate pair or one of the escapes `escapeText` writes (`\x`, `&amp;`, `@` + U+200B), so an
 * escaped string stays inert when cut.
 */
export function safePrefix(text: string, maxBytes: number): string {
  if (sizeOf(text) <= maxBytes) return text;
  // Characters ≤ bytes: start at maxBytes characters and walk back until the bytes fit.
  let end = Math.min(text.length, Math.max(0, maxBytes));
  while (end > 0 && sizeOf(text.slice(0, end)) > maxBytes) {
    const over = sizeOf(text.slice(0, end)) - maxBytes;
    // Each character is at most 3 bytes per UTF-16 unit: step back by at least a third.
    end -= Math.max(1, Math.floor(over / 3));
  }
  return text.slice(0, backOff(text, end));
}

/** Moves a cut point back so it splits no surrogate pair and no escape. */
function backOff(text: string, end: number): number {
  let cut = end;
  // Inside a surrogate pair: the high half would be left alone.
  if (cut > 0 && cut < text.length && isLowSurrogate(text.charCodeAt(cut))) cut--;
  // A mention or reference whose U+200B would be cut off.
  if (cut > 0 && cut < text.length && text[cut] === ZWSP) cut--;
  // Inside an entity: `&am|p;` would leave a bare `&am`.
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 6) {
    const semicolon = text.indexOf(';', amp);
    if (semicolon >= cut) cut = amp;
  }
  // After an odd run of backslashes: the last one would escape whatever follows the cut.
  let slashes = 0;
  while (cut - slashes > 0 && text[cut - slashes - 1] === '\\') slashes++;
  if (slashes % 2 === 1) cut--;
  return cut;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * `text` if it fits in `maxBytes`, else a safe prefix followed by `ellipsis` (the whole result
 * fits). Use on escaped text or on raw text before escaping (both are safe).
 */
export function truncate(text: string, maxBytes: number, ellipsis = '…'): string {
  if (sizeOf(text) <= maxBytes) return text;
  const room = maxBytes - sizeOf(ellipsis);
  if (room <= 0) return safePrefix(ellipsis, maxBytes);
  return `${safePrefix(text, room)}${ellipsis}`;
}

/** `escapeText` of at most `maxChars` characters of the raw text (cut before escaping). */
export function escapeShort(text: string, maxChars: number): string {
  return escapeText(truncateChars(text, maxChars));
}

/** At most `maxChars` UTF-16 units of raw text, never splitting a surrogate pair, with `…`. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = Math.max(0, maxChars - 1);
  if (cut > 0 && isLowSurrogate(text.charCodeAt(cut))) cut--;
  return `${text.slice(0, cut)}…`;
}

/**
 * Joins blocks (paragraphs, table rows…) with `separator` while they fit in `maxBytes`; whole
 * blocks only, so no table row, code fence or escape is ever cut. When some do not fit,
 * `note(omitted)` is appended (the caller reserves room by passing a smaller `maxBytes` if
 * needed; the note is always kept within `maxBytes`).
 */
export function fitBlocks(
  blocks: readonly string[],
  maxBytes: number,
  note: (omitted: number) => string,
  separator = '\n',
): { text: string; omitted: number } {
  const separatorSize = sizeOf(separator);
  let size = 0;
  let count = 0;
  for (const block of blocks) {
    const added = sizeOf(block) + (count > 0 ? separatorSize : 0);
    if (size + added > maxBytes) break;
    size += added;
    count++;
  }
  if (count === blocks.length) return { text: blocks.join(separator), omitted: 0 };
  // Make room for the note by dropping blocks from the end.
  for (;;) {
    const omitted = blocks.length - count;
    const noteText = note(omitted);
    const kept = blocks.slice(0, count);
    const text = [...kept, noteText].join(separator);
    if (sizeOf(text) <= maxBytes || count === 0) {
      return { text: truncate(text, maxBytes), omitted };
    }
    count--;
  }
}
