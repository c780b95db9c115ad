import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-ipv6-traffic.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';

const subnet = (props: string) => `
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0abc
      CidrBlock: 10.0.1.0/24${props}
  AppRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: vpc-0abc
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRoutes`;

const gateway = (extra = '', marker = '') => `
  S3Endpoint: ${marker}
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0abc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      RouteTableIds: [!Ref AppRoutes]${extra}`;

const cfn = (...parts: string[]) => `Resources:${parts.join('')}\n`;

const fire = { resource: 'S3Endpoint', severity: 'warning', related: ['AppSubnet'] };

const cases: TemplateCase[] = [
  {
    name: 'fail_gateway_default_type_serves_ipv6_native_subnet',
    yaml: cfn(subnet('\n      Ipv6Native: true'), gateway('', '# FIRE')),
    fire: { ...fire, words: ['S3Endpoint', 'AppSubnet', 'IPv6', 'bypasses'] },
  },
  {
    name: 'fail_explicit_ipv4_points_at_the_type',
    yaml: cfn(
      subnet('\n      Ipv6CidrBlock: 2001:db8:1::/64'),
      gateway('\n      IpAddressType: ipv4 # FIRE'),
    ),
    fire,
  },
  {
    name: 'fail_subnet_cidr_block_resource_adds_ipv6',
    yaml: cfn(
      subnet(''),
      `
  AppSubnetIpv6:
    Type: AWS::EC2::SubnetCidrBlock
    Properties:
      SubnetId: !Ref AppSubnet
      Ipv6CidrBlock: 2001:db8:1::/64`,
      gateway('', '# FIRE'),
    ),
    fire,
  },
  {
    name: 'fail_interface_endpoint_in_ipv6_subnet',
    yaml: cfn(
      subnet('\n      AssignIpv6AddressOnCreation: true\n      Ipv6CidrBlock: 2001:db8:1::/64'),
      `
  S3Endpoint: # FIRE
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0abc
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      SubnetIds: [!Ref AppSubnet]`,
    ),
    fire,
  },
  {
    name: 'pass_dualstack',
    yaml: cfn(subnet('\n      Ipv6Native: true'), gateway('\n      IpAddressType: dualstack')),
  },
  { name: 'pass_ipv4_only_subnet', yaml: cfn(subnet(''), gateway()) },
  {
    name: 'pass_ipv6_subnet_on_another_route_table',
    yaml: cfn(
      subnet('\n      Ipv6Native: true'),
      gateway().replace('!Ref AppRoutes', 'rtb-0other'),
    ),
  },
  {
    name: 'pass_ipv6_setting_unknown',
    yaml:
      'Parameters:\n  Native:\n    Type: String\n' +
      cfn(subnet('\n      Ipv6Native: !Ref Native'), gateway()),
  },
];

const tfFiles = (subnetArgs: string, endpointArgs = '') => ({
  'mod/main.tf': `
resource "aws_subnet" "app" {
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.1.0/24"
${subnetArgs}}
resource "aws_route_table" "app" {
  vpc_id = "vpc-0abc"
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0abc"
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.app.id]
${endpointArgs}}
`,
});

const tfFire = { resource: 'aws_vpc_endpoint.s3', severity: 'warning', words: ['aws_subnet.app'] };

const tfCases: TerraformCase[] = [
  {
    name: 'fail_explicit_ipv4_with_ipv6_native_subnet',
    files: tfFiles(
      '  ipv6_native     = true\n  ipv6_cidr_block = "2001:db8:1::/64"\n',
      '  ip_address_type = "ipv4" # FIRE\n',
    ),
    fire: tfFire,
  },
  {
    name: 'fail_assign_ipv6_on_creation',
    files: tfFiles(
      '  assign_ipv6_address_on_creation = true\n',
      '  ip_address_type = "ipv4" # FIRE\n',
    ),
    fire: tfFire,
  },
  {
    name: 'pass_dualstack',
    files: tfFiles('  ipv6_native = true\n', '  ip_address_type = "dualstack"\n'),
  },
  { name: 'pass_ipv4_only_subnet', files: tfFiles('') },
];

describe('endpoint-ipv6-traffic', () => {
  it.each(cases)('$name', async (c) => {
    const { actual, wanted } = await checkTemplateCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it.each(tfCases)('terraform: $name', async (c) => {
    const { actual, wanted } = await checkTerraformCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it('fires for an unset Terraform type at the endpoint, with the related subnet', async () => {
    const [finding] = await findingsForTerraform(rule, tfFiles('  ipv6_native = true\n'));
    expect(finding?.range.startLine).toBe(14);
    expect(finding?.related.map((r) => r.resource)).toEqual(['aws_subnet.app']);
    expect(finding?.fix?.description).toContain('ip_address_type = "dualstack"');
  });

  it('replaces a written ipv4 type with dualstack', async () => {
    const [finding] = await findingsFor(
      rule,
      cfn(subnet('\n      Ipv6Native: true'), gateway('\n      IpAddressType: ipv4')),
    );
    expect(finding?.fix?.replacement).toEqual({ range: finding?.range, text: 'dualstack' });
  });
});

describe('endpoint-ipv6-traffic: values from variable defaults', () => {
  it('does not count IPv6 settings or an ipv4 type taken from a variable default', async () => {
    const variables =
      'variable "native" {\n  default = true\n}\nvariable "type" {\n  default = "ipv4"\n}\n';
    const fromDefault = await findingsForTerraform(rule, {
      ...tfFiles('  ipv6_native = var.native\n'),
      'mod/variables.tf': variables,
    });
    expect(fromDefault).toEqual([]);
    const typeFromDefault = await findingsForTerraform(rule, {
      ...tfFiles('  ipv6_native = true\n', '  ip_address_type = var.type\n'),
      'mod/variables.tf': variables,
    });
    expect(typeFromDefault).toEqual([]);
  });
});

describe('endpoint-ipv6-traffic: CIDRs the reader cannot compute', () => {
  it('counts a CloudFormation Ipv6CidrBlock built with !Cidr, not a whole Terraform variable', async () => {
    const cidr = await findingsFor(
      rule,
      cfn(
        subnet(
          '\n      Ipv6CidrBlock: !Select [1, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]',
        ),
        gateway(),
        '\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16',
      ),
    );
    expect(cidr.map((f) => f.resource)).toEqual(['S3Endpoint']);
    const variable = await findingsForTerraform(rule, {
      ...tfFiles('  ipv6_cidr_block = var.ipv6_cidr\n'),
      'mod/variables.tf': 'variable "ipv6_cidr" {\n  type = string\n}\n',
    });
    expect(variable).toEqual([]);
  });
});
