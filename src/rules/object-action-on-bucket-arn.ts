/**
 * Object actions (`s3:GetObject`) on bucket ARNs only, or bucket actions (`s3:ListBucket`) on
 * object ARNs only. S3 authorises an object request against `arn:aws:s3:::bucket/key` and a
 * bucket request against `arn:aws:s3:::bucket`; the two never match each other, so such a
 * statement grants (or denies) those actions nothing — the classic `Resource: arn:aws:s3:::b`
 * with `s3:GetObject`, missing `arn:aws:s3:::b/*`.
 *
 * Judged per action item, after expanding wildcards: an item is dead only when none of the
 * actions it covers acts on a kind of resource the statement names. `s3:Get*` covers both
 * `GetObject` and `GetBucketPolicy`, so it is live on a bucket ARN alone. A resource whose shape
 * cannot be told (an unresolved value, a parameter holding a whole ARN, `arn:aws:s3:::b*`, which
 * also matches objects) keeps the whole statement silent.
 */
import { defineRule } from './define-rule.js';
import { displayValue, soleRef, type StringValue } from '../core/value.js';
import { findResource, type PolicyRef, type Resource, type Scope } from '../iac/model.js';
import type { PolicyString, Statement } from '../policy/types.js';
import { statementIdentity } from './support/identity.js';
import { checkEachPolicyVariant, type VariantFinding } from './support/variants.js';
import { s3ActionName, s3ActionsMatching, type S3ResourceKind } from './data/s3-actions.js';
import { policyLabel, statementLabel } from './data/labels.js';

/** What a `Resource` entry can match: one kind, or `unknown` (anything; stay silent). */
type ResourceShape = S3ResourceKind | 'unknown';

/** Stands for a reference inside a rendered ARN: an opaque, non-empty name segment. */
const REF = '\u0000';
const S3_ARN = /^arn:[^:*?]+:s3:::(.*)$/s;
const OTHER_ARN = /^arn:[^:*?]+:[^:*?]+:[^:*?]*:[^:*?]*:/s;

/** Is this reference an S3 bucket's ARN (`!GetAtt Bucket.Arn`)? */
function isBucketArnRef(part: StringValue['parts'][number], scope: Scope): boolean {
  if (part.kind !== 'ref' || part.ref.target.kind !== 'resource') return false;
  const target = part.ref.target;
  return target.attribute === 'arn' && findResource(scope, target.address)?.kind === 'bucket';
}

/**
 * The kind of resource an entry can match. A reference *inside* an S3 ARN
 * (`arn:aws:s3:::${BucketName}`) is taken to be a bucket name, which never contains `/`, `*` or
 * `?`; a reference that is the whole entry is only understood when it is a bucket's ARN.
 */
export function resourceShape(item: PolicyString, scope: Scope): ResourceShape {
  if (item.kind !== 'string') return 'unknown';
  const [first] = item.parts;
  if (item.parts.length === 1 && first?.kind === 'ref') {
    if (isBucketArnRef(first, scope)) return 'bucket';
    const target = first.ref.target;
    return target.kind === 'resource' && target.attribute === 'arn' ? 'other' : 'unknown';
  }
  const rendered = item.parts
    .map((part, index) => {
      if (part.kind === 'text') return part.text;
      return index === 0 && isBucketArnRef(part, scope) ? `arn:aws:s3:::${REF}` : REF;
    })
    .join('');
  const s3 = S3_ARN.exec(rendered);
  if (s3) {
    const name = s3[1] ?? '';
    if (name.includes('/')) return 'object';
    if (name === '' || name.includes('*') || name.includes('?')) return 'unknown';
    return 'bucket';
  }
  // A well-formed ARN of anything else (access point, job, another service) with no wildcard
  // or reference before its resource part: it can match neither buckets nor objects.
  return OTHER_ARN.test(rendered) ? 'other' : 'unknown';
}

interface DeadActions {
  readonly statement: Statement;
  /** The kind the statement's resources have; the dead actions act only on the other one. */
  readonly resourceKind: 'bucket' | 'object';
  readonly actions: readonly string[];
}

function deadActionsIn(statement: Statement, scope: Scope): DeadActions | undefined {
  const resource = statement.resource;
  if (!resource || resource.negated || statement.action.negated) return undefined;
  const shapes = new Set(resource.items.map((item) => resourceShape(item, scope)));
  if (shapes.has('unknown')) return undefined;
  const named = shapes as ReadonlySet<S3ResourceKind>;
  // Only one of the two S3 ARN forms named: otherwise every bucket or object action is live.
  const resourceKind = named.has('bucket') ? 'bucket' : named.has('object') ? 'object' : undefined;
  if (resourceKind === undefined || (named.has('bucket') && named.has('object'))) return undefined;

  const dead: string[] = [];
  for (const item of statement.action.items) {
    if (item.kind !== 'string' || item.parts.length !== 1 || item.parts[0]?.kind !== 'text') {
      continue;
    }
    const written = item.parts[0].text;
    const name = s3ActionName(written);
    if (name === undefined) continue;
    const covered = s3ActionsMatching(name).filter(
      (action) => action.kinds.has('bucket') || action.kinds.has('object'),
    );
    // Nothing bucket- or object-related (or no such action: unknown-s3-action reports that).
    if (covered.length === 0) continue;
    const live = covered.some((action) => [...named].some((kind) => action.kinds.has(kind)));
    if (!live) dead.push(written);
  }
  return dead.length === 0 ? undefined : { statement, resourceKind, actions: dead };
}

/** The ARN form the statement is missing, for the fix text, written in the resource's language. */
function otherForm(
  item: PolicyString,
  resourceKind: 'bucket' | 'object',
  format: Resource['format'],
): string {
  const whole = soleRef(item);
  if (whole?.target.kind === 'resource' && resourceKind === 'bucket') {
    return format === 'terraform'
      ? `"\${${whole.target.address}.arn}/*"`
      : `!Sub '\${${whole.target.address}.Arn}/*'`;
  }
  const [first] = item.kind === 'string' ? item.parts : [];
  if (resourceKind === 'object' && first?.kind === 'ref' && first.ref.target.kind === 'resource') {
    return format === 'terraform'
      ? `${first.ref.target.address}.arn`
      : `!GetAtt ${first.ref.target.address}.Arn`;
  }
  const shown = displayValue(item);
  if (resourceKind === 'bucket') return `${shown}/*`;
  const marker = shown.indexOf(':::');
  const slash = shown.indexOf('/', marker < 0 ? 0 : marker);
  return slash < 0 ? shown : shown.slice(0, slash);
}

export default defineRule({
  id: 'object-action-on-bucket-arn',
  title: 'S3 object actions only on bucket ARNs, or bucket actions only on object ARNs',
  severity: 'warning',
  docs: {
    description:
      'S3 checks object actions against object ARNs (arn:aws:s3:::bucket/key) and bucket actions ' +
      'against bucket ARNs (arn:aws:s3:::bucket). A statement that names only the other form ' +
      'grants or denies those actions nothing.',
    source:
      'Service Authorization Reference, "Actions, resources, and condition keys for Amazon S3": ' +
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
  },
  check({ scope, report }) {
    checkEachPolicyVariant(scope, report, (resource, policy, variant) =>
      variant.document.statements.flatMap((statement) => {
        const dead = deadActionsIn(statement, scope);
        return dead ? [findingFor(resource, policy, dead, scope)] : [];
      }),
    );
  },
});

function findingFor(
  resource: Resource,
  policy: PolicyRef,
  { statement, resourceKind, actions }: DeadActions,
  scope: Scope,
): VariantFinding {
  const resources = statement.resource;
  const actionKind = resourceKind === 'bucket' ? 'object' : 'bucket';
  const verb = statement.effect === 'Allow' ? 'grants' : 'denies';
  const forms = (resources?.items ?? [])
    .filter((item) => resourceShape(item, scope) === resourceKind)
    .map((item) => otherForm(item, resourceKind, resource.format));
  const one = actions.length === 1;
  return {
    message:
      `${resource.address}: ${statementLabel(statement)} of the ${policyLabel(policy)} ` +
      `names no ${actionKind} ARN, so the ${actionKind} ${one ? 'action' : 'actions'} ` +
      `${actions.join(', ')} never ${one ? 'matches' : 'match'} and it ${verb} ` +
      `${one ? 'it' : 'them'} nothing`,
    range: resources?.range ?? statement.range,
    resource: resource.address,
    fix: {
      description:
        `Add the ${actionKind} ARN form to Resource` +
        (forms.length > 0 ? ` (${[...new Set(forms)].join(', ')})` : '') +
        `, or move the ${actionKind} actions to a statement that names it.`,
    },
    identity: [statementIdentity(statement), `${actionKind}-actions-on-${resourceKind}-arns`],
  };
}
