/**
 * Creating an S3 gateway endpoint, or changing its route tables, rewrites the routes to S3 in
 * those tables: TCP connections that are open at that moment drop and are not resumed. Only a
 * change can do that, so the rule runs only when a base version is known (`ctx.change`), and
 * compares each gateway endpoint's route tables with the base version's by value identity
 * (literal IDs by value, references by what they reference).
 */
import { lineRange, rangeContains, type SourceRange } from '../core/range.js';
import type { FindingInput } from '../findings/finding.js';
import { findResource, type Resource, type Scope } from '../iac/model.js';
import { defineRule } from './define-rule.js';
import { s3EndpointsOf } from './support/endpoint-context.js';
import { routeTablesOf, type RouteTableEntry } from './support/route-tables.js';

const FIX =
  'Apply the change in a maintenance window, and make clients that hold long-lived connections to S3 (uploads, streams) reconnect and retry.';

/** The first line of a resource: a whole-resource range would run into the next one. */
function headOf(resource: Resource): SourceRange {
  return lineRange(resource.range.file, resource.range.startLine);
}

/**
 * Terraform folds `aws_vpc_endpoint_route_table_association` into the endpoint, keeping the
 * table's value with its position inside the association block: that block is where a route
 * table was added, and where the finding belongs.
 */
function associationOf(scope: Scope, entry: RouteTableEntry): Resource | undefined {
  return scope.resources.find(
    (r) =>
      r.type === 'aws_vpc_endpoint_route_table_association' && rangeContains(r.range, entry.range),
  );
}

function shown(entries: readonly RouteTableEntry[]): string {
  return entries.map((e) => e.display).join(', ');
}

export default defineRule({
  id: 'endpoint-change-drops-connections',
  title: 'Creating an S3 gateway endpoint or changing its route tables drops open connections',
  severity: 'notice',
  docs: {
    description:
      'When a change creates an S3 gateway endpoint or changes its route tables, the routes to S3 in those tables switch and TCP connections open at that moment drop without being resumed.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (considerations: creating or modifying an endpoint changes routes and drops active TCP connections).',
  },
  check(ctx) {
    const change = ctx.change;
    if (!change) return;
    for (const endpoint of s3EndpointsOf(ctx.scope)) {
      if (endpoint.endpointType !== 'Gateway') continue;
      const before = change.base ? findResource(change.base, endpoint.address) : undefined;
      const head = routeTablesOf(endpoint.routeTableIds);
      if (before?.kind !== 'vpc-endpoint') {
        // A gateway endpoint on no route table at all changes no routes (yet).
        if (head !== undefined && head.length === 0) continue;
        const tables = head === undefined ? 'its route tables' : `route tables ${shown(head)}`;
        ctx.report({
          message: `This change creates S3 gateway endpoint ${endpoint.address}, which adds routes to S3 in ${tables}: TCP connections to S3 open at that moment from the subnets using those tables drop and are not resumed.`,
          range: headOf(endpoint),
          resource: endpoint.address,
          fix: { description: FIX },
          identity: ['created'],
        });
        continue;
      }
      const base = routeTablesOf(before.routeTableIds);
      // A set we cannot read on either side: whether routes change is not known.
      if (head === undefined || base === undefined) continue;
      const baseKeys = new Set(base.map((e) => e.key));
      const headKeys = new Set(head.map((e) => e.key));
      const added = head.filter((e) => !baseKeys.has(e.key));
      const removed = base.filter((e) => !headKeys.has(e.key));
      if (added.length === 0 && removed.length === 0) continue;
      // Added tables are reported where they were added (the association, when there is one);
      // everything else at the endpoint.
      const sites = new Map<string, { at: Resource; added: RouteTableEntry[] }>();
      const atEndpoint: RouteTableEntry[] = [];
      for (const entry of added) {
        const association = associationOf(ctx.scope, entry);
        if (!association) {
          atEndpoint.push(entry);
          continue;
        }
        const site = sites.get(association.address) ?? { at: association, added: [] };
        site.added.push(entry);
        sites.set(association.address, site);
      }
      const report = (at: Resource, plus: RouteTableEntry[], minus: RouteTableEntry[]): void => {
        const parts = [
          ...(plus.length > 0 ? [`adds route tables ${shown(plus)}`] : []),
          ...(minus.length > 0 ? [`removes route tables ${shown(minus)}`] : []),
        ];
        const finding: FindingInput = {
          message: `This change ${parts.join(' and ')} of S3 gateway endpoint ${endpoint.address}, which switches the routes to S3 in those tables: TCP connections to S3 open at that moment from the subnets using them drop and are not resumed.`,
          range: headOf(at),
          resource: at.address,
          ...(at === endpoint
            ? {}
            : {
                related: [
                  { range: headOf(endpoint), resource: endpoint.address, message: 'the endpoint' },
                ],
              }),
          fix: { description: FIX },
          identity: [
            'route-tables',
            endpoint.address,
            ...plus.map((e) => `+${e.key}`).sort(),
            ...minus.map((e) => `-${e.key}`).sort(),
          ],
        };
        ctx.report(finding);
      };
      for (const site of sites.values()) report(site.at, site.added, []);
      if (atEndpoint.length > 0 || removed.length > 0) report(endpoint, atEndpoint, removed);
    }
  },
});
