import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-hardcoded-region.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';

const endpoint = (serviceName: string) => `
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref VpcId
      RouteTableIds: [rtb-0abc]
      ServiceName: ${serviceName}`;

const cfn = (...parts: string[]) =>
  `Parameters:\n  VpcId:\n    Type: AWS::EC2::VPC::Id\nResources:${parts.join('')}\n`;

const cases: TemplateCase[] = [
  {
    name: 'fail_literal_region_in_region_agnostic_template',
    yaml: cfn(endpoint('com.amazonaws.eu-west-1.s3 # FIRE')),
    fire: { resource: 'S3Endpoint', severity: 'notice', words: ['S3Endpoint', 'eu-west-1'] },
  },
  {
    name: 'pass_service_name_from_aws_region',
    yaml: cfn(endpoint('!Sub com.amazonaws.${AWS::Region}.s3')),
  },
  {
    name: 'pass_template_pins_its_region_with_literal_azs',
    yaml: cfn(
      endpoint('com.amazonaws.eu-west-1.s3'),
      `
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VpcId
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: eu-west-1a`,
    ),
  },
  {
    name: 'pass_template_names_its_region_in_an_arn',
    yaml: cfn(
      endpoint('com.amazonaws.eu-west-1.s3'),
      `
  Topic:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:alerts
      Protocol: email
      Endpoint: ops@example.com`,
    ),
  },
  {
    name: 'pass_contradicting_config_region_is_the_cross_region_error',
    yaml: cfn(endpoint('com.amazonaws.eu-west-1.s3')),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, region: 'us-east-2' } },
  },
];

const tfEndpoint = (serviceName: string) => `
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0abc"
  service_name = ${serviceName}
}
`;

const VARIABLE_PROVIDER =
  'provider "aws" {\n  region = var.region\n}\nvariable "region" {\n  type = string\n}\n';

const tfCases: TerraformCase[] = [
  {
    name: 'fail_provider_region_from_variable_service_name_literal',
    files: { 'mod/main.tf': VARIABLE_PROVIDER + tfEndpoint('"com.amazonaws.eu-west-1.s3" # FIRE') },
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'notice',
      words: ['eu-west-1', 'variable'],
    },
  },
  {
    name: 'pass_data_aws_region',
    files: {
      'mod/main.tf':
        VARIABLE_PROVIDER +
        'data "aws_region" "current" {}\n' +
        tfEndpoint('"com.amazonaws.${data.aws_region.current.name}.s3"'),
    },
  },
  {
    name: 'pass_literal_provider_region',
    files: {
      'mod/main.tf':
        'provider "aws" {\n  region = "eu-west-1"\n}\n' +
        tfEndpoint('"com.amazonaws.eu-west-1.s3"'),
    },
  },
  {
    name: 'pass_no_provider_block',
    files: { 'mod/main.tf': tfEndpoint('"com.amazonaws.eu-west-1.s3"') },
  },
];

describe('endpoint-hardcoded-region', () => {
  it.each(cases)('$name', async (c) => {
    const { actual, wanted } = await checkTemplateCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it.each(tfCases)('terraform: $name', async (c) => {
    const { actual, wanted } = await checkTerraformCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it('replaces a literal CloudFormation service name with !Sub and ${AWS::Region}', async () => {
    const [finding] = await findingsFor(rule, cfn(endpoint('com.amazonaws.eu-west-1.s3')));
    expect(finding?.fix?.replacement).toEqual({
      range: finding?.range,
      text: "!Sub 'com.amazonaws.${AWS::Region}.s3'",
    });
    const [json] = await findingsFor(
      rule,
      JSON.stringify({
        Resources: {
          E: {
            Type: 'AWS::EC2::VPCEndpoint',
            Properties: { ServiceName: 'com.amazonaws.eu-west-1.s3', RouteTableIds: ['rtb-1'] },
          },
        },
      }),
      'template.json',
    );
    expect(json?.fix?.replacement?.text).toBe('{ "Fn::Sub": "com.amazonaws.${AWS::Region}.s3" }');
  });

  it('suggests data.aws_region for Terraform, without a replacement', async () => {
    const [finding] = await findingsForTerraform(rule, {
      'mod/main.tf': VARIABLE_PROVIDER + tfEndpoint('"com.amazonaws.eu-west-1.s3"'),
    });
    expect(finding?.fix?.description).toContain('data.aws_region.current.name');
    expect(finding?.fix?.replacement).toBeUndefined();
  });
});
