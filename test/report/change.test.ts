import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { toJsonReport } from '../../src/report/json.js';
import { FINGERPRINT_KEY, toSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { ReportData } from '../../src/report/types.js';
import { sarifProblems, type Json } from './sarif-check.js';
import { errorFinding, sampleData, sampleRules, sampleSources, warningFinding } from './sample.js';

const gone: Finding = { ...warningFinding, fingerprint: 'ffff', message: 'Old problem.' };
const hidden: Finding = { ...warningFinding, fingerprint: 'eeee', status: 'existing' };

/** A compared run: one new, one existing, one fixed, one suppressed by a comment. */
const changed: ReportData = {
  ...sampleData,
  findings: [
    { ...errorFinding, status: 'new' },
    { ...warningFinding, status: 'existing' },
  ],
  fixed: [gone],
  base: 'origin/main',
  suppressed: [
    {
      finding: hidden,
      suppression: {
        source: 'inline',
        reason: 'public website bucket',
        range: { file: 'infra/vpc.yaml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      },
    },
  ],
};

const sarifOptions = {
  toolName: 's3-endpoint-guard',
  toolVersion: '0.1.0',
  informationUri: 'https://example.com/s3-endpoint-guard',
  docsBaseUri: 'https://example.com/s3-endpoint-guard/blob/main/',
  rules: sampleRules,
};

describe('JSON with a base', () => {
  it('adds status, base, fixed, suppressed and summary counts', () => {
    const report = toJsonReport(changed);
    expect(report.base).toBe('origin/main');
    expect(report.findings.map((f) => f.status)).toEqual(['new', 'existing']);
    expect(report.fixed?.map((f) => [f.fingerprint, f.status])).toEqual([['ffff', undefined]]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        fingerprint: 'eeee',
        status: 'existing',
        suppression: {
          source: 'inline',
          reason: 'public website bucket',
          file: 'infra/vpc.yaml',
          startLine: 1,
        },
      }),
    ]);
    expect(report.summary).toEqual({
      bySeverity: { error: 1, warning: 1, notice: 0 },
      byStatus: { new: 1, existing: 1 },
      suppressed: 1,
      fixed: 1,
    });
  });

  it('keeps the first version-1 fields and order', () => {
    const keys = Object.keys(toJsonReport(changed));
    expect(keys.filter((k) => ['version', 'findings', 'files', 'errors'].includes(k))).toEqual([
      'version',
      'findings',
      'files',
      'errors',
    ]);
  });
});

describe('SARIF with a base and suppressions', () => {
  const log = toSarif(changed, sarifOptions) as Json;
  const run = (log.runs as Json[])[0] as Json;
  const results = run.results as Json[];

  it('is structurally valid SARIF 2.1.0', () => {
    expect(sarifProblems(log)).toEqual([]);
  });

  it('sets baselineState new/unchanged, adds fixed as absent, suppressed with suppressions', () => {
    const byFingerprint = (fp: string): Json | undefined =>
      results.find((r) => (r.partialFingerprints as Json)[FINGERPRINT_KEY] === fp);
    expect(byFingerprint(errorFinding.fingerprint)?.baselineState).toBe('new');
    expect(byFingerprint(warningFinding.fingerprint)?.baselineState).toBe('unchanged');
    expect(byFingerprint('ffff')?.baselineState).toBe('absent');
    const suppressed = byFingerprint('eeee');
    expect(suppressed?.baselineState).toBe('unchanged');
    expect(suppressed?.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'public website bucket',
        location: {
          physicalLocation: {
            artifactLocation: { uri: 'infra/vpc.yaml' },
            region: { startLine: 1, endLine: 1 },
          },
        },
      },
    ]);
    expect(results).toHaveLength(4);
  });

  it('config suppressions are external; no baselineState without a base', () => {
    const plain = toSarif(
      {
        ...sampleData,
        suppressed: [{ finding: hidden, suppression: { source: 'config', reason: 'legacy' } }],
      },
      sarifOptions,
    ) as Json;
    const plainResults = ((plain.runs as Json[])[0] as Json).results as Json[];
    expect(plainResults.every((r) => r.baselineState === undefined)).toBe(true);
    expect(plainResults.at(-1)?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'legacy' },
    ]);
    expect(sarifProblems(plain)).toEqual([]);
  });
});

describe('text with a base', () => {
  const text = renderText(changed, {
    color: false,
    sourceText: (file) => sampleSources[file],
  });

  it('tags each finding, lists fixed ones, counts suppressed', () => {
    expect(text).toContain('error   [new] DataBucketPolicy denies');
    expect(text).toContain('warning [existing] S3Endpoint has no policy');
    expect(text).toContain('Fixed since origin/main:\n  warning Old problem.');
    expect(text).toContain('was at infra/vpc.yaml:2 (S3Endpoint)');
    expect(text).toContain('compared with origin/main: 1 new, 1 existing, 1 fixed');
    expect(text).toContain('1 finding suppressed');
    // Source lines are still shown under each finding.
    expect(text).toContain('3 |   - Effect: Deny');
  });

  it('without a base: no tags, no fixed section', () => {
    const plain = renderText(sampleData, { color: false });
    expect(plain).not.toContain('[new]');
    expect(plain).not.toContain('Fixed since');
    expect(plain).not.toContain('suppressed');
  });
});
