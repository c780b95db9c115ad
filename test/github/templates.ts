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

/**
 * `vpcWithS3Endpoint` whose endpoint policy allows reads of one bucket, `Reports`, whose bucket
 * policy denies either everything from outside an office IP range (`officeOnly`: traffic through
 * the endpoint has no public source IP, so `sourceip-deny-blocks-endpoint` fires on
 * `ReportsPolicy`, an error) or plain HTTP (clean). The base and head of most pull request tests.
 */
export function reportsBehindEndpoint(officeOnly: boolean): string {
  return `${vpcWithS3Endpoint()}      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: 's3:GetObject'
            Resource: !Sub 'arn:aws:s3:::\${Reports}/*'
  Reports:
    Type: AWS::S3::Bucket
  ReportsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Reports
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: ${officeOnly ? 'OfficeOnly' : 'TlsOnly'}
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !Sub 'arn:aws:s3:::\${Reports}'
              - !Sub 'arn:aws:s3:::\${Reports}/*'
            Condition:
${
  officeOnly
    ? `              NotIpAddress:
                aws:SourceIp: 203.0.113.0/24
`
    : `              Bool:
                aws:SecureTransport: 'false'
`
}`;
}
