/**
 * An S3 endpoint of IP address type `ipv4` (the default) only carries IPv4 traffic. Instances
 * in subnets with IPv6 addresses reach S3's dual-stack names over IPv6, and that traffic does
 * not go through the endpoint: it bypasses the endpoint policy and any bucket policy condition
 * on the endpoint. IPv6-only subnets never use it at all.
 */
import { literalString } from '../core/value.js';
import type { RelatedLocation } from '../findings/finding.js';
import { defineRule } from './define-rule.js';
import { s3EndpointsOf } from './support/endpoint-context.js';
import { ipv6Reason, servedSubnets, writtenWithin } from './support/served-subnets.js';

export default defineRule({
  id: 'endpoint-ipv6-traffic',
  title: 'An IPv4-only S3 endpoint serves subnets with IPv6 addresses',
  severity: 'warning',
  docs: {
    description:
      'An S3 VPC endpoint left at IP address type ipv4 serves subnets that are IPv6-only or have IPv6 CIDR blocks: their IPv6 traffic to S3 does not use the endpoint, so it bypasses the endpoint and its policy.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" and AWS PrivateLink Guide, IP address types for VPC endpoints (IPv4, dual-stack, IPv6).',
  },
  check(ctx) {
    for (const endpoint of s3EndpointsOf(ctx.scope)) {
      const type = endpoint.ipAddressType;
      const unset = type === undefined || type.kind === 'absent' || type.kind === 'null';
      if (!unset && literalString(type)?.toLowerCase() !== 'ipv4') continue;
      // `ip_address_type = var.x` defaulting to ipv4: callers may well pass dualstack.
      if (!unset && !writtenWithin(type, endpoint.range)) continue;
      const served = servedSubnets(ctx.scope, endpoint).flatMap((subnet) => {
        const reason = ipv6Reason(ctx.scope, subnet);
        return reason ? [{ subnet, reason }] : [];
      });
      if (served.length === 0) continue;
      const related: RelatedLocation[] = served.map(({ subnet, reason }) => ({
        range: subnet.range,
        resource: subnet.address,
        message: `${subnet.address} ${reason}`,
      }));
      const terraform = endpoint.format === 'terraform';
      const setting = terraform ? 'ip_address_type = "dualstack"' : 'IpAddressType: dualstack';
      const replacementText = terraform ? '"dualstack"' : 'dualstack';
      ctx.report({
        message: `S3 endpoint ${endpoint.address} is IPv4-only but serves ${served.map((s) => s.subnet.address).join(', ')} with IPv6 addresses, so their IPv6 traffic to S3 bypasses the endpoint and its policy.`,
        range: !unset && type ? type.range : endpoint.range,
        resource: endpoint.address,
        related,
        fix: {
          description: `Set ${setting} on ${endpoint.address}.`,
          ...(!unset && type && type.range.startLine === type.range.endLine
            ? { replacement: { range: type.range, text: replacementText } }
            : {}),
        },
        identity: ['ipv4-only-endpoint-serves-ipv6'],
      });
    }
  },
});
