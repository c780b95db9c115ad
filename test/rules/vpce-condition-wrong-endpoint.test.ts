import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/vpce-condition-wrong-endpoint.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, s3Endpoint, template, withConditions } from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfDenyDocument,
  tfModule,
  tfS3Endpoint,
  tfCondition,
} from './terraform-templates.js';

function endpoint(name: string, service: string, type = ''): string {
  return `
${name}:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}
${type === '' ? '' : `    VpcEndpointType: ${type}\n`}`;
}

const DYNAMODB = endpoint('DynamoDbEndpoint', 'dynamodb');

function denyUnless(value: string, operator = 'StringNotEquals'): string {
  return `
- Sid: EndpointOnly
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    ${operator}:
      aws:SourceVpce: ${value}
`;
}

const cases: TemplateCase[] = [
  {
    name: 'fail_dynamodb_endpoint_in_deny',
    yaml: template(
      VPC,
      s3Endpoint(),
      DYNAMODB,
      bucketPolicy(denyUnless('!Ref DynamoDbEndpoint # FIRE')),
    ),
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['BucketPolicy', 'DynamoDbEndpoint', 'dynamodb', 'not S3', 'EndpointOnly'],
      related: ['DynamoDbEndpoint'],
    },
  },
  {
    name: 'fail_interface_endpoint_of_another_service_in_list',
    yaml: template(
      VPC,
      s3Endpoint(),
      endpoint('SqsEndpoint', 'sqs', 'Interface'),
      bucketPolicy(
        denyUnless(
          '# FIRE\n        - !Ref S3Endpoint\n        - !GetAtt SqsEndpoint.Id',
          'StringNotEquals',
        ),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', related: ['SqsEndpoint'] },
  },
  {
    name: 'fail_allow_in_endpoint_free_template',
    yaml: template(
      VPC,
      DYNAMODB,
      bucketPolicy(
        denyUnless('!Ref DynamoDbEndpoint # FIRE', 'StringEquals').replace(
          'Effect: Deny',
          'Effect: Allow',
        ),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    name: 'pass_s3_endpoint',
    yaml: template(VPC, s3Endpoint(), DYNAMODB, bucketPolicy(denyUnless('!Ref S3Endpoint'))),
  },
  {
    // The service name is a parameter: it may be S3.
    name: 'pass_unknown_service_is_silent',
    yaml: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Service:
    Type: String
${template(
  VPC,
  `
SomeEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Ref Service
`,
  bucketPolicy(denyUnless('!Ref SomeEndpoint')),
).replace("AWSTemplateFormatVersion: '2010-09-09'\n", '')}`,
  },
  {
    name: 'pass_literal_id',
    yaml: template(VPC, s3Endpoint(), DYNAMODB, bucketPolicy(denyUnless('vpce-1a2b3c4d'))),
  },
  {
    name: 'fail_only_in_one_branch',
    yaml: withConditions(
      "UseDynamo: !Equals [!Ref 'AWS::Region', us-east-1]",
      VPC,
      s3Endpoint(),
      DYNAMODB,
      bucketPolicy(denyUnless('!If [UseDynamo, !Ref DynamoDbEndpoint, !Ref S3Endpoint] # FIRE')),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['when UseDynamo is true'] },
  },
];

describe('vpce-condition-wrong-endpoint', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('names the only S3 endpoint in the fix', async () => {
    const [finding, ...rest] = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), DYNAMODB, bucketPolicy(denyUnless('!Ref DynamoDbEndpoint'))),
    );
    expect(rest).toEqual([]);
    expect(finding?.fix?.description).toBe(
      'Reference the S3 endpoint instead: aws:SourceVpce: !Ref S3Endpoint.',
    );
  });

  it('gives a generic fix when several S3 endpoints are in scope', async () => {
    const [finding] = await findingsFor(
      rule,
      template(
        VPC,
        s3Endpoint('A'),
        s3Endpoint('B'),
        DYNAMODB,
        bucketPolicy(denyUnless('!Ref DynamoDbEndpoint')),
      ),
    );
    expect(finding?.fix?.description).toContain('com.amazonaws.<region>.s3');
  });
});

const TF_DYNAMODB = tfS3Endpoint(undefined, 'dynamodb', 'dynamodb');

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_dynamodb_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      TF_DYNAMODB,
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = {
        StringNotEquals = {
          "aws:SourceVpce" = aws_vpc_endpoint.dynamodb.id # FIRE
        }
      }
    }]
  })`),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'error',
      words: ['aws_vpc_endpoint.dynamodb', 'dynamodb'],
    },
  },
  {
    name: 'fail_tf_policy_document_dynamodb_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      TF_DYNAMODB,
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition('StringNotEquals', 'aws:SourceVpce', '[aws_vpc_endpoint.dynamodb.id]', true),
      ),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'pass_tf_s3_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      TF_DYNAMODB,
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(tfCondition('StringNotEquals', 'aws:SourceVpce', '[aws_vpc_endpoint.s3.id]')),
    ),
  },
];

describe('vpce-condition-wrong-endpoint (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});

describe('vpce-condition-wrong-endpoint (CloudFormation JSON)', () => {
  it('points at the aws:SourceVpce key of a JSON template', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          DynamoDbEndpoint: {
            Type: 'AWS::EC2::VPCEndpoint',
            Properties: {
              VpcId: 'vpc-0a1b2c3d',
              ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.dynamodb' },
            },
          },
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: 'data-bucket',
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: 'arn:aws:s3:::data-bucket/*',
                    Condition: {
                      StringNotEquals: { 'aws:SourceVpce': { Ref: 'DynamoDbEndpoint' } },
                    },
                  },
                ],
              },
            },
          },
        },
      },
      null,
      2,
    );
    const findings = await findingsFor(rule, json, 'template.json');
    expect(findings).toHaveLength(1);
    expect(json.split('\n')[(findings[0]?.range.startLine ?? 0) - 1]).toContain('aws:SourceVpce');
    expect(findings[0]?.related.map((r) => r.resource)).toEqual(['DynamoDbEndpoint']);
  });
});
