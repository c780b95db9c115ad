# Archive bucket for monthly report exports. The export job's role may read and write it.

resource "aws_s3_bucket" "archive" {
  bucket = var.archive_bucket_name
}

resource "aws_iam_role_policy" "export_job" {
  name = "export-job-archive"
  role = var.export_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadArchive"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.archive.arn, "${aws_s3_bucket.archive.arn}/*"]
      },
      {
        Sid      = "WriteArchive"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = aws_s3_bucket.archive.arn
      }
    ]
  })
}
