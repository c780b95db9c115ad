/**
 * `aws:SourceVpce` holds an endpoint ID (`vpce-…`) and `aws:SourceVpc` a VPC ID (`vpc-…`) —
 * never ARNs, never each other, never IP addresses. A condition comparing them with anything
 * else never matches as meant: an Allow never allows, a "deny unless from my endpoint" denies
 * everyone. Symbolic values we cannot classify (parameters, other attributes) stay silent.
 */
import { literalString, type Value } from '../core/value.js';
import { findResource, policiesOf, type Scope } from '../iac/model.js';
import type { ConditionClause } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import { policyIdentity, statementIdentity } from './support/identity.js';
import { showValue } from './support/show.js';
import { clauseRange } from './support/ranges.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';
import { idConditionClauses, type IdKeyKind } from './support/id-conditions.js';

type KeyKind = IdKeyKind;

const WANTED: Readonly<Record<KeyKind, string>> = {
  endpoint: 'an endpoint ID (vpce-…)',
  vpc: 'a VPC ID (vpc-…)',
};

const IP_OPERATORS = new Set(['IpAddress', 'NotIpAddress']);

/** Operators whose values are patterns with `*` and `?`. */
function isLikeOperator(clause: ConditionClause): boolean {
  return /Like$/.test(clause.operator.base);
}

/**
 * Can the literal (a pattern under …Like) denote an ID `<prefix>-<hex>`? The text before the
 * first wildcard must fit the ID's beginning, and every literal character after it must be
 * one an ID can hold.
 */
function fitsId(value: string, prefix: string, like: boolean, ignoreCase: boolean): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  const full = new RegExp(`^${prefix}-[0-9a-f]+$`);
  if (!like || !/[*?]/.test(v)) return full.test(v);
  const firstWildcard = v.search(/[*?]/);
  const head = v.slice(0, firstWildcard);
  const tail = v.slice(firstWildcard);
  const headFits = `${prefix}-`.startsWith(head) || new RegExp(`^${prefix}-[0-9a-f]*$`).test(head);
  return headFits && /^[*?0-9a-f-]*$/.test(tail);
}

/** What the value is instead, or undefined when it is valid or cannot be told. */
function problemWith(
  scope: Scope,
  wanted: KeyKind,
  clause: ConditionClause,
  value: Value,
): string | undefined {
  if (value.kind !== 'string' || value.parts.length === 0) return undefined;
  const [first] = value.parts;
  // An ARN, whether literal or built with !Sub / !Join: the text starts with `arn:`.
  if (first?.kind === 'text' && /^arn:/i.test(first.text)) return 'an ARN';
  if (value.parts.length === 1 && first?.kind === 'ref') {
    const target = first.ref.target;
    if (target.kind !== 'resource') return undefined; // parameters, pseudo parameters: unknown
    const attribute = target.attribute.toLowerCase();
    if (attribute === 'arn') return `the ARN of ${target.address}`;
    const owner = findResource(scope, target.address);
    if (wanted === 'endpoint') {
      if (owner?.kind === 'vpc' && (attribute === 'id' || attribute === 'ref'))
        return `the ID of VPC ${target.address}`;
      if (owner?.kind === 'vpc-endpoint' && attribute === 'vpcid')
        return `the VPC ID of endpoint ${target.address}`;
    } else if (owner?.kind === 'vpc-endpoint' && (attribute === 'id' || attribute === 'ref')) {
      return `the ID of endpoint ${target.address}`;
    }
    return undefined;
  }
  const literal = literalString(value);
  // Mixed text and references, or policy variables (`${aws:…}`): not classifiable.
  if (literal === undefined || literal.includes('${')) return undefined;
  const ignoreCase = /IgnoreCase$/.test(clause.operator.base);
  const like = isLikeOperator(clause);
  if (fitsId(literal, wanted === 'endpoint' ? 'vpce' : 'vpc', like, ignoreCase)) return undefined;
  if (wanted === 'endpoint' && fitsId(literal, 'vpc', like, ignoreCase)) return 'a VPC ID';
  if (wanted === 'vpc' && fitsId(literal, 'vpce', like, ignoreCase)) return 'an endpoint ID';
  return `not ${WANTED[wanted]}`;
}

export default defineRule({
  id: 'vpce-condition-invalid-value',
  title: 'aws:SourceVpce / aws:SourceVpc compared with something that is not an endpoint / VPC ID',
  severity: 'error',
  docs: {
    description:
      'aws:SourceVpce takes an endpoint ID and aws:SourceVpc a VPC ID, not ARNs, not each other, and not IP operators; a condition that compares them with anything else never matches as meant.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3": aws:sourceVpce needs only the endpoint ID and aws:sourceVpc only the VPC ID, not an ARN.',
  },
  check(ctx) {
    for (const { resource, policy } of policiesOf(ctx.scope)) {
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const { statement, clause, wanted } of idConditionClauses(variant.document)) {
            const base = [...policyIdentity(policy), statementIdentity(statement), clause.keyLower];
            if (IP_OPERATORS.has(clause.operator.base)) {
              found.push({
                message: `The ${owner} applies ${clause.operator.raw} to ${clause.key} in ${describeStatement(statement)}, but that key holds ${WANTED[wanted]}, not an IP address: the condition never matches as meant`,
                range: clauseRange(clause),
                resource: resource.address,
                fix: {
                  description: `Use StringEquals / StringNotEquals with ${WANTED[wanted]}.`,
                },
                identity: [...base, 'ip-operator'],
              });
              continue;
            }
            for (const value of clause.values) {
              const problem = problemWith(ctx.scope, wanted, clause, value);
              if (problem === undefined) continue;
              const shown = showValue(value);
              found.push({
                message: `The ${owner} compares ${clause.key} with ${shown} in ${describeStatement(statement)}, which is ${problem}, while the key holds ${WANTED[wanted]}: the condition never matches as meant`,
                range: value.range,
                resource: resource.address,
                fix: {
                  description: fixFor(wanted, resource.format),
                },
                identity: [...base, shown],
              });
            }
          }
          return found;
        },
        ctx.report,
      );
    }
  },
});

/** The fix, with references written in the resource's language. */
function fixFor(wanted: 'endpoint' | 'vpc', format: 'cloudformation' | 'terraform'): string {
  if (format === 'terraform') {
    return wanted === 'endpoint'
      ? 'Use the endpoint ID: aws_vpc_endpoint.<name>.id, or a literal vpce-… ID; for an ARN use aws:SourceVpcArn with the VPC ARN.'
      : 'Use the VPC ID: aws_vpc.<name>.id (or aws_vpc_endpoint.<name>.vpc_id), or a literal vpc-… ID; for an ARN use aws:SourceVpcArn.';
  }
  return wanted === 'endpoint'
    ? 'Use the endpoint ID: !Ref <Endpoint> (or !GetAtt <Endpoint>.Id), or a literal vpce-… ID; for an ARN use aws:SourceVpcArn with the VPC ARN.'
    : 'Use the VPC ID: !Ref <Vpc> (or !GetAtt <Endpoint>.VpcId), or a literal vpc-… ID; for an ARN use aws:SourceVpcArn.';
}
