import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import type { Scope } from '../../../src/iac/model.js';
import { memorySource } from '../../rules/helpers.js';

async function load(file: string, text: string): Promise<Scope> {
  return loadCloudFormation(file, text, memorySource({ [file]: text }));
}

function suppressionsOf(scope: Scope, address: string): unknown {
  return scope.resources
    .find((r) => r.address === address)
    ?.suppressions?.map((s) => [s.rule, s.reason, s.range.startLine]);
}

describe('Metadata suppressions', () => {
  it('reads rule and reason entries from YAML, with each entry range', async () => {
    const scope = await load(
      't.yaml',
      [
        'Resources:', // 1
        '  Endpoint:', // 2
        '    Type: AWS::EC2::VPCEndpoint', // 3
        '    Metadata:', // 4
        '      s3-endpoint-guard:', // 5
        '        ignore:', // 6
        '          - rule: endpoint-policy-full-access', // 7
        '            reason: lab VPC only', // 8
        '          - rule: sourceip-private-range', // 9
        "            reason: '  '", // 10
        '  Plain:', // 11
        '    Type: AWS::SQS::Queue', // 12
      ].join('\n'),
    );
    expect(suppressionsOf(scope, 'Endpoint')).toEqual([
      ['endpoint-policy-full-access', 'lab VPC only', 7],
      ['sourceip-private-range', undefined, 9],
    ]);
    expect(
      scope.resources.find((r) => r.address === 'Endpoint')?.suppressions?.[0]?.range,
    ).toMatchObject({
      file: 't.yaml',
      endLine: 8,
    });
    expect(suppressionsOf(scope, 'Plain')).toBeUndefined();
  });

  it('reads the same shape from a JSON template', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Endpoint: {
            Type: 'AWS::EC2::VPCEndpoint',
            Metadata: {
              's3-endpoint-guard': {
                ignore: [{ rule: 'endpoint-policy-full-access', reason: 'lab' }],
              },
            },
          },
        },
      },
      null,
      2,
    );
    const scope = await load('t.json', json);
    const line = json.split('\n').findIndex((l) => l.includes('"rule"'));
    // The entry's range starts at its `{`, the line above `"rule"`.
    expect(suppressionsOf(scope, 'Endpoint')).toEqual([
      ['endpoint-policy-full-access', 'lab', line],
    ]);
  });

  it('keeps malformed entries with an empty rule id so they are reported', async () => {
    const scope = await load(
      't.yaml',
      [
        'Resources:', // 1
        '  Single:', // 2
        '    Type: AWS::EC2::VPCEndpoint', // 3
        '    Metadata:', // 4
        '      s3-endpoint-guard:', // 5
        '        ignore: { rule: endpoint-policy-full-access, reason: x }', // 6
        '  Odd:', // 7
        '    Type: AWS::EC2::VPCEndpoint', // 8
        '    Metadata:', // 9
        '      s3-endpoint-guard:', // 10
        '        ignore:', // 11
        '          - endpoint-policy-full-access', // 12
        '          - rules: [a, b]', // 13
        '            reason: x', // 14
        '  NoIgnore:', // 15
        '    Type: AWS::EC2::VPCEndpoint', // 16
        '    Metadata:', // 17
        '      s3-endpoint-guard: {}', // 18
      ].join('\n'),
    );
    expect(suppressionsOf(scope, 'Single')).toEqual([['', undefined, 6]]);
    expect(suppressionsOf(scope, 'Odd')).toEqual([
      ['', undefined, 12],
      ['', 'x', 13],
    ]);
    expect(suppressionsOf(scope, 'NoIgnore')).toEqual([['', undefined, 18]]);
  });
});
