import { describe, expect, it } from 'vitest';
import { lineRange } from '../../../src/core/range.js';
import { refString, text, type Value } from '../../../src/core/value.js';
import type { Scope, VpcEndpointResource } from '../../../src/iac/model.js';
import { evaluateClause } from '../../../src/policy/evaluate.js';
import type { ConditionClause } from '../../../src/policy/types.js';
import {
  endpointIdRef,
  endpointRequestKeys,
  internetRequestKeys,
  PUBLIC_IP,
  s3EndpointsOf,
  unknownEndpointRequestKeys,
} from '../../../src/rules/support/endpoint-context.js';

const at = lineRange('t.yaml', 1);

function endpoint(address: string, isS3: boolean | 'unknown', vpcId?: Value): VpcEndpointResource {
  return {
    kind: 'vpc-endpoint',
    address,
    type: 'AWS::EC2::VPCEndpoint',
    format: 'cloudformation',
    range: at,
    properties: { kind: 'map', entries: [], range: at },
    serviceName: undefined,
    isS3,
    endpointType: 'Gateway',
    vpcId,
    routeTableIds: undefined,
    subnetIds: undefined,
    ipAddressType: undefined,
    serviceRegion: undefined,
    policy: undefined,
  };
}

const vpcRef = refString(
  {
    id: 'Vpc#id',
    target: { kind: 'resource', address: 'Vpc', attribute: 'id' },
    display: '!Ref Vpc',
  },
  at,
);

function clause(raw: string, key: string, values: Value[]): ConditionClause {
  const negated = raw.startsWith('StringNot') || raw.startsWith('Not');
  const ifExists = raw.endsWith('IfExists');
  return {
    operator: { raw, base: raw.replace(/IfExists$/, ''), ifExists, qualifier: undefined, negated },
    key,
    keyLower: key.toLowerCase(),
    values: values.map((v) => (v.kind === 'string' ? v : text('?', at))),
    operatorRange: at,
    keyRange: at,
    range: at,
  };
}

describe('s3EndpointsOf', () => {
  it('keeps only endpoints known to be S3', () => {
    const scope: Scope = {
      id: 's',
      format: 'cloudformation',
      files: ['t.yaml'],
      resources: [endpoint('A', true), endpoint('B', false), endpoint('C', 'unknown')],
      diagnostics: [],
    };
    expect(s3EndpointsOf(scope).map((e) => e.address)).toEqual(['A']);
  });
});

describe('endpointRequestKeys', () => {
  const e = endpoint('S3Endpoint', true, vpcRef);
  const keys = endpointRequestKeys(e);

  it('has no source IP, the endpoint ID as a reference and the endpoint VPC', () => {
    expect(keys['aws:sourceip']).toEqual({ kind: 'absent' });
    expect(endpointIdRef(e).id).toBe('S3Endpoint#id');
    expect(keys['aws:sourcevpce']).toEqual({
      kind: 'values',
      values: [refString(endpointIdRef(e), at)],
    });
    expect(keys['aws:sourcevpc']).toEqual({ kind: 'values', values: [vpcRef] });
    expect(keys['aws:vpcsourceip']).toBeUndefined();
  });

  it('leaves the VPC free when the endpoint VPC is not a string', () => {
    expect(endpointRequestKeys(endpoint('E', true))['aws:sourcevpc']).toBeUndefined();
  });

  it('makes the evaluator tell this endpoint from others', () => {
    const same = refString(endpointIdRef(e), lineRange('t.yaml', 9));
    expect(evaluateClause(clause('StringNotEquals', 'aws:SourceVpce', [same]), keys)).toBe(false);
    expect(evaluateClause(clause('StringEquals', 'aws:SourceVpce', [same]), keys)).toBe(true);
    // A literal ID may or may not be this endpoint's: unknown, never guessed.
    expect(
      evaluateClause(clause('StringNotEquals', 'aws:SourceVpce', [text('vpce-1234', at)]), keys),
    ).toBe('unknown');
    expect(
      evaluateClause(clause('NotIpAddress', 'aws:SourceIp', [text('203.0.113.0/24', at)]), keys),
    ).toBe(true);
    expect(
      evaluateClause(clause('IpAddress', 'aws:SourceIp', [text('203.0.113.0/24', at)]), keys),
    ).toBe(false);
  });
});

describe('unknownEndpointRequestKeys', () => {
  it('compares as unknown with any literal endpoint ID', () => {
    const keys = unknownEndpointRequestKeys();
    expect(keys['aws:sourceip']).toEqual({ kind: 'absent' });
    expect(
      evaluateClause(
        clause('StringNotEquals', 'aws:SourceVpce', [text('vpce-1a2b3c4d', at)]),
        keys,
      ),
    ).toBe('unknown');
    expect(
      evaluateClause(clause('NotIpAddress', 'aws:SourceIp', [text('203.0.113.0/24', at)]), keys),
    ).toBe(true);
  });
});

describe('internetRequestKeys', () => {
  it('has a public source IP and none of the endpoint keys', () => {
    const keys = internetRequestKeys();
    expect(keys['aws:sourcevpce']).toEqual({ kind: 'absent' });
    expect(keys['aws:sourcevpc']).toEqual({ kind: 'absent' });
    expect(keys['aws:vpcsourceip']).toEqual({ kind: 'absent' });
    expect(
      evaluateClause(clause('IpAddress', 'aws:SourceIp', [text(`${PUBLIC_IP}/32`, at)]), keys),
    ).toBe(true);
    expect(
      evaluateClause(clause('StringNotEquals', 'aws:SourceVpce', [text('vpce-1', at)]), keys),
    ).toBe(true);
  });

  it('can leave the source IP free', () => {
    const keys = internetRequestKeys('any');
    expect(keys['aws:sourceip']).toEqual({ kind: 'any' });
    expect(
      evaluateClause(clause('IpAddress', 'aws:SourceIp', [text('198.51.100.0/24', at)]), keys, {
        freeKeys: 'exists',
      }),
    ).toBe(true);
  });
});
