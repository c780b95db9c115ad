/**
 * Buckets as ARNs. A bucket's ARN is `arn:<partition>:s3:::<name>`, but the adapters keep
 * `!GetAtt Bucket.Arn` / `aws_s3_bucket.b.arn` as a reference of its own (`Bucket#arn`),
 * unrelated to the bucket's name (`!Ref Bucket` / `aws_s3_bucket.b.id`, `Bucket#name`). Rules
 * that compare a policy's `Resource` with a bucket's name rewrite such ARN references into the
 * name form first, so both spellings of the same bucket match by identity.
 */
import { lineRange, type SourceRange } from '../../core/range.js';
import {
  literalString,
  mergeTextParts,
  type StringPart,
  type StringValue,
  type Value,
} from '../../core/value.js';
import {
  findResource,
  resourcesOfKind,
  type BucketResource,
  type PolicyRef,
  type Resource,
  type Scope,
} from '../../iac/model.js';
import type { PolicyString, Statement } from '../../policy/types.js';

/** The reference `!Ref Bucket` / `aws_s3_bucket.b.id` stands for: the bucket's name. */
function nameRef(bucket: BucketResource): StringPart {
  const address = bucket.address;
  return {
    kind: 'ref',
    ref: {
      id: `${address}#name`,
      target: { kind: 'resource', address, attribute: 'name' },
      display: bucket.format === 'terraform' ? `${address}.id` : `!Ref ${address}`,
    },
  };
}

/**
 * The bucket's name as a policy string: its literal name when the code sets one (Terraform
 * resolves `.id` to it already), else the symbolic name reference.
 */
function nameOf(bucket: BucketResource): StringPart {
  const literal = literalString(bucket.bucketName);
  return literal !== undefined && literal !== ''
    ? { kind: 'text', text: literal }
    : nameRef(bucket);
}

/** Is this reference the ARN of a bucket in scope? Then the bucket. */
function bucketOfArnRef(part: StringPart, scope: Scope): BucketResource | undefined {
  if (part.kind !== 'ref' || part.ref.target.kind !== 'resource') return undefined;
  const target = part.ref.target;
  if (target.attribute.toLowerCase() !== 'arn') return undefined;
  const owner = findResource(scope, target.address);
  return owner?.kind === 'bucket' ? owner : undefined;
}

/** Rewrites every bucket-ARN reference in the string into `arn:aws:s3:::<name>`. */
export function expandBucketArns(value: PolicyString, scope: Scope): PolicyString {
  if (value.kind !== 'string') return value;
  let changed = false;
  const parts: StringPart[] = [];
  for (const part of value.parts) {
    const bucket = bucketOfArnRef(part, scope);
    if (!bucket) {
      parts.push(part);
      continue;
    }
    changed = true;
    parts.push({ kind: 'text', text: 'arn:aws:s3:::' }, nameOf(bucket));
  }
  return changed ? { ...value, parts: mergeTextParts(parts) } : value;
}

/** The statement with bucket-ARN references in `Resource` rewritten (see `expandBucketArns`). */
export function withBucketArnsExpanded(statement: Statement, scope: Scope): Statement {
  if (!statement.resource) return statement;
  const items = statement.resource.items.map((item) => expandBucketArns(item, scope));
  return { ...statement, resource: { ...statement.resource, items } };
}

/**
 * What the name references of the scope's buckets are known to be: CloudFormation's
 * `!Ref Bucket` is the `BucketName` when that is a literal. For the evaluator's `assume`.
 */
export function bucketNameAssumptions(scope: Scope): Record<string, string> {
  const assume: Record<string, string> = {};
  for (const bucket of resourcesOfKind(scope, 'bucket')) {
    const literal = literalString(bucket.bucketName);
    if (literal !== undefined && literal !== '') assume[`${bucket.address}#name`] = literal;
  }
  return assume;
}

/** A bucket policy with the name of the bucket it governs. */
export interface GovernedBucket {
  readonly resource: Resource;
  readonly policy: PolicyRef;
  /** The bucket's name (literal or symbolic); undefined when it cannot be told. */
  readonly bucket: StringValue | undefined;
}

/**
 * Every bucket policy of the scope (`AWS::S3::BucketPolicy`, `aws_s3_bucket_policy`, inline
 * `aws_s3_bucket.policy`) with its bucket's name. A name given as a bucket's ARN reference is
 * not a name; it is left undefined (another rule's business).
 */
export function bucketPoliciesOf(scope: Scope): GovernedBucket[] {
  const out: GovernedBucket[] = [];
  for (const resource of resourcesOfKind(scope, 'bucket-policy')) {
    if (resource.policy) {
      out.push({ resource, policy: resource.policy, bucket: nameValue(resource.bucket) });
    }
  }
  for (const resource of resourcesOfKind(scope, 'bucket')) {
    if (resource.policy) {
      const part = nameOf(resource);
      out.push({
        resource,
        policy: resource.policy,
        bucket: { kind: 'string', parts: [part], range: resource.range },
      });
    }
  }
  return out;
}

function nameValue(value: Value | undefined): StringValue | undefined {
  if (value?.kind !== 'string' || value.parts.length === 0) return undefined;
  return value.parts.some(
    (p) =>
      p.kind === 'ref' &&
      p.ref.target.kind === 'resource' &&
      p.ref.target.attribute.toLowerCase() === 'arn',
  )
    ? undefined
    : value;
}

/** `arn:aws:s3:::<bucket>`: the bucket itself. */
export function bucketArn(bucket: StringValue): StringValue {
  return {
    kind: 'string',
    parts: mergeTextParts([{ kind: 'text', text: 'arn:aws:s3:::' }, ...bucket.parts]),
    range: bucket.range,
  };
}

/**
 * `arn:aws:s3:::<bucket>/<key>` with the key a reference to nothing: any object of the bucket.
 * A pattern matches it for sure only when it matches every key (`<bucket>/*`); a prefix
 * (`<bucket>/logs/*`) may match, which the evaluator reports as unknown.
 */
export function anyObjectArn(bucket: StringValue): StringValue {
  const at: SourceRange = lineRange('<request>', 1);
  const key: StringPart = {
    kind: 'ref',
    ref: {
      id: 'request:object-key',
      target: { kind: 'resource', address: 'request:object', attribute: 'key' },
      display: '<key>',
    },
  };
  return {
    kind: 'string',
    parts: mergeTextParts([
      { kind: 'text', text: 'arn:aws:s3:::' },
      ...bucket.parts,
      { kind: 'text', text: '/' },
      key,
    ]),
    range: at,
  };
}

/** How a message shows the bucket: its name, or the reference as written. */
export function showBucket(bucket: StringValue): string {
  return bucket.parts.map((p) => (p.kind === 'text' ? p.text : p.ref.display)).join('');
}
