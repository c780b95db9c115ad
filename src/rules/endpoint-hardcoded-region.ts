/**
 * A literal Region in an endpoint's service name pins a template or module that is otherwise
 * deployable anywhere: deployed in another Region, the endpoint fails or serves nothing.
 * "Otherwise Region-agnostic" is decided from facts only: a CloudFormation template with no
 * literal Region anywhere else (no literal AZs, no Region in an ARN or name), a Terraform
 * module whose provider takes its Region from a variable.
 */
import type { Value } from '../core/value.js';
import type { Scope, VpcEndpointResource } from '../iac/model.js';
import { resourcesOfKind } from '../iac/model.js';
import { defineRule } from './define-rule.js';
import { subText } from './support/show.js';
import { createdRegion, serviceNameRegion } from './support/regions.js';

export default defineRule({
  id: 'endpoint-hardcoded-region',
  title: "A VPC endpoint's service name hard-codes the Region of a Region-agnostic template",
  severity: 'notice',
  docs: {
    description:
      'A service name such as com.amazonaws.eu-west-1.s3 written literally in a template or module that otherwise does not fix its Region: deployed in another Region, the endpoint fails to create or does not serve that Region.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (service name com.amazonaws.region.s3); AWS CloudFormation User Guide, pseudo parameter AWS::Region.',
  },
  check(ctx) {
    const scope = ctx.scope;
    const endpoints = resourcesOfKind(scope, 'vpc-endpoint');
    for (const endpoint of endpoints) {
      const serviceName = endpoint.serviceName;
      const named = serviceNameRegion(serviceName);
      if (!named || !serviceName) continue;
      if (!regionAgnostic(scope, endpoint, endpoints)) continue;
      // A Region that contradicts a known one is endpoint-cross-region's error, not a notice.
      const created = createdRegion(scope, endpoint, ctx.settings, endpoint.vpcId);
      if (created && created.region !== named.region) continue;
      const service = named.service ?? 's3';
      const literalLine =
        named.literal &&
        named.service !== undefined &&
        serviceName.range.startLine === serviceName.range.endLine;
      if (scope.format === 'cloudformation') {
        const sub = `${named.prefix}\${AWS::Region}.${service}`;
        const text = subText(sub, serviceName.range.file);
        ctx.report({
          message: `The service name of ${endpoint.address} hard-codes ${named.region} in a template that does not otherwise fix its Region, so a stack in any other Region gets an endpoint that fails or serves nothing.`,
          range: serviceName.range,
          resource: endpoint.address,
          fix: {
            description: `Build the service name from the stack's Region: ${text}.`,
            ...(literalLine ? { replacement: { range: serviceName.range, text } } : {}),
          },
          identity: ['hardcoded', named.region, service],
        });
      } else {
        ctx.report({
          message: `The service name of ${endpoint.address} hard-codes ${named.region} while the provider's Region comes from a variable, so the module deployed in any other Region gets an endpoint that fails or serves nothing.`,
          range: serviceName.range,
          resource: endpoint.address,
          fix: {
            description: `Build the service name from the provider's Region: declare data "aws_region" "current" {} and write "${named.prefix}\${data.aws_region.current.name}.${service}" (or use the Region variable).`,
          },
          identity: ['hardcoded', named.region, service],
        });
      }
    }
  },
});

function regionAgnostic(
  scope: Scope,
  endpoint: VpcEndpointResource,
  endpoints: readonly VpcEndpointResource[],
): boolean {
  if (endpoint.region) return false;
  if (scope.format === 'terraform') return scope.regionSource === 'variable';
  if (scope.regionSource !== undefined) return false;
  // Other endpoints' service names do not count: they are the same notice, not a pinned Region.
  const skip = new Set(endpoints.flatMap((e) => (e.serviceName ? [e.serviceName] : [])));
  return !scope.resources.some((r) => mentionsRegion(r.properties, skip));
}

const REGION_IN_TEXT =
  /(?:^|[^a-z0-9-])[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d(?:[a-z])?(?![a-z0-9-])/;

function mentionsRegion(value: Value, skip: ReadonlySet<Value>): boolean {
  if (skip.has(value)) return false;
  switch (value.kind) {
    case 'string':
      return value.parts.some((p) => p.kind === 'text' && REGION_IN_TEXT.test(p.text));
    case 'list':
      return value.items.some((v) => mentionsRegion(v, skip));
    case 'map':
      return value.entries.some((e) => mentionsRegion(e.value, skip));
    case 'conditional':
      return mentionsRegion(value.whenTrue, skip) || mentionsRegion(value.whenFalse, skip);
    default:
      return false;
  }
}
