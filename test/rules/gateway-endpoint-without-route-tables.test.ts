import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/gateway-endpoint-without-route-tables.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';

const endpoint = (extra: string, marker = '') => `Conditions:
  HasTables: !Equals [!Ref AWS::Region, eu-west-1]
Parameters:
  Tables:
    Type: CommaDelimitedList
Resources:
  S3Endpoint: ${marker}
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0abc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3${extra}
`;

const cases: TemplateCase[] = [
  {
    name: 'fail_no_route_table_ids',
    yaml: endpoint('', '# FIRE'),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['S3Endpoint', 'no route table'],
    },
  },
  {
    name: 'fail_empty_list',
    yaml: endpoint('\n      RouteTableIds: []', '# FIRE'),
    fire: { resource: 'S3Endpoint', severity: 'warning' },
  },
  {
    name: 'fail_empty_in_one_branch_names_the_condition',
    yaml: endpoint('\n      RouteTableIds: !If [HasTables, [rtb-1], []]', '# FIRE'),
    fire: { resource: 'S3Endpoint', severity: 'warning', words: ['HasTables'] },
  },
  { name: 'pass_route_tables', yaml: endpoint('\n      RouteTableIds: [rtb-0abc]') },
  { name: 'pass_parameter_list', yaml: endpoint('\n      RouteTableIds: !Ref Tables') },
  {
    name: 'pass_interface_endpoint',
    yaml: endpoint('\n      VpcEndpointType: Interface\n      SubnetIds: [subnet-1]'),
  },
  {
    name: 'pass_not_s3',
    yaml: endpoint('').replace('.s3', '.dynamodb'),
  },
];

const tf = (endpointBody: string, extra = '') => ({
  'mod/main.tf': `
resource "aws_vpc_endpoint" "s3" { # FIRE
  vpc_id       = "vpc-0abc"
  service_name = "com.amazonaws.eu-west-1.s3"
${endpointBody}}
${extra}`,
});

const strip = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace(' # FIRE', '')]));

const tfCases: TerraformCase[] = [
  {
    name: 'fail_no_route_table_ids',
    files: tf(''),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning', words: ['no route table'] },
  },
  {
    name: 'fail_empty_list',
    files: tf('  route_table_ids = []\n'),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning' },
  },
  {
    name: 'pass_association_resource',
    files: strip(
      tf(
        '',
        'resource "aws_vpc_endpoint_route_table_association" "a" {\n  vpc_endpoint_id = aws_vpc_endpoint.s3.id\n  route_table_id  = "rtb-0abc"\n}\n',
      ),
    ),
  },
  {
    name: 'pass_variable_list',
    files: strip(
      tf(
        '  route_table_ids = var.route_table_ids\n',
        'variable "route_table_ids" {\n  type    = list(string)\n  default = []\n}\n',
      ),
    ),
  },
  {
    name: 'pass_route_tables',
    files: strip(tf('  route_table_ids = ["rtb-0abc"]\n')),
  },
];

describe('gateway-endpoint-without-route-tables', () => {
  it.each(cases)('$name', async (c) => {
    const { actual, wanted } = await checkTemplateCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it.each(tfCases)('terraform: $name', async (c) => {
    const { actual, wanted } = await checkTerraformCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it('says how to fix, per format', async () => {
    const [finding] = await findingsFor(rule, endpoint(''));
    expect(finding?.fix?.description).toContain('RouteTableIds');
  });
});
