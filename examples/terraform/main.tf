# Reports are kept in a bucket that only the office network may reach, and private subnets
# reach S3 through a gateway endpoint. Two mistakes:
#  - the bucket policy denies every request from outside the office IP range, and requests
#    through the VPC endpoint carry no aws:SourceIp at all: the VPC's own jobs are locked out;
#  - the endpoint has no policy, so anyone in the VPC can copy data to any bucket of any account.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_s3_bucket" "reports" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OfficeOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]
        Condition = {
          NotIpAddress = { "aws:SourceIp" = var.office_cidrs }
        }
      }
    ]
  })
}
