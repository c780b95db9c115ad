/**
 * `aws:SourceIp` with a private range: S3 only ever sees public source addresses over the
 * internet, and requests through a VPC endpoint carry no `aws:SourceIp` at all, so a private
 * range (RFC 1918, carrier-grade NAT, IPv6 unique local, or a VPC's own CIDR) never matches.
 * VPC CIDRs can also overlap between VPCs, which is why AWS rules this out.
 */
import { literalString, type Value } from '../core/value.js';
import { findResource, policiesOf, type Scope } from '../iac/model.js';
import { parseCidr } from '../policy/ip.js';
import { PRIVATE_RANGES, within, type NamedRange } from './support/private-ranges.js';
import { defineRule } from './define-rule.js';
import { policyIdentity, statementIdentity } from './support/identity.js';
import { showValue } from './support/show.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

/** The literal CIDR blocks of the VPCs and subnets in scope. */
function scopeCidrs(scope: Scope): NamedRange[] {
  const out: NamedRange[] = [];
  const add = (value: Value | undefined, name: string): void => {
    const textValue = literalString(value);
    const cidr = textValue === undefined ? undefined : parseCidr(textValue);
    if (cidr) out.push({ cidr, name });
  };
  for (const r of scope.resources) {
    if (r.kind === 'vpc') add(r.cidrBlock, `the CIDR block of VPC ${r.address}`);
    if (r.kind === 'subnet') {
      add(r.cidrBlock, `the CIDR block of subnet ${r.address}`);
      add(r.ipv6CidrBlock, `the IPv6 CIDR block of subnet ${r.address}`);
    }
  }
  return out;
}

const CIDR_ATTRIBUTES = new Set([
  'cidrblock',
  'ipv6cidrblock',
  'ipv6cidrblocks',
  'cidrblockassociations',
]);

/** Why a value is a private range, or undefined when it is not (or not known). */
function privateReason(
  scope: Scope,
  value: Value,
  vpcRanges: readonly NamedRange[],
): string | undefined {
  if (value.kind !== 'string') return undefined;
  const [only] = value.parts;
  if (value.parts.length === 1 && only?.kind === 'ref') {
    // `!GetAtt Vpc.CidrBlock`: a VPC's address range by construction.
    const target = only.ref.target;
    if (target.kind !== 'resource' || !CIDR_ATTRIBUTES.has(target.attribute.toLowerCase()))
      return undefined;
    const owner = findResource(scope, target.address);
    if (owner?.kind !== 'vpc' && owner?.kind !== 'subnet') return undefined;
    return `the CIDR block of ${owner.kind === 'vpc' ? 'VPC' : 'subnet'} ${owner.address}`;
  }
  const textValue = literalString(value);
  const cidr = textValue === undefined ? undefined : parseCidr(textValue);
  if (!cidr) return undefined;
  return (
    PRIVATE_RANGES.find((r) => within(cidr, r.cidr))?.name ??
    vpcRanges.find((r) => within(cidr, r.cidr))?.name
  );
}

export default defineRule({
  id: 'sourceip-private-range',
  title: 'aws:SourceIp lists a private address range, which S3 never sees',
  severity: 'error',
  docs: {
    description:
      'aws:SourceIp holds the public address S3 sees; requests through a VPC endpoint carry none. A private range (RFC 1918, 100.64.0.0/10, fc00::/7, or a VPC or subnet CIDR in scope) in aws:SourceIp never matches.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3": IAM and bucket policies cannot allow a VPC CIDR range with aws:SourceIp; VPC CIDRs may overlap.',
  },
  check(ctx) {
    const vpcRanges = scopeCidrs(ctx.scope);
    for (const { resource, policy } of policiesOf(ctx.scope)) {
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const statement of variant.document.statements) {
            for (const clause of statement.conditions) {
              if (clause.keyLower !== 'aws:sourceip') continue;
              for (const value of clause.values) {
                const reason = privateReason(ctx.scope, value, vpcRanges);
                if (reason === undefined) continue;
                const shown = showValue(value);
                found.push({
                  message: `The ${owner} lists ${shown} for ${clause.key} in ${describeStatement(statement)}, which is ${reason}: S3 never sees such a source address, so the ${clause.operator.raw} condition never matches as meant`,
                  range: value.range,
                  resource: resource.address,
                  fix: {
                    description:
                      'Identify private traffic with aws:SourceVpce or aws:SourceVpc, or with aws:VpcSourceIp together with aws:SourceVpc.',
                  },
                  identity: [
                    ...policyIdentity(policy),
                    statementIdentity(statement),
                    clause.keyLower,
                    shown,
                  ],
                });
              }
            }
          }
          return found;
        },
        ctx.report,
      );
    }
  },
});
