/**
 * Inline suppression comments: `# s3-endpoint-guard:ignore <rule-id>[,<rule-id>…] <reason>` in
 * YAML and HCL (also `//` and `/* … *\/` in HCL). A comment after code applies to its own line;
 * a comment on its own line (or a run of comment lines) applies to the next line of code.
 */
import type { SourceRange } from '../../core/range.js';
import { positionAt, rangeBetween, sourceText } from '../../iac/source-text.js';
import type { Comment, Lexed } from './comments.js';
import { lexHcl, lexYaml } from './comments.js';

export const INLINE_MARKER = 's3-endpoint-guard:ignore';

export interface InlineSuppression {
  /** Empty when the comment names no rule (reported as invalid). */
  readonly rule: string;
  /** Undefined when missing or empty (reported; the suppression still applies). */
  readonly reason: string | undefined;
  /** The comment. */
  readonly range: SourceRange;
  /** The line whose resource, statement or finding the suppression applies to. */
  readonly anchorLine: number;
}

type Syntax = 'yaml' | 'hcl' | 'none';

/** JSON (templates and `.tf.json`) has no comments; `.template` files may be either. */
function syntaxOf(file: string, text: string): Syntax {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'none';
  if (/\.(tf|hcl|tfvars)$/.test(lower)) return 'hcl';
  if (/\.(ya?ml)$/.test(lower)) return 'yaml';
  return text.trimStart().startsWith('{') ? 'none' : 'yaml';
}

export function parseInlineSuppressions(file: string, text: string): InlineSuppression[] {
  const syntax = syntaxOf(file, text);
  if (syntax === 'none' || !text.includes(INLINE_MARKER)) return [];
  const lexed = syntax === 'yaml' ? lexYaml(text) : lexHcl(text);
  const src = sourceText(file, text);
  const codeLines = linesWithCode(lexed, (offset) => positionAt(src, offset).line);
  const out: InlineSuppression[] = [];
  for (const comment of lexed.comments) {
    const directive = parseDirective(comment);
    if (!directive) continue;
    const range = rangeBetween(src, comment.start, comment.end);
    const anchorLine = anchorOf(range, codeLines, src.lineStarts.length);
    for (const rule of directive.rules)
      out.push({ rule, reason: directive.reason, range, anchorLine });
  }
  return out;
}

/** Lines holding code, 1-based (a multi-line string marks every line it spans). */
function linesWithCode(lexed: Lexed, lineAt: (offset: number) => number): Set<number> {
  const lines = new Set<number>();
  for (const [start, end] of lexed.code) {
    const last = lineAt(Math.max(start, end - 1));
    for (let line = lineAt(start); line <= last; line++) lines.add(line);
  }
  return lines;
}

/** Code on the comment's first or last line makes it trailing; else the next code line. */
function anchorOf(range: SourceRange, codeLines: ReadonlySet<number>, lineCount: number): number {
  if (codeLines.has(range.startLine)) return range.startLine;
  if (codeLines.has(range.endLine)) return range.endLine;
  for (let line = range.endLine + 1; line <= lineCount; line++) {
    if (codeLines.has(line)) return line;
  }
  // Nothing follows: anchored past the end, so it matches nothing and is reported as unused.
  return lineCount + 1;
}

interface Directive {
  readonly rules: readonly string[];
  readonly reason: string | undefined;
}

function parseDirective(comment: Comment): Directive | undefined {
  const body = comment.text.trim();
  if (!body.startsWith(INLINE_MARKER)) return undefined;
  const rest = body.slice(INLINE_MARKER.length);
  // `s3-endpoint-guard:ignored` or `…:ignore-next` are not this directive.
  if (rest !== '' && !/^\s/.test(rest)) return undefined;
  const words = rest
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  // Rule ids are comma-separated; `rule-a, rule-b` (space after the comma) is accepted too.
  let ids = '';
  let taken = 0;
  for (const word of words) {
    if (taken > 0 && !ids.endsWith(',') && !word.startsWith(',')) break;
    ids += word;
    taken++;
  }
  const rules = ids
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const reason = words.slice(taken).join(' ').trim();
  return { rules: rules.length > 0 ? rules : [''], reason: reason === '' ? undefined : reason };
}
