import { describe, expect, it } from 'vitest';
import type { Finding, SuppressedFinding } from '../../src/findings/finding.js';
import { compareScans } from '../../src/findings/delta.js';
import { mergeResults, relocateResult } from '../../src/engine/relocate.js';
import type { ScanResult } from '../../src/engine/scan.js';
import { sortFindings } from '../../src/engine/scan.js';

function finding(fingerprint: string, line = 1, file = 'a.yaml'): Finding {
  return {
    ruleId: 'r',
    severity: 'error',
    message: `m ${fingerprint}`,
    range: { file, startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
    resource: 'R',
    related: [],
    fingerprint,
    helpUri: 'docs/rules/r.md',
  };
}

function result(findings: Finding[], suppressed?: SuppressedFinding[]): ScanResult {
  return {
    findings,
    ...(suppressed ? { suppressed } : {}),
    files: [],
    errors: [],
    skipped: [],
    filesRead: 0,
    notTemplates: [],
  };
}

const statuses = (r: ScanResult): string[] =>
  r.findings.map((f) => `${f.fingerprint}:${f.status ?? '-'}`);

describe('compareScans', () => {
  it('marks new and existing by fingerprint, ignoring lines, and lists fixed', () => {
    const base = result([finding('a', 3), finding('b', 9)]);
    const head = result([finding('a', 40), finding('c', 2)]);
    const compared = compareScans(base, head, 'main');
    expect(statuses(compared)).toEqual(['a:existing', 'c:new']);
    expect(compared.fixed?.map((f) => f.fingerprint)).toEqual(['b']);
    expect(compared.fixed?.[0]?.status).toBeUndefined();
    expect(compared.base).toBe('main');
  });

  it('treats fingerprints as multisets', () => {
    const one = result([finding('a', 1)]);
    const two = result([finding('a', 1), finding('a', 5)]);
    expect(statuses(compareScans(one, two, 'b'))).toEqual(['a:existing', 'a:new']);
    const shrunk = compareScans(two, one, 'b');
    expect(statuses(shrunk)).toEqual(['a:existing']);
    expect(shrunk.fixed?.map((f) => f.fingerprint)).toEqual(['a']);
  });

  it('gives suppressed findings a status and does not call a suppressed base finding fixed', () => {
    const suppression = { source: 'inline', reason: 'accepted risk' } as const;
    const base = result([], [{ finding: finding('s'), suppression }]);
    const head = result([], [{ finding: finding('s', 7), suppression }]);
    const compared = compareScans(base, head, 'HEAD~1');
    expect(compared.suppressed?.[0]?.finding.status).toBe('existing');
    expect(compared.fixed).toEqual([]);
    // A problem that was suppressed and is now visible is not new either.
    expect(statuses(compareScans(base, result([finding('s')]), 'x'))).toEqual(['s:existing']);
  });

  it('with an empty base everything is new and nothing fixed', () => {
    const compared = compareScans(result([]), result([finding('a'), finding('b')]), 'x');
    expect(statuses(compared)).toEqual(['a:new', 'b:new']);
    expect(compared.fixed).toEqual([]);
  });

  it('relocate and merge carry status, fixed, suppressed and base', () => {
    const suppression = {
      source: 'inline',
      reason: 'ok',
      range: { file: 'a.yaml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    } as const;
    const compared = compareScans(
      result([finding('gone')]),
      result([finding('a')], [{ finding: finding('s'), suppression }]),
      'main',
    );
    const moved = relocateResult(compared, '../other');
    expect(moved.findings[0]?.range.file).toBe('../other/a.yaml');
    expect(moved.findings[0]?.status).toBe('new');
    expect(moved.fixed?.[0]?.range.file).toBe('../other/a.yaml');
    expect(moved.suppressed?.[0]?.finding.range.file).toBe('../other/a.yaml');
    expect(moved.suppressed?.[0]?.suppression.range?.file).toBe('../other/a.yaml');
    const merged = mergeResults([result([finding('z')]), moved], sortFindings);
    expect(merged.base).toBe('main');
    expect(merged.fixed).toHaveLength(1);
    expect(merged.suppressed).toHaveLength(1);
    expect(merged.findings).toHaveLength(2);
  });
});
