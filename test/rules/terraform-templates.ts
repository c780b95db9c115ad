/**
 * Building blocks for small Terraform modules in rule tests. Policies come in the three forms
 * real modules use: `jsonencode(...)`, a heredoc of JSON, and `data "aws_iam_policy_document"`.
 * Expected lines are marked with `# FIRE` (stripped before loading, so heredoc JSON stays valid).
 */

export const TF_VPC = `resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}
`;

/** An S3 gateway endpoint; `policy` is the HCL expression of its `policy` argument. */
export function tfS3Endpoint(policy?: string, name = 's3', service = 's3'): string {
  return `
resource "aws_vpc_endpoint" "${name}" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.${service}"
  route_table_ids = ["rtb-0123456789abcdef0"]
${policy === undefined ? '' : `  policy          = ${policy}\n`}}
`;
}

export function tfBucketPolicy(policy: string, name = 'data'): string {
  return `
resource "aws_s3_bucket_policy" "${name}" {
  bucket = "data-bucket"
  policy = ${policy}
}
`;
}

export function tfIamPolicy(policy: string, name = 'app'): string {
  return `
resource "aws_iam_policy" "${name}" {
  name   = "${name}"
  policy = ${policy}
}
`;
}

/**
 * `data "aws_iam_policy_document" "bucket"`: the bucket-policy statement most rule tests vary,
 * a Deny of `s3:*` on `data-bucket`'s objects for everyone, with the given `condition` blocks.
 */
export function tfDenyDocument(conditions: string): string {
  return `
data "aws_iam_policy_document" "bucket" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
${conditions.replace(/^\n/, '')}  }
}
`;
}

/**
 * One `condition` block of an aws_iam_policy_document statement, for `tfDenyDocument`;
 * `values` is HCL (`["203.0.113.0/24"]`, `[aws_vpc.main.id]`), `fire` marks the variable line.
 */
export function tfCondition(test: string, variable: string, values: string, fire = false): string {
  return `    condition {
      test     = "${test}"
      variable = "${variable}"${fire ? ' # FIRE' : ''}
      values   = ${values}
    }
`;
}

/** The module `mod/` holding one `main.tf` made of the given blocks. */
export function tfModule(...blocks: string[]): Record<string, string> {
  return { 'mod/main.tf': blocks.join('') };
}
