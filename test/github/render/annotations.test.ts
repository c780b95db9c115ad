import { describe, expect, it } from 'vitest';
import { renderPublication } from '../../../src/github/render/index.js';
import { NONE, evaluated, finding, options, range } from './factories.js';

describe('annotations', () => {
  it('maps severity to level and keeps exact lines', () => {
    const evaluation = evaluated({
      findings: [
        finding({ severity: 'error', range: range('a.yaml', 3, 7, 5, 9) }),
        finding({ severity: 'warning', range: range('a.yaml', 10, 10, 4, 30), status: 'existing' }),
        finding({ severity: 'notice', range: range('a.yaml', 12) }),
      ],
    });
    const [multi, single, whole] = renderPublication(evaluation, NONE, options).check.annotations;
    expect(multi).toMatchObject({
      path: 'a.yaml',
      start_line: 3,
      end_line: 7,
      annotation_level: 'failure',
    });
    // Columns only when the range is on one line.
    expect(multi).not.toHaveProperty('start_column');
    expect(single).toMatchObject({
      start_line: 10,
      end_line: 10,
      start_column: 4,
      end_column: 30,
      annotation_level: 'warning',
    });
    // A whole-line range (columns 1..1) has no columns worth sending.
    expect(whole).toMatchObject({ start_line: 12, end_line: 12, annotation_level: 'notice' });
    expect(whole).not.toHaveProperty('start_column');
  });

  it('titles with the rule and resource, and appends the fix to the message', () => {
    const evaluation = evaluated({
      findings: [
        finding({
          resource: 'VpcEndpoint',
          related: [{ range: range('vpc.yaml', 2), resource: 'Vpc', message: 'the VPC' }],
        }),
      ],
    });
    const [annotation] = renderPublication(evaluation, NONE, options).check.annotations;
    expect(annotation?.title).toBe(
      'An S3 endpoint policy lets data reach any bucket, in any account: VpcEndpoint',
    );
    expect(annotation?.message).toBe(
      'The endpoint policy allows every S3 action on every bucket.\n\nFix: Restrict Resource to your buckets.',
    );
    expect(annotation?.raw_details).toBe('Related locations:\nvpc.yaml:2 (Vpc): the VPC');
  });

  it('keeps titles within 255 characters and strips control characters', () => {
    const evaluation = evaluated({
      findings: [finding({ resource: `R${'x'.repeat(400)}`, message: 'bad\u001b[2Jvalue' })],
    });
    const [annotation] = renderPublication(evaluation, NONE, options).check.annotations;
    expect(annotation?.title.length).toBeLessThanOrEqual(255);
    expect(annotation?.message).not.toContain('\u001b');
  });

  it('annotates every finding of a repository file in a stable order, not the config pseudo-path', () => {
    const configFile = 'acme/infra:.github/s3-endpoint-guard.yml';
    const findings = [
      finding({ range: range('b.yaml', 1) }),
      finding({ range: range('a.yaml', 9), status: 'existing' }),
      finding({ range: range('a.yaml', 2) }),
      finding({ ruleId: 'invalid-suppression', range: range(configFile, 4), resource: configFile }),
    ];
    const evaluation = evaluated({ findings }, { configFile });
    const first = renderPublication(evaluation, NONE, options).check.annotations;
    expect(first.map((a) => `${a.path}:${a.start_line}`)).toEqual([
      'a.yaml:2',
      'a.yaml:9',
      'b.yaml:1',
    ]);
    const again = renderPublication(
      evaluated({ findings: [...findings].reverse() }, { configFile }),
      NONE,
      options,
    ).check.annotations;
    expect(again).toEqual(first);
  });

  it('does not annotate suppressed or fixed findings', () => {
    const evaluation = evaluated({
      fixed: [finding({ status: undefined })],
      suppressed: [{ finding: finding(), suppression: { source: 'inline', reason: 'ok' } }],
    });
    expect(renderPublication(evaluation, NONE, options).check.annotations).toEqual([]);
  });
});
