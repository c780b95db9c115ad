variable "archive_bucket_name" {
  type        = string
  description = "Name of the archive bucket."
}

variable "export_role_name" {
  type        = string
  description = "IAM role the monthly export job runs as."
}
