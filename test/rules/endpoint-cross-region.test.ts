import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-cross-region.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';

const SUBNET_IN = (zone: string) => `
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0abc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: ${zone}`;

const endpoint = (serviceName: string, extra = '') => `
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0abc
      RouteTableIds: [rtb-0abc]
      ServiceName: ${serviceName}${extra}`;

const cfn = (...parts: string[]) => `Resources:${parts.join('')}\n`;

const settings = (extra: Partial<typeof DEFAULT_RULE_SETTINGS>) => ({
  settings: { ...DEFAULT_RULE_SETTINGS, ...extra },
});

const cases: TemplateCase[] = [
  {
    name: 'fail_service_region_differs_from_literal_az_region',
    yaml: cfn(SUBNET_IN('eu-west-1a'), endpoint('com.amazonaws.us-east-1.s3 # FIRE')),
    fire: {
      resource: 'S3Endpoint',
      severity: 'error',
      words: ['S3Endpoint', 'us-east-1', 'eu-west-1', 'Availability Zones'],
    },
  },
  {
    name: 'pass_service_name_from_aws_region',
    yaml: cfn(SUBNET_IN('eu-west-1a'), endpoint("!Sub 'com.amazonaws.${AWS::Region}.s3'")),
  },
  {
    name: 'pass_same_region',
    yaml: cfn(SUBNET_IN('eu-west-1a'), endpoint('com.amazonaws.eu-west-1.s3')),
  },
  {
    name: 'pass_region_not_known',
    yaml: cfn(endpoint('com.amazonaws.us-east-1.s3')),
  },
  {
    name: 'fail_config_region_differs',
    yaml: cfn(endpoint('com.amazonaws.us-east-1.s3 # FIRE')),
    options: settings({ region: 'ap-southeast-2' }),
    fire: { resource: 'S3Endpoint', severity: 'error', words: ['configured Region'] },
  },
  {
    name: 'fail_config_region_of_the_vpc_differs',
    yaml: cfn(endpoint('com.amazonaws.us-east-1.s3 # FIRE')),
    options: settings({ vpcs: [{ id: 'vpc-0abc', region: 'eu-north-1' }] }),
    fire: { resource: 'S3Endpoint', severity: 'error', words: ['eu-north-1', 'vpc-0abc'] },
  },
  {
    name: 'pass_legacy_us_standard_is_us_east_1',
    yaml: cfn(endpoint('com.amazonaws.us-east-1.s3')),
    options: settings({ region: 'US Standard' }),
  },
  {
    name: 'pass_interface_endpoint_with_service_region',
    yaml: cfn(
      SUBNET_IN('eu-west-1a'),
      endpoint(
        'com.amazonaws.us-east-1.s3',
        '\n      VpcEndpointType: Interface\n      ServiceRegion: us-east-1',
      ),
    ),
  },
  {
    name: 'fail_interface_endpoint_without_service_region',
    yaml: cfn(
      SUBNET_IN('eu-west-1a'),
      endpoint('com.amazonaws.us-east-1.s3 # FIRE', '\n      VpcEndpointType: Interface'),
    ),
    fire: { resource: 'S3Endpoint', severity: 'error', words: ['us-east-1'] },
  },
];

const PROVIDERS = `
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "oregon"
  region = "us-west-2"
}
`;

const tfEndpoint = (serviceName: string, extra = '') => `
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0abc"
  route_table_ids = ["rtb-0abc"]
  service_name    = ${serviceName}${extra}
}
`;

const REQUIRE_ENDPOINT = (bucketProvider: string) => `
resource "aws_s3_bucket" "data" {
  ${bucketProvider}
  bucket = "data-bucket"
}
resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ThroughEndpointOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })
}
`;

const tfCases: TerraformCase[] = [
  {
    name: 'fail_provider_region_differs',
    files: { 'mod/main.tf': PROVIDERS + tfEndpoint('"com.amazonaws.us-east-1.s3" # FIRE') },
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'error', words: ['us-east-1', 'eu-west-1'] },
  },
  {
    name: 'fail_aliased_provider_region_differs',
    files: {
      'mod/main.tf':
        PROVIDERS + tfEndpoint('"com.amazonaws.eu-west-1.s3" # FIRE', '\n  provider = aws.oregon'),
    },
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'error', words: ['us-west-2'] },
  },
  {
    name: 'pass_aliased_provider_same_region',
    files: {
      'mod/main.tf':
        PROVIDERS + tfEndpoint('"com.amazonaws.us-west-2.s3"', '\n  provider = aws.oregon'),
    },
  },
  {
    name: 'pass_data_aws_region',
    files: {
      'mod/main.tf':
        PROVIDERS +
        'data "aws_region" "current" {}\n' +
        tfEndpoint('"com.amazonaws.${data.aws_region.current.name}.s3"'),
    },
  },
  {
    name: 'pass_provider_region_from_variable',
    files: {
      'mod/main.tf':
        'provider "aws" {\n  region = var.region\n}\nvariable "region" {\n  default = "eu-west-1"\n}\n' +
        tfEndpoint('"com.amazonaws.us-east-1.s3"'),
    },
  },
  {
    name: 'fail_bucket_that_requires_the_endpoint_is_in_another_region',
    files: {
      'mod/main.tf':
        PROVIDERS +
        tfEndpoint('"com.amazonaws.eu-west-1.s3" # FIRE') +
        REQUIRE_ENDPOINT('provider = aws.oregon'),
    },
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'error',
      words: ['aws_s3_bucket_policy.data', 'us-west-2', 'eu-west-1'],
    },
  },
  {
    name: 'pass_bucket_in_the_same_region',
    files: {
      'mod/main.tf': PROVIDERS + tfEndpoint('"com.amazonaws.eu-west-1.s3"') + REQUIRE_ENDPOINT(''),
    },
  },
];

describe('endpoint-cross-region', () => {
  it.each(cases)('$name', async (c) => {
    const { actual, wanted } = await checkTemplateCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it.each(tfCases)('terraform: $name', async (c) => {
    const { actual, wanted } = await checkTerraformCase(rule, c);
    expect(actual).toEqual(wanted);
  });

  it('fixes CloudFormation with !Sub and ${AWS::Region}, replacing the value exactly', async () => {
    const [finding] = await findingsFor(
      rule,
      cfn(SUBNET_IN('eu-west-1a'), endpoint('com.amazonaws.us-east-1.s3')),
    );
    expect(finding?.fix?.replacement?.text).toBe("!Sub 'com.amazonaws.${AWS::Region}.s3'");
    expect(finding?.fix?.replacement?.range).toEqual(finding?.range);
  });

  it('fixes Terraform with data.aws_region, or the aliased provider Region', async () => {
    const [plain] = await findingsForTerraform(rule, {
      'mod/main.tf': PROVIDERS + tfEndpoint('"com.amazonaws.us-east-1.s3"'),
    });
    expect(plain?.fix?.replacement?.text).toBe(
      '"com.amazonaws.${data.aws_region.current.name}.s3"',
    );
    const [aliased] = await findingsForTerraform(rule, {
      'mod/main.tf':
        PROVIDERS + tfEndpoint('"com.amazonaws.eu-west-1.s3"', '\n  provider = aws.oregon'),
    });
    expect(aliased?.fix?.replacement?.text).toBe('"com.amazonaws.us-west-2.s3"');
  });

  it('relates the bucket policy that requires the endpoint, and gives no replacement', async () => {
    const [finding] = await findingsForTerraform(rule, {
      'mod/main.tf':
        PROVIDERS +
        tfEndpoint('"com.amazonaws.eu-west-1.s3"') +
        REQUIRE_ENDPOINT('provider = aws.oregon'),
    });
    expect(finding?.related.map((r) => r.resource)).toEqual(['aws_s3_bucket_policy.data']);
    expect(finding?.fix?.replacement).toBeUndefined();
    expect(finding?.fix?.description).toContain('us-west-2');
  });
});
