import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-policy-blocks-aws-service.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, s3Endpoint, template } from './templates.js';
import { TF_VPC, tfModule, tfS3Endpoint } from './terraform-templates.js';

const MY_BUCKET_ONLY = `
- Sid: MyBucket
  Effect: Allow
  Principal: '*'
  Action: ['s3:GetObject', 's3:PutObject']
  Resource: ['arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket/*']
`;

/** The endpoint with a policy, its `PolicyDocument:` line marked as the expected finding. */
function endpoint(policy: string, mark = true): string {
  const text = s3Endpoint('S3Endpoint', policy);
  return mark ? text.replace('PolicyDocument:', 'PolicyDocument: # FIRE') : text;
}

const REPO = `
Repo:
  Type: AWS::ECR::Repository
`;

const CUSTOM_RESOURCE = `
Lookup:
  Type: Custom::Lookup
  Properties:
    ServiceToken: !GetAtt Provider.Arn
`;

const PROVIDER_IN_VPC = `
Provider:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    VpcConfig:
      SubnetIds: [subnet-0123456789abcdef0]
      SecurityGroupIds: [sg-0123456789abcdef0]
`;

const settings = (extra: Partial<typeof DEFAULT_RULE_SETTINGS>) => ({
  settings: { ...DEFAULT_RULE_SETTINGS, ...extra },
});

const cases: TemplateCase[] = [
  {
    name: 'fail_ecr_repository_and_bucket_only_policy',
    yaml: template(VPC, REPO, endpoint(MY_BUCKET_ONLY)),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['S3Endpoint', 'Amazon ECR image layers', 'Repo needs', 'image pulls fail'],
      related: ['Repo'],
    },
  },
  {
    name: 'pass_policy_allows_starport_bucket_of_the_stack_region',
    yaml: template(
      VPC,
      REPO,
      endpoint(
        `${MY_BUCKET_ONLY}
- Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: !Sub arn:aws:s3:::prod-\${AWS::Region}-starport-layer-bucket/*
`,
        false,
      ),
    ),
  },
  {
    // The Region is unknown and the policy names one literally: right for one Region at most.
    name: 'fail_literal_region_in_policy_when_region_unknown',
    yaml: template(
      VPC,
      REPO,
      endpoint(`${MY_BUCKET_ONLY}
- Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*
`),
    ),
    fire: { resource: 'S3Endpoint', severity: 'warning' },
  },
  {
    name: 'pass_wildcard_region_when_region_unknown',
    yaml: template(
      VPC,
      REPO,
      endpoint(
        `${MY_BUCKET_ONLY}
- Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::prod-*-starport-layer-bucket/*
`,
        false,
      ),
    ),
  },
  {
    name: 'fail_policy_names_another_region_than_configured',
    yaml: template(
      VPC,
      REPO,
      endpoint(`${MY_BUCKET_ONLY}
- Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*
`),
    ),
    options: settings({ region: 'eu-west-1' }),
    fire: { resource: 'S3Endpoint', severity: 'warning', words: ['in eu-west-1'] },
  },
  {
    // The usual restrictive policy: everything, but only buckets of the own account.
    name: 'fail_resource_account_pinned_to_own_account',
    yaml: template(
      VPC,
      REPO,
      endpoint(`
- Effect: Allow
  Principal: '*'
  Action: 's3:*'
  Resource: '*'
  Condition:
    StringEquals:
      aws:ResourceAccount: '111122223333'
`),
    ),
    fire: { resource: 'S3Endpoint', severity: 'warning', related: ['Repo'] },
  },
  {
    name: 'pass_no_policy_is_full_access',
    yaml: template(VPC, REPO, s3Endpoint()),
  },
  {
    name: 'pass_allow_everything',
    yaml: template(
      VPC,
      REPO,
      endpoint("- Effect: Allow\n  Principal: '*'\n  Action: 's3:*'\n  Resource: '*'", false),
    ),
  },
  {
    name: 'pass_no_service_in_scope',
    yaml: template(VPC, endpoint(MY_BUCKET_ONLY, false)),
  },
  {
    name: 'pass_parameter_store_is_not_the_agent',
    yaml: template(
      VPC,
      'Param:\n  Type: AWS::SSM::Parameter\n  Properties:\n    Type: String\n    Value: x',
      endpoint(MY_BUCKET_ONLY, false),
    ),
  },
  {
    name: 'fail_wait_condition_needs_put',
    yaml: template(
      VPC,
      'Handle:\n  Type: AWS::CloudFormation::WaitConditionHandle',
      endpoint("- Effect: Allow\n  Principal: '*'\n  Action: 's3:GetObject'\n  Resource: '*'"),
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['AWS CloudFormation wait conditions'],
      related: ['Handle'],
    },
  },
  {
    // AWS's own example for wait conditions without an internet gateway: it needs no
    // custom-resource bucket, as the template has no custom resource.
    name: 'pass_wait_condition_bucket_allowed',
    yaml: template(
      VPC,
      'Handle:\n  Type: AWS::CloudFormation::WaitConditionHandle',
      endpoint(
        `
- Effect: Allow
  Principal: '*'
  Action: s3:PutObject
  Resource: !Sub arn:\${AWS::Partition}:s3:::cloudformation-waitcondition-\${AWS::Region}/*
`,
        false,
      ),
    ),
  },
  {
    name: 'pass_custom_resource_lambda_outside_the_vpc',
    yaml: template(
      VPC,
      CUSTOM_RESOURCE,
      'Provider:\n  Type: AWS::Lambda::Function\n  Properties:\n    Runtime: python3.12',
      endpoint(MY_BUCKET_ONLY, false),
    ),
  },
  {
    name: 'fail_custom_resource_lambda_in_the_vpc',
    yaml: template(VPC, CUSTOM_RESOURCE, PROVIDER_IN_VPC, endpoint(MY_BUCKET_ONLY)),
    fire: { resource: 'S3Endpoint', severity: 'warning', related: ['Lookup'] },
  },
  {
    name: 'fail_amazon_linux_ami_from_public_parameter',
    yaml: template(
      VPC,
      `
Instance:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'
`,
      endpoint(MY_BUCKET_ONLY),
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['Amazon Linux package repositories', 'the Amazon Linux AMI of Instance'],
      related: ['Instance'],
    },
  },
  {
    name: 'fail_amazon_linux_ami_from_ssm_parameter_type',
    yaml: template(VPC, endpoint(MY_BUCKET_ONLY)).replace(
      'Resources:\n',
      `Parameters:
  LatestAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
`,
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['the Amazon Linux AMI lookup LatestAmi'],
      related: ['LatestAmi'],
    },
  },
  {
    name: 'pass_ssm_parameter_type_of_another_path',
    yaml: template(VPC, endpoint(MY_BUCKET_ONLY, false)).replace(
      'Resources:\n',
      `Parameters:
  WindowsAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base
Resources:
`,
    ),
  },
  {
    name: 'fail_ssm_interface_endpoint',
    yaml: template(
      VPC,
      `
SsmEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    VpcEndpointType: Interface
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.ssm
`,
      endpoint(MY_BUCKET_ONLY),
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['AWS Systems Manager Agent', 'endpoint SsmEndpoint'],
      related: ['SsmEndpoint'],
    },
  },
  {
    name: 'fail_service_from_configuration',
    yaml: template(VPC, endpoint(MY_BUCKET_ONLY)),
    options: settings({ services: ['codedeploy'] }),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['AWS CodeDeploy agent', 'the configured services'],
      related: [],
    },
  },
  {
    name: 'pass_service_without_buckets_in_the_table',
    yaml: template(VPC, endpoint(MY_BUCKET_ONLY, false)),
    options: settings({ services: ['workspaces'] }),
  },
];

describe('endpoint-policy-blocks-aws-service', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('lists the ARNs to add, with the Region reference when the Region is unknown', async () => {
    const [finding] = await findingsFor(rule, template(VPC, REPO, endpoint(MY_BUCKET_ONLY)));
    expect(finding?.fix?.description).toBe(
      'Add a statement that allows s3:GetObject on arn:aws:s3:::prod-${AWS::Region}-starport-layer-bucket/* to the endpoint policy (the Region is not known here: write the ARNs with !Sub).',
    );
  });

  it('names only the buckets that are missing, for the known Region', async () => {
    const yaml = template(
      VPC,
      endpoint(`
- Effect: Allow
  Principal: '*'
  Action: s3:PutObject
  Resource: arn:aws:s3:::cloudformation-waitcondition-eu-west-1/*
`),
    );
    const [finding] = await findingsFor(
      rule,
      yaml,
      'template.yaml',
      settings({ region: 'eu-west-1', services: ['cloudformation'] }),
    );
    expect(finding?.fix?.description).toBe(
      'Add a statement that allows s3:PutObject on arn:aws:s3:::cloudformation-custom-resource-response-euwest1/* to the endpoint policy.',
    );
  });

  it('names only the custom-resource bucket for a custom resource', async () => {
    const yaml = template(VPC, CUSTOM_RESOURCE, PROVIDER_IN_VPC, endpoint(MY_BUCKET_ONLY));
    const [finding] = await findingsFor(rule, yaml);
    expect(finding?.fix?.description).toBe(
      'Add a statement that allows s3:PutObject on arn:aws:s3:::cloudformation-custom-resource-response-<Region without dashes>/* to the endpoint policy (the Region is not known here: write the ARNs with !Sub).',
    );
  });

  it('reports once per service, with different fingerprints', async () => {
    const yaml = template(
      VPC,
      REPO,
      'Handle:\n  Type: AWS::CloudFormation::WaitConditionHandle',
      'Cluster:\n  Type: AWS::ECS::Cluster',
      endpoint(MY_BUCKET_ONLY),
    );
    const findings = await findingsFor(rule, yaml);
    expect(findings).toHaveLength(2);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });
});

const TF_REPO = `
resource "aws_ecr_repository" "app" {
  name = "app"
}
`;

const TF_BUCKET_ONLY =
  'jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::my-bucket/*" }] })';

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_bucket_only',
    files: tfModule(
      TF_VPC,
      TF_REPO,
      tfS3Endpoint(`jsonencode({ # FIRE
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::my-bucket/*"]
    }]
  })`),
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'warning',
      words: ['in eu-west-1', 'aws_ecr_repository.app needs'],
      related: ['aws_ecr_repository.app'],
    },
  },
  {
    name: 'pass_tf_policy_document_allows_starport_of_the_region',
    files: tfModule(
      TF_VPC,
      TF_REPO,
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`,
    ),
  },
  {
    name: 'fail_tf_policy_document_other_region',
    files: tfModule(
      TF_VPC,
      'resource "aws_ecs_cluster" "main" {\n  name = "main"\n}\n',
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json # FIRE'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`,
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'warning',
      related: ['aws_ecs_cluster.main'],
    },
  },
  {
    name: 'fail_tf_amazon_linux_ami_data_source',
    files: tfModule(
      TF_VPC,
      `
data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}
`,
      tfS3Endpoint(TF_BUCKET_ONLY + ' # FIRE'),
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'warning',
      words: ['Amazon Linux package repositories', 'data.aws_ami.al2023'],
      related: ['data.aws_ami.al2023'],
    },
  },
  {
    name: 'fail_tf_amazon_linux_ssm_parameter_data_source',
    files: tfModule(
      TF_VPC,
      `
data "aws_ssm_parameter" "al2" {
  name = "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"
}
`,
      tfS3Endpoint(TF_BUCKET_ONLY + ' # FIRE'),
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'warning',
      related: ['data.aws_ssm_parameter.al2'],
    },
  },
  {
    name: 'pass_tf_ubuntu_ami',
    files: tfModule(
      TF_VPC,
      `
data "aws_ami" "ubuntu" {
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}
`,
      tfS3Endpoint(TF_BUCKET_ONLY),
    ),
  },
  {
    name: 'pass_tf_no_policy',
    files: tfModule(TF_VPC, TF_REPO, tfS3Endpoint()),
  },
];

describe('endpoint-policy-blocks-aws-service (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('lists the ARNs for the Region of the service name', async () => {
    const files = tfModule(
      TF_VPC,
      TF_REPO,
      tfS3Endpoint(
        'jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::my-bucket/*" }] })',
      ),
    );
    const [finding] = await findingsForTerraform(rule, files);
    expect(finding?.fix?.description).toBe(
      'Add a statement that allows s3:GetObject on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/* to the endpoint policy.',
    );
  });
});
