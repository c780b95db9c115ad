/**
 * Re-bases every path of a scan result. A folder outside the current directory is scanned with
 * itself as the root (so reads stay confined to it), then its paths are shown relative to the
 * current directory, as the user typed them.
 */
import type { SourceRange } from '../core/range.js';
import type { Finding, SuppressedFinding } from '../findings/finding.js';
import type { ScanResult } from './scan.js';

export function prefixPath(prefix: string, file: string): string {
  if (prefix === '' || prefix === '.') return file;
  const base = prefix.replace(/\/$/, '');
  return file === '.' ? base : `${base}/${file}`;
}

function moveRange(prefix: string, range: SourceRange): SourceRange {
  return { ...range, file: prefixPath(prefix, range.file) };
}

function moveFinding(prefix: string, finding: Finding): Finding {
  return {
    ...finding,
    range: moveRange(prefix, finding.range),
    related: finding.related.map((r) => ({ ...r, range: moveRange(prefix, r.range) })),
    ...(finding.fix?.replacement
      ? {
          fix: {
            ...finding.fix,
            replacement: {
              ...finding.fix.replacement,
              range: moveRange(prefix, finding.fix.replacement.range),
            },
          },
        }
      : {}),
    // A finding about a whole file names the file as its resource.
    resource:
      finding.resource === finding.range.file
        ? prefixPath(prefix, finding.resource)
        : finding.resource,
  };
}

function moveSuppressed(prefix: string, entry: SuppressedFinding): SuppressedFinding {
  const { range } = entry.suppression;
  return {
    finding: moveFinding(prefix, entry.finding),
    suppression: range
      ? { ...entry.suppression, range: moveRange(prefix, range) }
      : entry.suppression,
  };
}

export function relocateResult(result: ScanResult, prefix: string): ScanResult {
  if (prefix === '' || prefix === '.') return result;
  return {
    ...result,
    findings: result.findings.map((f) => moveFinding(prefix, f)),
    ...(result.suppressed
      ? { suppressed: result.suppressed.map((s) => moveSuppressed(prefix, s)) }
      : {}),
    ...(result.fixed ? { fixed: result.fixed.map((f) => moveFinding(prefix, f)) } : {}),
    files: result.files.map((f) => ({ ...f, file: prefixPath(prefix, f.file) })),
    errors: result.errors.map((e) => ({ ...e, file: prefixPath(prefix, e.file) })),
    skipped: result.skipped.map((s) => ({ ...s, file: prefixPath(prefix, s.file) })),
    notTemplates: result.notTemplates.map((file) => prefixPath(prefix, file)),
  };
}

/**
 * Several results as one, findings re-sorted. Suppressed and fixed findings are kept when any
 * part has them; the base label is the first one set (all parts of one run share it).
 */
export function mergeResults(
  results: readonly ScanResult[],
  sort: (findings: readonly Finding[]) => Finding[],
): ScanResult {
  const scopes = results.flatMap((r) => r.scopes ?? []);
  const base = results.find((r) => r.base !== undefined)?.base;
  return {
    findings: sort(results.flatMap((r) => r.findings)),
    ...(results.some((r) => r.suppressed)
      ? { suppressed: results.flatMap((r) => r.suppressed ?? []) }
      : {}),
    ...(results.some((r) => r.fixed) ? { fixed: sort(results.flatMap((r) => r.fixed ?? [])) } : {}),
    ...(base !== undefined ? { base } : {}),
    files: results.flatMap((r) => r.files),
    errors: results.flatMap((r) => r.errors),
    skipped: results.flatMap((r) => r.skipped),
    filesRead: results.reduce((sum, r) => sum + r.filesRead, 0),
    notTemplates: results.flatMap((r) => r.notTemplates),
    ...(results.some((r) => r.scopes) ? { scopes } : {}),
  };
}
