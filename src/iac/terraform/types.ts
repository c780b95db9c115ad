/**
 * The contract between the Terraform reader (HCL → evaluated blocks) and what builds the model
 * from those blocks (resources, `aws_iam_policy_document`). Nothing here knows tree-sitter.
 */
import type { SourceRange } from '../../core/range.js';
import type { Value } from '../../core/value.js';

export interface TfAttribute {
  readonly name: string;
  /** The attribute's expression, evaluated lazily (on first read) with cycle detection. */
  readonly value: () => Value;
  /** `name = expr` as a whole. */
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  /** The expression as written (`var.region`, `aws.west`), for arguments read by their form. */
  readonly text?: string;
}

/**
 * One block instance. `count`/`for_each` instances with known keys are separate blocks with
 * their own address (`aws_vpc_endpoint.this["s3"]`, `aws_s3_bucket_policy.p[0]`); with an
 * unknown collection there is one block with `instanceKey: 'unknown'`. `dynamic "x"` blocks
 * with a known collection are expanded into blocks of type `x` (`each`-like iterator bound);
 * with an unknown one they are left as one block of type `x` whose values depending on the
 * iterator are unknown.
 */
export interface TfBlock {
  /** `resource`, `data`, `provider`, `variable`, `locals`, `module`, `output`, `terraform`, or a nested block's name (`statement`, `condition`, `principals`). */
  readonly type: string;
  readonly labels: readonly string[];
  /** Top-level resources: `aws_vpc_endpoint.s3`; data sources: `data.aws_iam_policy_document.x`; nested blocks: the parent's address. */
  readonly address: string;
  readonly instanceKey?: string | number | 'unknown';
  readonly file: string;
  readonly range: SourceRange;
  readonly attributes: ReadonlyMap<string, TfAttribute>;
  readonly blocks: readonly TfBlock[];
  /** Set when the block exists only under a condition (`count = var.x ? 1 : 0`): its text. */
  readonly condition?: string;
}

/**
 * Computes the value of a data source's attribute that Terraform would compute at plan time
 * but that we can compute from the configuration (`data.aws_iam_policy_document.x.json`,
 * `data.aws_region.current.name` when the provider's Region is known). Returns undefined when
 * it cannot: the reference then stays symbolic.
 */
export type DataSourceResolver = (block: TfBlock, attribute: string) => Value | undefined;
