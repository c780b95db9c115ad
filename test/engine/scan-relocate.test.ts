import { describe, expect, it } from 'vitest';
import { mergeResults, prefixPath, relocateResult } from '../../src/engine/relocate.js';
import type { ScanResult } from '../../src/engine/scan.js';
import { sortFindings } from '../../src/engine/scan.js';
import type { Finding } from '../../src/findings/finding.js';

const range = (file: string, line: number) => ({
  file,
  startLine: line,
  startColumn: 1,
  endLine: line,
  endColumn: 5,
});

const finding = (file: string, line: number, resource: string): Finding => ({
  ruleId: 'policy-invalid',
  severity: 'error',
  message: 'm',
  range: range(file, line),
  resource,
  related: [{ range: range('inc/part.yaml', 2), resource: 'E', message: 'r' }],
  fix: { description: 'd', replacement: { range: range(file, line), text: 'x' } },
  fingerprint: `${file}:${line}`,
  helpUri: 'docs/rules/policy-invalid.md',
});

const result = (findings: Finding[], file: string): ScanResult => ({
  findings,
  files: [
    {
      file,
      format: 'cloudformation',
      resources: 1,
      unresolved: 0,
      policies: 0,
      unresolvedPolicies: 0,
      parseErrors: 0,
    },
  ],
  errors: [{ file: 'bad.yaml', message: 'x' }],
  skipped: [{ file: 'main.tf', format: 'terraform', reason: 'r' }],
  filesRead: 2,
  notTemplates: ['notes.json'],
});

describe('relocateResult', () => {
  it('prefixes every path, and a file-level resource, but not logical ids', () => {
    const moved = relocateResult(
      result([finding('a.yaml', 3, 'a.yaml'), finding('a.yaml', 1, 'Bucket')], 'a.yaml'),
      '../other',
    );
    expect(moved.findings.map((f) => [f.range.file, f.resource])).toEqual([
      ['../other/a.yaml', '../other/a.yaml'],
      ['../other/a.yaml', 'Bucket'],
    ]);
    expect(moved.findings[0]?.related[0]?.range.file).toBe('../other/inc/part.yaml');
    expect(moved.findings[0]?.fix?.replacement?.range.file).toBe('../other/a.yaml');
    expect(moved.files.map((f) => f.file)).toEqual(['../other/a.yaml']);
    expect(moved.errors.map((e) => e.file)).toEqual(['../other/bad.yaml']);
    expect(moved.skipped.map((s) => s.file)).toEqual(['../other/main.tf']);
    expect(moved.notTemplates).toEqual(['../other/notes.json']);
  });

  it('leaves a result alone for an empty prefix', () => {
    const same = result([finding('a.yaml', 1, 'B')], 'a.yaml');
    expect(relocateResult(same, '')).toBe(same);
    expect(prefixPath('.', 'x.yaml')).toBe('x.yaml');
    expect(prefixPath('../up/', '.')).toBe('../up');
  });
});

describe('mergeResults', () => {
  it('concatenates and re-sorts findings', () => {
    const merged = mergeResults(
      [
        result([finding('b.yaml', 1, 'X')], 'b.yaml'),
        result([finding('a.yaml', 9, 'Y')], 'a.yaml'),
      ],
      sortFindings,
    );
    expect(merged.findings.map((f) => f.range.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(merged.filesRead).toBe(4);
    expect(merged.files).toHaveLength(2);
    expect(merged.scopes).toBeUndefined();
  });
});
