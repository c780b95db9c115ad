/**
 * An `Allow` that admits S3 requests only from public `aws:SourceIp` ranges (an office, a NAT
 * gateway's address) stops matching once the clients' traffic goes through an S3 endpoint:
 * such requests carry no `aws:SourceIp`, so `IpAddress` on it is false. Unless another
 * statement of the policy allows the same access for endpoint requests, the clients lose it.
 * Whether another statement does is asked of the evaluator, per action and resource.
 */
import { lineRange } from '../core/range.js';
import { literalString, text, type Value } from '../core/value.js';
import type { RelatedLocation } from '../findings/finding.js';
import {
  findResource,
  type PolicyRef,
  type Resource,
  type Scope,
  type VpcEndpointResource,
} from '../iac/model.js';
import { parseCidr } from '../policy/ip.js';
import { evaluateStatement, statementMatchesAction } from '../policy/evaluate.js';
import type { PolicyString, RequestContext, Statement, Tri } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import type { RuleSettings } from './settings.js';
import { conditionsApply, distinctIdAssumptions } from './support/distinct-ids.js';
import {
  endpointIdRef,
  endpointRequestKeys,
  requestOf,
  s3EndpointsOf,
  unknownEndpointRequestKeys,
  type ContextKeys,
} from './support/endpoint-context.js';
import { clauseIdentity, statementIdentity } from './support/identity.js';
import { isPrivateRange } from './support/private-ranges.js';
import { clauseRange } from './support/ranges.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { coversS3Action, s3ActionProbes } from './support/s3-actions.js';
import { showValue } from './support/show.js';
import { checkEachPolicyVariant, type VariantFinding } from './support/variants.js';

/** Endpoint traffic the policy may see: an endpoint in scope, one from config, or an assumed one. */
interface Route {
  readonly endpoint?: VpcEndpointResource;
  /** How the fix names the endpoint ID: `!Ref S3Endpoint`, `aws_vpc_endpoint.s3.id`, `vpce-…`. */
  readonly idShown: string;
  readonly name: string;
  readonly keys: ContextKeys;
}

function routesOf(scope: Scope, settings: RuleSettings): Route[] {
  if (settings.assumeEndpoint === 'never') return [];
  const inScope: Route[] = s3EndpointsOf(scope).map((endpoint) => ({
    endpoint,
    idShown: endpointIdRef(endpoint).display,
    name: `S3 endpoint ${endpoint.address}`,
    keys: endpointRequestKeys(endpoint),
  }));
  const at = lineRange('<config>', 1);
  const configured: Route[] = settings.endpoints.map((e) => ({
    idShown: e.id,
    name: `endpoint ${e.id}`,
    keys: {
      'aws:sourceip': { kind: 'absent' },
      'aws:sourcevpce': { kind: 'values', values: [text(e.id, at)] },
      ...(e.vpc !== undefined
        ? { 'aws:sourcevpc': { kind: 'values', values: [text(e.vpc, at)] } }
        : {}),
    },
  }));
  const routes = [...inScope, ...configured];
  if (routes.length === 0 && settings.assumeEndpoint === 'always') {
    return [
      { idShown: '<your endpoint ID>', name: 'a VPC endpoint', keys: unknownEndpointRequestKeys() },
    ];
  }
  return routes;
}

/** A value that is (or names) a private range: `sourceip-private-range` reports those. */
function looksPrivate(value: Value): boolean {
  const literal = literalString(value);
  if (literal !== undefined) {
    const cidr = parseCidr(literal);
    return cidr !== undefined && isPrivateRange(cidr);
  }
  return (
    value.kind === 'string' &&
    value.parts.some(
      (p) =>
        p.kind === 'ref' &&
        /cidr/i.test(p.ref.target.kind === 'resource' ? p.ref.target.attribute : ''),
    )
  );
}

/** Does the statement apply to some request like this one? Resolves distinct-resource IDs. */
function applies(statement: Statement, request: RequestContext): Tri {
  const first = evaluateStatement(statement, request, { freeKeys: 'exists' }).applies;
  if (first !== 'unknown') return first;
  const assume = distinctIdAssumptions(statement, request.keys);
  return assume
    ? evaluateStatement(statement, request, { freeKeys: 'exists', assume }).applies
    : first;
}

/**
 * The actions the allow-list grants that no other Allow grants to requests through the
 * route; empty when another statement allows them all or when that is not known.
 */
function lostActions(
  statements: readonly Statement[],
  allowList: Statement,
  keys: ContextKeys,
): string[] {
  const resources: PolicyString[] =
    allowList.resource === undefined
      ? [text('*', allowList.range)]
      : allowList.resource.negated
        ? []
        : allowList.resource.items.filter((r) => r.kind === 'string');
  const others = statements.filter((s) => s !== allowList && s.effect === 'Allow');
  const lost: string[] = [];
  for (const action of s3ActionProbes(allowList)) {
    if (statementMatchesAction(allowList, action) !== true) continue;
    for (const resource of resources) {
      const request = requestOf(keys, action, resource);
      if (statementMatchesActionAndResource(allowList, request) !== true) continue;
      const verdicts = others.map((s) => applies(s, request));
      if (verdicts.every((v) => v === false)) {
        lost.push(action);
        break;
      }
    }
  }
  return lost;
}

/** The allow-list itself covers the request apart from its conditions. */
function statementMatchesActionAndResource(statement: Statement, request: RequestContext): Tri {
  const withoutConditions: Statement = { ...statement, conditions: [] };
  return evaluateStatement(withoutConditions, request, { freeKeys: 'exists' }).applies;
}

/** Does the base version hold the same statement in the same policy of the same resource? */
function inBase(base: Scope, resource: Resource, policy: PolicyRef, statement: Statement): boolean {
  const before = findResource(base, resource.address);
  if (!before) return false;
  const policies: PolicyRef[] =
    before.kind === 'iam-policy'
      ? [...before.policies]
      : before.kind === 'bucket-policy' || before.kind === 'bucket'
        ? before.policy
          ? [before.policy]
          : []
        : [];
  const identity = statementIdentity(statement);
  return policies.some(
    (p) =>
      p.name === policy.name &&
      p.variants.some((v) => v.document.statements.some((s) => statementIdentity(s) === identity)),
  );
}

export default defineRule({
  id: 'sourceip-allowlist-breaks-with-endpoint',
  title: 'An aws:SourceIp allow-list stops matching for clients routed through an S3 endpoint',
  severity: 'error',
  docs: {
    description:
      'An Allow statement that admits S3 requests only from public aws:SourceIp ranges no longer matches once the clients reach S3 through a VPC endpoint, because such requests carry no aws:SourceIp; without another statement allowing the same access, those clients are denied.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (source IPv4 addresses change from public to private; IAM and bucket policies using aws:SourceIp); IAM policy evaluation logic (condition operators on absent keys).',
  },
  check(ctx) {
    const routes = routesOf(ctx.scope, ctx.settings);
    if (routes.length === 0) return;
    const change = ctx.change;
    checkEachPolicyVariant(ctx.scope, ctx.report, (resource, policy, variant) => {
      if (policy.role === 'endpoint') return [];
      // Parts we could not read might allow endpoint traffic.
      if ((variant.document.unresolved?.length ?? 0) > 0) return [];
      const found: VariantFinding[] = [];
      const owner = describePolicyOwner(resource, policy);
      const statements = variant.document.statements;
      for (const statement of statements) {
        if (statement.effect !== 'Allow') continue;
        const ipClauses = statement.conditions.filter(
          (c) => c.keyLower === 'aws:sourceip' && c.operator.base === 'IpAddress',
        );
        if (ipClauses.length === 0) continue;
        if (ipClauses.some((c) => c.values.some(looksPrivate))) continue;
        if (coversS3Action(statement) !== true) continue;
        const losing = routes.filter(
          (r) =>
            conditionsApply(statement, r.keys) === false &&
            lostActions(statements, statement, r.keys).length > 0,
        );
        if (losing.length === 0) continue;
        const endpoints = losing.flatMap((r) => (r.endpoint ? [r.endpoint] : []));
        const related: RelatedLocation[] = endpoints.map((e) => ({
          range: e.range,
          resource: e.address,
          message: `requests through ${e.address} carry no aws:SourceIp`,
        }));
        let note = '';
        if (change) {
          const endpointAdded =
            endpoints.length > 0 &&
            endpoints.some(
              (e) => !change.base || findResource(change.base, e.address)?.kind !== 'vpc-endpoint',
            );
          const allowAdded = !change.base || !inBase(change.base, resource, policy, statement);
          note =
            endpointAdded && allowAdded
              ? '; this change adds both the endpoint and the allow-list'
              : endpointAdded
                ? '; this change adds the endpoint'
                : allowAdded
                  ? '; this change adds the allow-list'
                  : '';
        }
        const through = losing.map((r) => r.name).join(', ');
        const condition =
          resource.format === 'terraform'
            ? `StringEquals = { "aws:SourceVpce" = [${losing.map((r) => r.idShown).join(', ')}] }`
            : `StringEquals: { aws:SourceVpce: [${losing.map((r) => r.idShown).join(', ')}] }`;
        for (const clause of ipClauses) {
          found.push({
            message: `The ${owner} allows S3 access in ${describeStatement(statement)} only from ${clause.key} ${clause.values.map(showValue).join(', ')}: requests through ${through} carry no source IP, so clients routed through it lose that access${note}`,
            range: clauseRange(clause),
            resource: resource.address,
            related,
            fix: {
              description: `Allow the endpoint too: add a second Allow statement with the same principal, actions and resources and the condition ${condition} (or aws:SourceVpc with the VPC ID); conditions within one statement are ANDed, so the endpoint cannot be added to the aws:SourceIp condition itself.`,
            },
            identity: clauseIdentity(policy, statement, clause),
          });
        }
      }
      return found;
    });
  },
});
