/**
 * A gateway endpoint works only through the routes it adds to route tables. With none, no
 * traffic uses it; a bucket policy that requires it then denies everyone. "None" must be a
 * fact: no route table argument, an empty list, and no association folded in — a list from a
 * variable or another stack is not known and keeps the rule silent.
 */
import { expandVariants, type Value } from '../core/value.js';
import type { Scope } from '../iac/model.js';
import { defineRule } from './define-rule.js';
import { withAssumptions, assumptionIdentity } from './support/assumptions.js';
import { s3EndpointsOf } from './support/endpoint-context.js';
import { writtenWithin } from './support/served-subnets.js';

export default defineRule({
  id: 'gateway-endpoint-without-route-tables',
  title: 'An S3 gateway endpoint has no route table',
  severity: 'warning',
  docs: {
    description:
      'An S3 gateway endpoint associated with no route table: no subnet routes traffic through it, so it carries nothing, and bucket policies that require it lock everyone out.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints" (routing: a gateway endpoint is used only by route tables associated with it).',
  },
  check(ctx) {
    for (const endpoint of s3EndpointsOf(ctx.scope)) {
      if (endpoint.endpointType !== 'Gateway') continue;
      const tables = endpoint.routeTableIds;
      const terraform = endpoint.format === 'terraform';
      const fix = {
        description: terraform
          ? `Set route_table_ids on ${endpoint.address} to the private route tables (or add aws_vpc_endpoint_route_table_association resources).`
          : `Set RouteTableIds on ${endpoint.address} to the private route tables of its VPC.`,
      };
      const base = `S3 gateway endpoint ${endpoint.address} is associated with no route table, so no traffic uses it and bucket policies that require it deny every request`;
      // A plan omits arguments it knows only after apply (route_table_ids is computed when
      // unset): missing from a plan is unknown, not empty.
      if (!tables && isPlan(ctx.scope)) continue;
      // A list written elsewhere (a variable's default, a local) is the caller's to fill.
      if (tables && !writtenWithin(tables, endpoint.range)) continue;
      if (isEmpty(tables)) {
        ctx.report({
          message: `${base}.`,
          range: endpoint.range,
          resource: endpoint.address,
          fix,
          identity: ['no-route-tables'],
        });
        continue;
      }
      if (tables?.kind !== 'conditional') continue;
      for (const variant of expandVariants(tables) ?? []) {
        if (!isEmpty(variant.value)) continue;
        ctx.report({
          message: `${withAssumptions(base, variant.assumptions)}.`,
          range: endpoint.range,
          resource: endpoint.address,
          fix,
          identity: ['no-route-tables', ...assumptionIdentity(variant.assumptions)],
        });
      }
    }
  },
});

function isEmpty(value: Value | undefined): boolean {
  if (!value) return true;
  if (value.kind === 'absent' || value.kind === 'null') return true;
  return value.kind === 'list' && value.items.length === 0;
}

function isPlan(scope: Scope): boolean {
  return scope.plan === true;
}
