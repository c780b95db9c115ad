/**
 * CloudFormation text shared by the GitHub-facing tests (pipeline, app, `pr` command): a VPC
 * whose route table reaches S3 through a gateway endpoint. As written it has no endpoint
 * policy (`endpoint-policy-full-access`, a warning); callers append the endpoint's further
 * properties or more resources.
 */
export function vpcWithS3Endpoint(endpoint = 'S3Endpoint'): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  ${endpoint}:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      RouteTableIds: [!Ref RouteTable]
`;
}
