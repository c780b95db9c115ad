/**
 * `npm run bench:terraform [-- <corpus dir>]`: how fast the engine scans Terraform. Generates one
 * module of 2,000 resources (VPCs, S3 gateway endpoints with and without policies, buckets whose
 * policies are written with `jsonencode`, heredoc JSON and `data "aws_iam_policy_document"`) split
 * over 20 files, then scans it, and the Terraform module folders of a corpus when given (default
 * /work/shared/corpus/files when it exists). Prints files/s, MB/s and the longest time the event
 * loop was blocked (a scan yields between files and modules; one module's load is synchronous).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scanPaths } from '../src/engine/scan.js';
import { rules } from '../src/rules/index.js';

const FILES = 20;
/** Each group is 5 resources: VPC, route table, endpoint, bucket, bucket policy (+ a data source). */
const GROUPS_PER_FILE = 20;

function group(n: number): string {
  const style = n % 3;
  const endpointPolicy =
    n % 2 === 0
      ? `
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = ["\${aws_s3_bucket.b${n}.arn}/*"]
    }]
  })`
      : '';
  const policy =
    style === 0
      ? `jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyThroughEndpoint"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.b${n}.arn, "\${aws_s3_bucket.b${n}.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3_${n}.id } }
    }]
  })`
      : style === 1
        ? `<<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "\${aws_s3_bucket.b${n}.arn}/*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}
      }]
    }
  EOT`
        : `data.aws_iam_policy_document.p${n}.json`;
  const document =
    style === 2
      ? `
data "aws_iam_policy_document" "p${n}" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.b${n}.arn, "\${aws_s3_bucket.b${n}.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
`
      : '';
  return `
resource "aws_vpc" "v${n}" {
  cidr_block = "10.${n % 250}.0.0/16"
}

resource "aws_route_table" "rt${n}" {
  vpc_id = aws_vpc.v${n}.id
}

resource "aws_vpc_endpoint" "s3_${n}" {
  vpc_id          = aws_vpc.v${n}.id
  service_name    = "com.amazonaws.\${var.region}.s3"
  route_table_ids = [aws_route_table.rt${n}.id]${endpointPolicy}
}

resource "aws_s3_bucket" "b${n}" {
  bucket = "data-${n}-\${var.account}"
}

resource "aws_s3_bucket_policy" "bp${n}" {
  bucket = aws_s3_bucket.b${n}.id
  policy = ${policy}
}
${document}`;
}

export async function generate(dir: string): Promise<void> {
  await writeFile(
    path.join(dir, 'variables.tf'),
    'variable "region" {\n  default = "eu-west-1"\n}\n\nvariable "account" {\n  type = string\n}\n',
  );
  for (let f = 0; f < FILES; f++) {
    const groups = Array.from({ length: GROUPS_PER_FILE }, (_, i) =>
      group(f * GROUPS_PER_FILE + i),
    );
    await writeFile(path.join(dir, `part-${String(f).padStart(2, '0')}.tf`), groups.join(''));
  }
}

/**
 * One `.tf` file per folder under `root` (not `.terraform`) that holds any: naming it scans that
 * folder's module, and nothing else (walking the folder would also read nested templates).
 */
async function moduleDirs(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  const tf = entries.find((e) => e.isFile() && e.name.endsWith('.tf'));
  if (tf) out.push(path.relative(root, path.join(dir, tf.name)));
  for (const entry of entries) {
    if (entry.isDirectory() && entry.name !== '.terraform' && entry.name !== '.git')
      out.push(...(await moduleDirs(root, path.join(dir, entry.name))));
  }
  return out;
}

async function bytesOf(root: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(path.join(root, file))).size;
  return total;
}

async function timeScan(label: string, root: string, paths: string[]): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const result = await scanPaths({ root, paths, rules });
  const seconds = (performance.now() - started) / 1000;
  // The histogram records a delay when its timer finally fires: let it fire once more, or the
  // last (often the longest) stretch is never counted.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  const files = result.files.map((f) => f.file);
  const bytes = await bytesOf(root, files);
  const resources = result.files.reduce((n, f) => n + f.resources, 0);
  const policies = result.files.reduce((n, f) => n + f.policies, 0);
  const unresolved = result.files.reduce((n, f) => n + f.unresolvedPolicies, 0);
  process.stdout.write(
    `${label}: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB, ${resources} resources, ` +
      `${policies} policies (${unresolved} unresolved), ${result.findings.length} findings, ` +
      `${result.errors.length} errors\n` +
      `  ${seconds.toFixed(2)} s, ${(files.length / seconds).toFixed(1)} files/s, ` +
      `${(bytes / 1024 / 1024 / seconds).toFixed(2)} MB/s, ` +
      `longest event-loop block ${(histogram.max / 1e6).toFixed(0)} ms\n`,
  );
}

async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'seg-bench-tf-'));
  try {
    await generate(dir);
    // Warm-up: parser initialisation (WebAssembly) and JIT are not what is measured.
    await scanPaths({ root: dir, paths: ['.'], rules });
    await timeScan(`generated module (${FILES * GROUPS_PER_FILE * 5} resources)`, dir, ['.']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const corpus = path.resolve(process.argv[2] ?? '/work/shared/corpus/files');
  if (existsSync(corpus)) {
    const dirs = await moduleDirs(corpus);
    await timeScan(`corpus Terraform (${dirs.length} modules)`, corpus, dirs);
  }
}

// Run only as `npm run bench:terraform`, not when another script imports the generator.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
