import { describe, expect, it } from 'vitest';
import { FIXTURES, loadDir, resource, show, where } from './load-helpers.js';

const DIR = `${FIXTURES}/endpoint`;

describe('Terraform resources → model', () => {
  it('maps VPC, subnet and route table with their arguments', async () => {
    const scope = await loadDir(DIR);
    expect(scope.format).toBe('terraform');
    expect(scope.region).toBe('eu-west-1');
    const vpc = resource(scope, 'aws_vpc.main');
    expect(vpc.kind === 'vpc' && show(vpc.cidrBlock)).toBe('10.0.0.0/16');
    expect(where(vpc.range)).toBe('main.tf:9');
    const subnet = resource(scope, 'aws_subnet.a');
    if (subnet.kind !== 'subnet') throw new Error(subnet.kind);
    expect(
      [subnet.vpcId, subnet.cidrBlock, subnet.ipv6Native, subnet.availabilityZone].map(show),
    ).toEqual(['${aws_vpc.main.id}', '10.0.1.0/24', 'false', 'eu-west-1a']);
    const table = resource(scope, 'aws_route_table.private');
    expect(table.kind === 'route-table' && show(table.vpcId)).toBe('${aws_vpc.main.id}');
    expect(resource(scope, 'aws_s3_bucket.data')).toMatchObject({
      kind: 'bucket',
      policy: undefined,
    });
    expect(show(resource(scope, 'aws_s3_bucket.data').properties)).toBe('{bucket: example-data}');
  });

  it('reads a gateway endpoint: service from data.aws_vpc_endpoint_service, default type, associated route table, jsonencode policy', async () => {
    const scope = await loadDir(DIR);
    const endpoint = resource(scope, 'aws_vpc_endpoint.s3');
    if (endpoint.kind !== 'vpc-endpoint') throw new Error(endpoint.kind);
    expect(show(endpoint.serviceName)).toBe('com.amazonaws.${region}.s3');
    expect(endpoint.isS3).toBe(true);
    expect(endpoint.endpointType).toBe('Gateway');
    expect(show(endpoint.routeTableIds)).toBe('[${aws_route_table.private.id}]');
    const policy = endpoint.policy;
    expect(policy?.role).toBe('endpoint');
    expect(where(policy?.range ?? endpoint.range)).toBe('main.tf:32');
    const [variant] = policy?.variants ?? [];
    const [statement] = variant?.document.statements ?? [];
    expect(variant?.document.diagnostics).toEqual([]);
    expect(where(statement?.range ?? endpoint.range)).toBe('main.tf:35');
    expect(statement?.range.endLine).toBe(41);
  });

  it('expands for_each endpoints and attaches aws_vpc_endpoint_policy to the named instance', async () => {
    const scope = await loadDir(DIR);
    const ecr = resource(scope, 'aws_vpc_endpoint.iface["ecr.api"]');
    const s3 = resource(scope, 'aws_vpc_endpoint.iface["s3"]');
    if (ecr.kind !== 'vpc-endpoint' || s3.kind !== 'vpc-endpoint') throw new Error('kinds');
    expect([ecr.isS3, s3.isS3]).toEqual([false, true]);
    expect(s3.endpointType).toBe('Interface');
    expect(show(s3.subnetIds)).toBe('[${aws_subnet.a.id}]');
    expect(show(s3.ipAddressType)).toBe('dualstack');
    expect(ecr.policy).toBeUndefined();
    // The policy is the endpoint's, and points at the aws_vpc_endpoint_policy block.
    expect(where(s3.policy?.range ?? s3.range)).toBe('main.tf:60');
    const [statement] = s3.policy?.variants[0]?.document.statements ?? [];
    expect(where(statement?.range ?? s3.range)).toBe('main.tf:66');
    expect(statement?.effect).toBe('Deny');
    expect(resource(scope, 'aws_vpc_endpoint_policy.iface_s3').kind).toBe('other');
    expect(scope.diagnostics).toEqual([]);
  });

  it("an association with an endpoint instance not known makes every instance's route tables unknown", async () => {
    const scope = await loadDir(DIR);
    for (const address of ['aws_vpc_endpoint.iface["ecr.api"]', 'aws_vpc_endpoint.iface["s3"]']) {
      const endpoint = resource(scope, address);
      expect(endpoint.kind === 'vpc-endpoint' && endpoint.routeTableIds).toMatchObject({
        kind: 'unknown',
        reason:
          'route table association aws_vpc_endpoint_route_table_association.some_iface with an instance not known',
        range: { startLine: 91 },
      });
    }
    // The gateway endpoint, named exactly, keeps its known table.
    const gateway = resource(scope, 'aws_vpc_endpoint.s3');
    expect(gateway.kind === 'vpc-endpoint' && show(gateway.routeTableIds)).toBe(
      '[${aws_route_table.private.id}]',
    );
  });

  it("a conditional aws_vpc_endpoint_policy replaces the endpoint's own policy only in its branch", async () => {
    const scope = await loadDir(DIR);
    const endpoint = resource(scope, 'aws_vpc_endpoint.plain');
    const policy = endpoint.kind === 'vpc-endpoint' ? endpoint.policy : undefined;
    expect(policy && where(policy.range)).toBe('main.tf:108');
    expect(
      policy?.variants.map((v) => [
        v.assumptions.map((a) => `${a.condition}=${a.value}`).join(),
        v.document.statements.map((s) => `${s.effect} ${where(s.range)}`).join(),
      ]),
    ).toEqual([
      ['var.strict=false', 'Allow main.tf:104'],
      ['var.strict=true', 'Deny main.tf:112'],
    ]);
    expect(resource(scope, 'aws_vpc_endpoint_policy.strict[0]')).toMatchObject({
      kind: 'other',
      condition: 'var.strict',
    });
  });
});
