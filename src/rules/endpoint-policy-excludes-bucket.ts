/**
 * A bucket policy that admits requests only through S3 endpoint E, while E's own policy allows
 * no S3 action on that bucket or its objects: every request is denied somewhere, so the bucket
 * is unreachable for everyone. (A partial overlap — E allows only Get/Put on the bucket — is a
 * design choice and not reported.)
 *
 * "Requires E" is asked of the evaluator: the bucket policy denies (or does not allow) a request
 * through another endpoint and a request from the internet, but not one through E. "Allows no
 * S3 action" likewise: no Allow of E's policy applies to any S3 action on the bucket's ARN or on
 * any of its objects, for any principal. Unknown answers on either side keep the rule silent;
 * endpoints known only from configuration have no known policy and are never reported.
 */
import type { StringValue } from '../core/value.js';
import {
  resourcesOfKind,
  type PolicyRef,
  type Scope,
  type VpcEndpointResource,
} from '../iac/model.js';
import {
  evaluateConditions,
  evaluateStatement,
  statementMatchesAction,
  statementMatchesPrincipal,
  statementMatchesResource,
} from '../policy/evaluate.js';
import type {
  ConditionClause,
  PolicyDocument,
  PolicyString,
  Statement,
  Tri,
} from '../policy/types.js';
import { S3_ACTIONS } from './data/s3-actions.js';
import { defineRule } from './define-rule.js';
import {
  anyObjectArn,
  bucketArn,
  bucketNameAssumptions,
  bucketPoliciesOf,
  withBucketArnsExpanded,
} from './support/bucket-arn.js';
import { distinctIdAssumptions } from './support/distinct-ids.js';
import {
  ENDPOINT_ONLY_KEYS,
  endpointRequestKeys,
  internetRequestKeys,
  requestOf,
  s3EndpointsOf,
  type ContextKeys,
} from './support/endpoint-context.js';
import { clauseIdentity, policyIdentity, statementIdentity } from './support/identity.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { clauseRange, statementRange } from './support/ranges.js';
import { coversS3Action } from './support/s3-actions.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';
import { lineRange } from '../core/range.js';
import { refString } from '../core/value.js';

/**
 * A request through an S3 endpoint outside the scope, in a VPC outside the scope. Both IDs are
 * resource-ID references, so a comparison with an in-scope endpoint's or VPC's ID resolves to
 * "different" (see distinct-ids.ts) instead of unknown.
 */
function otherEndpointKeys(): ContextKeys {
  const at = lineRange('<external>', 1);
  const id = (address: string) =>
    refString(
      {
        id: `${address}#id`,
        target: { kind: 'resource', address, attribute: 'id' },
        display: address,
      },
      at,
    );
  return {
    'aws:sourceip': { kind: 'absent' },
    'aws:sourcevpce': { kind: 'values', values: [id('external:other-endpoint')] },
    'aws:sourcevpc': { kind: 'values', values: [id('external:other-vpc')] },
  };
}

const OUTSIDE: readonly ContextKeys[] = [otherEndpointKeys(), internetRequestKeys()];

/**
 * Work shared by every (bucket policy, endpoint) pair of one scope: on a large template both
 * number in the hundreds, and redoing these per pair made the rule cubic.
 */
interface ScopeCache {
  readonly scope: Scope;
  /** The statements with bucket ARNs expanded, per document. */
  readonly expanded: WeakMap<PolicyDocument, readonly Statement[]>;
  /** Stand-in names for every bucket of the scope whose name is not known. */
  readonly standIns: Record<string, string>;
  /** Per endpoint policy document: the assumptions its evaluation uses. */
  readonly assumptions: WeakMap<PolicyDocument, Record<string, string>>;
  /** Per endpoint policy document: its Allow statements with the bucket names they can match. */
  readonly indexed: WeakMap<PolicyDocument, readonly IndexedAllow[]>;
  /** allowsNothingOn per endpoint address and bucket. */
  readonly verdicts: Map<string, boolean>;
  readonly known: Record<string, string>;
}

function expandedStatements(document: PolicyDocument, cache: ScopeCache): readonly Statement[] {
  let statements = cache.expanded.get(document);
  if (!statements) {
    statements = document.statements.map((s) => withBucketArnsExpanded(s, cache.scope));
    cache.expanded.set(document, statements);
  }
  return statements;
}

/** The conditions' sure truth for these keys, resolving comparisons of distinct resource IDs. */
function conditionsSure(statement: Statement, keys: ContextKeys): Tri {
  const first = evaluateConditions(statement, keys);
  if (first !== 'unknown') return first;
  const assume = distinctIdAssumptions(statement, keys);
  return assume ? evaluateConditions(statement, keys, { assume }) : first;
}

/** Does the statement apply to everyone, to S3, and to this bucket or its objects? */
function coversBucket(
  statement: Statement,
  bucket: StringValue,
  assume: Record<string, string>,
): boolean {
  if (statementMatchesPrincipal(statement, undefined) !== true) return false;
  if (coversS3Action(statement) !== true) return false;
  return [bucketArn(bucket), anyObjectArn(bucket)].some(
    (arn) => statementMatchesResource(statement, arn, { assume }) === true,
  );
}

/** The statement of the bucket policy that makes `endpoint` required, if any. */
function requiringStatement(
  document: PolicyDocument,
  endpoint: VpcEndpointResource,
  bucket: StringValue,
  cache: ScopeCache,
): Statement | undefined {
  if ((document.unresolved?.length ?? 0) > 0) return undefined;
  const assume = cache.known;
  const through = endpointRequestKeys(endpoint);
  const statements = expandedStatements(document, cache);
  for (const [index, statement] of statements.entries()) {
    if (!statement.conditions.some((c) => isEndpointKey(c))) continue;
    if (!coversBucket(statement, bucket, assume)) continue;
    const written = document.statements[index];
    if (!written) continue;
    const forE = conditionsSure(statement, through);
    const outside = OUTSIDE.map((keys) => conditionsSure(statement, keys));
    if (statement.effect === 'Deny') {
      if (forE === false && outside.every((t) => t === true)) return written;
      continue;
    }
    // An Allow only under the endpoint's condition, and no other Allow for outside requests.
    if (forE !== true || !outside.every((t) => t === false)) continue;
    const othersAllowOutside = statements.some(
      (other) =>
        other !== statement &&
        other.effect === 'Allow' &&
        OUTSIDE.some((keys) => evaluateConditions(other, keys, { freeKeys: 'exists' }) !== false),
    );
    if (!othersAllowOutside) return written;
  }
  return undefined;
}

/**
 * What the policy's endpoint conditions name: literal texts and reference ids. A policy can
 * only single out endpoint E (let it in while keeping others out) by naming E's ID or its VPC,
 * so endpoints named nowhere are never required, and on a large template the per-endpoint
 * evaluation is spared for all of them.
 */
function mentionedInEndpointConditions(policy: PolicyRef): ReadonlySet<string> {
  const names = new Set<string>();
  for (const { document } of policy.variants) {
    for (const statement of document.statements) {
      for (const clause of statement.conditions) {
        if (!isEndpointKey(clause)) continue;
        for (const value of clause.values) {
          if (value.kind !== 'string') continue;
          for (const part of value.parts) names.add(part.kind === 'text' ? part.text : part.ref.id);
        }
      }
    }
  }
  return names;
}

function isMentioned(endpoint: VpcEndpointResource, mentioned: ReadonlySet<string>): boolean {
  if (mentioned.has(`${endpoint.address}#id`)) return true;
  const vpc = endpoint.vpcId;
  if (vpc?.kind !== 'string') return false;
  return vpc.parts.some((p) => mentioned.has(p.kind === 'text' ? p.text : p.ref.id));
}

function isEndpointKey(clause: ConditionClause): boolean {
  return (ENDPOINT_ONLY_KEYS as readonly string[]).includes(clause.keyLower);
}

/**
 * Stand-in names for the scope's buckets whose names are not known: distinct buckets have
 * distinct names (bucket names are global). Only exact when the endpoint policy names buckets by
 * reference alone; a literal bucket name there might be one of them, so then none are assumed.
 */
function distinctBucketNames(
  statements: readonly Statement[],
  cache: ScopeCache,
): Record<string, string> {
  const literalNames = statements.some((s) =>
    (s.resource?.items ?? []).some(
      (item) =>
        item.kind === 'string' &&
        item.parts.some((p) => p.kind === 'text' && /:s3:::[^*]/.test(p.text)),
    ),
  );
  return literalNames ? {} : cache.standIns;
}

function standInNames(scope: Scope, known: Record<string, string>): Record<string, string> {
  const assume: Record<string, string> = {};
  resourcesOfKind(scope, 'bucket').forEach((b, i) => {
    const id = `${b.address}#name`;
    if (known[id] === undefined) assume[id] = `s3-endpoint-guard-bucket-${i}`;
  });
  return assume;
}

/**
 * Does the endpoint's policy allow no S3 action at all on the bucket or its objects, in every
 * variant? Denies are ignored (they can only take more away); unknown counts as allowed.
 */
function allowsNothingOn(
  policy: PolicyRef,
  endpoint: VpcEndpointResource,
  bucket: StringValue,
  cache: ScopeCache,
): boolean {
  const key = JSON.stringify([
    endpoint.address,
    bucket.parts.map((p) => (p.kind === 'text' ? p.text : { ref: p.ref.id })),
  ]);
  let verdict = cache.verdicts.get(key);
  if (verdict === undefined) {
    verdict = computeAllowsNothingOn(policy, endpoint, bucket, cache);
    cache.verdicts.set(key, verdict);
  }
  return verdict;
}

/** An Allow statement and the only bucket names its Resource can match ('any' when unsure). */
interface IndexedAllow {
  readonly statement: Statement;
  readonly names: ReadonlySet<string> | 'any';
}

/**
 * The bucket name an S3 ARN pattern can only match, with references replaced by what `assume`
 * says they are; undefined when that is not sure (a wildcard or policy variable in the name,
 * an unresolved reference, not an `arn:aws:s3:::` ARN): such patterns are matched in full.
 */
function bucketNameOf(pattern: PolicyString, assume: Record<string, string>): string | undefined {
  if (pattern.kind !== 'string') return undefined;
  let text = '';
  for (const part of pattern.parts) {
    if (part.kind === 'text') text += part.text;
    else {
      const value = assume[part.ref.id];
      if (value === undefined) return undefined;
      text += value;
    }
  }
  const prefix = 'arn:aws:s3:::';
  if (!text.startsWith(prefix)) return undefined;
  const name = text.slice(prefix.length).split('/')[0] ?? '';
  return name === '' || /[*?$]/.test(name) ? undefined : name;
}

function indexedAllows(
  document: PolicyDocument,
  allows: readonly Statement[],
  assume: Record<string, string>,
  cache: ScopeCache,
): readonly IndexedAllow[] {
  let indexed = cache.indexed.get(document);
  if (!indexed) {
    indexed = allows.map((statement) => {
      const resource = statement.resource;
      if (!resource || resource.negated) return { statement, names: 'any' as const };
      const names = new Set<string>();
      for (const item of resource.items) {
        const name = bucketNameOf(item, assume);
        if (name === undefined) return { statement, names: 'any' as const };
        names.add(name);
      }
      return { statement, names };
    });
    cache.indexed.set(document, indexed);
  }
  return indexed;
}

function computeAllowsNothingOn(
  policy: PolicyRef,
  endpoint: VpcEndpointResource,
  bucket: StringValue,
  cache: ScopeCache,
): boolean {
  if (policy.variants.length === 0) return false;
  const keys = endpointRequestKeys(endpoint);
  const targets = [bucketArn(bucket), anyObjectArn(bucket)];
  return policy.variants.every(({ document }) => {
    if ((document.unresolved?.length ?? 0) > 0) return false;
    const allows = expandedStatements(document, cache).filter((s) => s.effect === 'Allow');
    let assume = cache.assumptions.get(document);
    if (!assume) {
      assume = { ...distinctBucketNames(allows, cache), ...cache.known };
      cache.assumptions.set(document, assume);
    }
    const given = assume;
    // A statement whose Resource cannot match the bucket or its objects allows nothing there,
    // whatever the action: asking that first spares the per-action evaluation (about 150 S3
    // actions × 2 ARNs) for the statements about other buckets, which are most of them. The
    // bucket names a statement can only mean are indexed once per document, so a policy that
    // lists every bucket of a large template is not matched item by item for each bucket.
    const name = bucketNameOf(bucketArn(bucket), given);
    const relevant = indexedAllows(document, allows, given, cache)
      .filter(
        (entry) =>
          (entry.names === 'any' || name === undefined || entry.names.has(name)) &&
          targets.some(
            (resource) =>
              statementMatchesResource(entry.statement, resource, { assume: given }) !== false,
          ),
      )
      .map((entry) => entry.statement);
    return relevant.every((statement) =>
      S3_ACTIONS.every(
        (action) =>
          // Matching the action name is cheap; the full evaluation only for actions it names.
          statementMatchesAction(statement, `s3:${action.name}`) === false ||
          targets.every(
            (resource) =>
              evaluateStatement(statement, requestOf(keys, `s3:${action.name}`, resource), {
                freeKeys: 'exists',
                assume: given,
              }).applies === false,
          ),
      ),
    );
  });
}

/** The bucket's ARN as the user would write it in this format. */
function arnText(bucket: StringValue, format: string, suffix: string): string {
  const name = bucket.parts
    .map((p) => {
      if (p.kind === 'text') return p.text;
      if (format === 'terraform') return `\${${p.ref.display}}`;
      return `\${${p.ref.display.replace(/^!Ref /, '').replace(/^!GetAtt /, '')}}`;
    })
    .join('');
  return `arn:aws:s3:::${name}${suffix}`;
}

export default defineRule({
  id: 'endpoint-policy-excludes-bucket',
  title: 'A bucket policy requires an S3 endpoint whose policy allows nothing on that bucket',
  severity: 'error',
  docs: {
    description:
      "A bucket policy that admits requests only through S3 endpoint E, while E's policy allows no S3 action on the bucket or its objects, makes the bucket unreachable for everyone: a request must be allowed by both policies.",
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (endpoint policies and bucket policies both apply to requests through the endpoint); IAM policy evaluation logic.',
  },
  check(ctx) {
    const endpoints = s3EndpointsOf(ctx.scope).filter((e) => e.policy !== undefined);
    if (endpoints.length === 0) return;
    const known = bucketNameAssumptions(ctx.scope);
    const cache: ScopeCache = {
      scope: ctx.scope,
      expanded: new WeakMap(),
      standIns: standInNames(ctx.scope, known),
      assumptions: new WeakMap(),
      indexed: new WeakMap(),
      verdicts: new Map(),
      known,
    };
    for (const { resource, policy, bucket } of bucketPoliciesOf(ctx.scope)) {
      if (!bucket) continue;
      const owner = describePolicyOwner(resource, policy);
      // Only endpoints the bucket policy requires matter; asking that first (a few condition
      // evaluations) keeps the costlier look at each endpoint's policy to those few.
      const mentioned = mentionedInEndpointConditions(policy);
      const required = endpoints.filter(
        (e) =>
          isMentioned(e, mentioned) &&
          policy.variants.some(
            (v) => requiringStatement(v.document, e, bucket, cache) !== undefined,
          ),
      );
      const excluding = required.filter(
        (e) => e.policy !== undefined && allowsNothingOn(e.policy, e, bucket, cache),
      );
      if (excluding.length === 0) continue;
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const endpoint of excluding) {
            const statement = requiringStatement(variant.document, endpoint, bucket, cache);
            if (!statement) continue;
            const clause = statement.conditions.find(isEndpointKey);
            const bucketArnText = arnText(bucket, resource.format, '');
            const objectArnText = arnText(bucket, resource.format, '/*');
            found.push({
              message: `The ${owner} admits requests to ${bucketArnText} only through S3 endpoint ${endpoint.address} (${describeStatement(statement)}), but the endpoint policy of ${endpoint.address} allows no S3 action on that bucket or its objects: the bucket is unreachable for everyone`,
              range: clause ? clauseRange(clause) : statementRange(statement),
              resource: resource.address,
              related: [
                {
                  range: endpoint.policy?.range ?? endpoint.range,
                  resource: endpoint.address,
                  message: `the endpoint policy of ${endpoint.address} allows nothing on ${bucketArnText}`,
                },
              ],
              fix: {
                description: `Add ${bucketArnText} and ${objectArnText} to the Resource of an Allow statement in the endpoint policy of ${endpoint.address}.`,
              },
              identity: [
                ...(clause
                  ? clauseIdentity(policy, statement, clause)
                  : [...policyIdentity(policy), statementIdentity(statement)]),
                endpoint.address,
              ],
            });
          }
          return found;
        },
        ctx.report,
      );
    }
  },
});
