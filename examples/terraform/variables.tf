variable "bucket_name" {
  type    = string
  default = "example-reports"
}

variable "office_cidrs" {
  type    = list(string)
  default = ["203.0.113.0/24"]
}
