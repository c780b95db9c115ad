/**
 * The human report: findings grouped by file, each with the lines a reviewer must read, the fix
 * and the other resources involved. Colour is a parameter, never detected here, so the output
 * is a pure function of its input (the CLI decides from TTY / NO_COLOR / FORCE_COLOR).
 */
import type { SourceRange } from '../core/range.js';
import type { Finding, Severity } from '../findings/finding.js';
import type { ReportData } from './types.js';

export interface TextOptions {
  readonly color: boolean;
  /** The text of a scanned file, to show the offending lines; undefined → lines not shown. */
  readonly sourceText?: (file: string) => string | undefined;
  /** At most this many source lines per finding (long statements are cut, with a marker). */
  readonly maxSnippetLines?: number;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
  underline: '\u001b[4m',
} as const;

type Style = keyof typeof ANSI;

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = {
  error: 'red',
  warning: 'yellow',
  notice: 'blue',
};

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "N errors, N warnings, N notices in F files" */
export function summaryLine(findings: readonly Finding[], fileCount: number): string {
  const count = (severity: Severity): number =>
    findings.filter((f) => f.severity === severity).length;
  return (
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ` +
    `${plural(count('notice'), 'notice')} in ${plural(fileCount, 'file')}`
  );
}

export function renderText(data: ReportData, options: TextOptions): string {
  const paint = (style: Style, value: string): string =>
    options.color ? `${ANSI[style]}${value}${ANSI.reset}` : value;
  const maxLines = options.maxSnippetLines ?? 8;
  const linesCache = new Map<string, readonly string[] | undefined>();
  const linesOf = (file: string): readonly string[] | undefined => {
    if (!linesCache.has(file)) {
      const text = options.sourceText?.(file);
      linesCache.set(file, text === undefined ? undefined : text.split(/\r?\n/));
    }
    return linesCache.get(file);
  };

  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of data.findings) {
    const list = byFile.get(finding.range.file) ?? [];
    list.push(finding);
    byFile.set(finding.range.file, list);
  }

  for (const [file, findings] of byFile) {
    out.push(paint('underline', paint('bold', clean(file))));
    for (const finding of findings) {
      const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(7));
      // With a base, each finding says whether the change introduced it.
      const status = finding.status
        ? `${paint(finding.status === 'new' ? 'bold' : 'dim', `[${finding.status}]`)} `
        : '';
      out.push(`  ${severity} ${status}${clean(finding.message)}  ${paint('dim', finding.ruleId)}`);
      out.push(`          at ${location(finding.range)} (${clean(finding.resource)})`);
      const snippet = snippetLines(linesOf(file), finding.range, maxLines);
      for (const line of snippet) out.push(`          ${paint('dim', line.gutter)} ${line.text}`);
      if (finding.fix) {
        out.push(`          ${paint('cyan', 'fix:')} ${clean(finding.fix.description)}`);
      }
      for (const related of finding.related) {
        const resource = related.resource ? ` (${clean(related.resource)})` : '';
        out.push(
          `          ${paint('dim', 'related:')} ${location(related.range)}${resource} ${clean(related.message)}`,
        );
      }
      out.push(`          ${paint('dim', `docs: ${finding.helpUri}`)}`);
    }
    out.push('');
  }

  if (data.base !== undefined) {
    const fixed = data.fixed ?? [];
    if (fixed.length > 0) {
      out.push(paint('bold', `Fixed since ${clean(data.base)}:`));
      for (const finding of fixed) {
        out.push(
          `  ${finding.severity.padEnd(7)} ${clean(finding.message)}  ${paint('dim', finding.ruleId)}`,
        );
        out.push(`          was at ${location(finding.range)} (${clean(finding.resource)})`);
      }
      out.push('');
    }
  }

  if (data.errors.length > 0) {
    out.push(paint('bold', 'Could not scan:'));
    for (const error of data.errors) out.push(`  ${clean(error.file)}: ${clean(error.message)}`);
    out.push('');
  }
  const skipped = data.skipped ?? [];
  if (skipped.length > 0) {
    // Recognised but deliberately not read (a `.tfvars` Terraform does not load by itself).
    out.push(paint('bold', 'Skipped:'));
    for (const file of skipped) out.push(`  ${clean(file.file)}: ${clean(file.reason)}`);
    out.push('');
  }
  const summary = summaryLine(data.findings, data.files.length);
  const worst = data.findings.some((f) => f.severity === 'error')
    ? 'red'
    : data.findings.length > 0
      ? 'yellow'
      : 'bold';
  out.push(paint(worst, summary));
  if (data.base !== undefined) {
    const fresh = data.findings.filter((f) => f.status === 'new').length;
    out.push(
      `compared with ${clean(data.base)}: ${fresh} new, ${data.findings.length - fresh} existing, ${(data.fixed ?? []).length} fixed`,
    );
  }
  const suppressed = data.suppressed ?? [];
  if (suppressed.length > 0) {
    out.push(paint('dim', `${plural(suppressed.length, 'finding')} suppressed`));
  }
  return `${out.join('\n')}\n`;
}

function location(range: SourceRange): string {
  return `${clean(range.file)}:${range.startLine}`;
}

/**
 * Messages quote template values and file names, which are untrusted: control characters
 * (terminal escape sequences) are replaced so a template cannot drive the reader's terminal.
 */
export function clean(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, '?');
}

interface SnippetLine {
  readonly gutter: string;
  readonly text: string;
}

/** The range's lines with a line-number gutter; long ranges are cut after `max` lines. */
export function snippetLines(
  lines: readonly string[] | undefined,
  range: SourceRange,
  max: number,
): SnippetLine[] {
  if (!lines || max <= 0) return [];
  const first = Math.max(1, range.startLine);
  const last = Math.min(lines.length, Math.max(first, range.endLine));
  if (first > lines.length) return [];
  const shownLast = Math.min(last, first + max - 1);
  const width = String(last).length;
  const result: SnippetLine[] = [];
  for (let line = first; line <= shownLast; line++) {
    result.push({
      gutter: `${String(line).padStart(width)} |`,
      text: clean(lines[line - 1] ?? ''),
    });
  }
  if (shownLast < last) {
    result.push({
      gutter: `${' '.repeat(width)} |`,
      text: `… ${plural(last - shownLast, 'more line')}`,
    });
  }
  return result;
}
