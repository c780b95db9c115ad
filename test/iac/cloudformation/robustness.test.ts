/** Whatever the input, loading never throws and every range points at a real line. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import type { Scope } from '../../../src/iac/model.js';
import { policiesOf } from '../../../src/iac/model.js';

const noFiles = { readFile: () => Promise.resolve(undefined) };

function checkRanges(scope: Scope, text: string): void {
  const lines = text.split('\n').length;
  for (const d of scope.diagnostics) expect(d.range.startLine).toBeLessThanOrEqual(lines + 1);
  for (const r of scope.resources) expect(r.range.endLine).toBeLessThanOrEqual(lines + 1);
}

const tags = [
  '!Ref',
  '!Sub',
  '!GetAtt',
  '!Join',
  '!If',
  '!Select',
  '!Split',
  '!FindInMap',
  '!ImportValue',
  '!Base64',
  '!Cidr',
  '!GetAZs',
  '!Equals',
  '!And',
  '!Or',
  '!Not',
  '!Condition',
  '!Transform',
];
const names = [
  'Bucket',
  'Endpoint',
  'AWS::Region',
  'AWS::NoValue',
  'Param',
  'IsProd',
  'Missing',
  'Bucket.Arn',
  'Endpoint.Id',
];

/** Small YAML values built from intrinsics in every form, as text. */
const yamlValue: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      ...names,
      '"${Bucket}-x"',
      '\'{"Statement": []}\'',
      '2012-10-17',
      'yes',
      '012',
      '"${!Lit}"',
    ),
    fc.tuple(fc.constantFrom(...tags), fc.constantFrom(...names)).map(([t, n]) => `${t} ${n}`),
    fc
      .tuple(fc.constantFrom(...tags), fc.array(tie('value'), { maxLength: 3 }))
      .map(([t, items]) => `${t} [${items.join(', ')}]`),
    fc
      .tuple(
        fc.constantFrom(...tags, ''),
        fc.dictionary(
          fc.constantFrom(
            'Statement',
            'Effect',
            'Ref',
            'Fn::If',
            'Fn::Sub',
            'Fn::Include',
            'Fn::GetAtt',
          ),
          tie('value'),
          { maxKeys: 3 },
        ),
      )
      .map(
        ([t, d]) =>
          `${t} {${Object.entries(d)
            .map(([k, v]) => `"${k}": ${v}`)
            .join(', ')}}`,
      ),
  ),
})).value;

describe('robustness', () => {
  it('never throws on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        checkRanges(await loadCloudFormation('x.yaml', text, noFiles), text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on templates full of intrinsics in every form', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'AWS::EC2::VPCEndpoint',
          'AWS::S3::BucketPolicy',
          'AWS::IAM::Role',
          'AWS::IAM::Policy',
          'AWS::EC2::Subnet',
        ),
        yamlValue,
        yamlValue,
        async (type, a, b) => {
          const text = [
            'Parameters: {Param: {Type: String}}',
            'Conditions: {IsProd: !Equals [a, b]}',
            'Resources:',
            '  Bucket: {Type: AWS::S3::Bucket}',
            '  Endpoint:',
            `    Type: ${type}`,
            '    Properties:',
            `      ServiceName: ${a}`,
            `      PolicyDocument: ${b}`,
            `      Policies: [{PolicyName: ${a}, PolicyDocument: ${b}}]`,
            `      AvailabilityZone: ${a}`,
          ].join('\n');
          const scope = await loadCloudFormation('x.yaml', text, noFiles);
          checkRanges(scope, text);
          for (const { policy } of policiesOf(scope)) {
            // Exactly one of variants or unresolved is meaningful.
            if (policy.unresolved !== undefined) expect(policy.variants).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
