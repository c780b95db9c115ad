import { describe, expect, it } from 'vitest';
import { displayValue } from '../../../src/core/value.js';
import { findResource } from '../../../src/iac/model.js';
import { scopeFor, scopeForTerraform } from '../../rules/helpers.js';

const shown = (v: { region?: Parameters<typeof displayValue>[0] } | undefined): string =>
  v?.region ? displayValue(v.region) : '<default>';

describe('Terraform Regions: default provider, aliases, per-resource region', () => {
  it('records a literal default Region and the Regions of aliased providers and v6 `region`', async () => {
    const scope = await scopeForTerraform({
      'mod/main.tf': `
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
provider "aws" {
  alias  = "other"
  region = var.other_region
}
variable "other_region" {
  default = "ap-south-1"
}
resource "aws_s3_bucket" "home" {}
resource "aws_s3_bucket" "us" {
  provider = aws.us
}
resource "aws_s3_bucket" "other" {
  provider = aws.other
}
resource "aws_s3_bucket" "passed" {
  provider = aws.passed_in
}
resource "aws_s3_bucket" "v6" {
  region = "sa-east-1"
}
resource "aws_s3_bucket" "v6var" {
  region = var.other_region
}
`,
    });
    expect(scope.region).toBe('eu-west-1');
    expect(scope.regionSource).toBe('literal');
    const r = (a: string) => findResource(scope, a);
    expect(shown(r('aws_s3_bucket.home'))).toBe('<default>');
    expect(shown(r('aws_s3_bucket.us'))).toBe('us-east-1');
    expect(r('aws_s3_bucket.other')?.region?.kind).toBe('unknown');
    expect(r('aws_s3_bucket.passed')?.region?.kind).toBe('unknown');
    expect(shown(r('aws_s3_bucket.v6'))).toBe('sa-east-1');
    expect(r('aws_s3_bucket.v6var')?.region?.kind).toBe('unknown');
  });

  it('says the default Region comes from a variable, or is not known', async () => {
    const fromVariable = await scopeForTerraform({
      'mod/main.tf': 'provider "aws" {\n  region = var.region\n}\nvariable "region" {}\n',
    });
    expect(fromVariable.regionSource).toBe('variable');
    const unset = await scopeForTerraform({ 'mod/main.tf': 'provider "aws" {}\n' });
    expect(unset.regionSource).toBe('unknown');
    const none = await scopeForTerraform({ 'mod/main.tf': 'resource "aws_vpc" "v" {}\n' });
    expect(none.regionSource).toBeUndefined();
  });

  it('CloudFormation: literal Availability Zones make a literal Region', async () => {
    const scope = await scopeFor(
      'Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: eu-central-1a\n',
    );
    expect(scope.region).toBe('eu-central-1');
    expect(scope.regionSource).toBe('literal');
  });
});
