/**
 * Address ranges S3 never sees as a source IP: private (RFC 1918), carrier-grade NAT and IPv6
 * unique local addresses. Shared by the rules that tell private from public `aws:SourceIp`
 * ranges.
 */
import { cidrContains, parseCidr, type Cidr } from '../../policy/ip.js';

export interface NamedRange {
  readonly cidr: Cidr;
  readonly name: string;
}

export const PRIVATE_RANGES: readonly NamedRange[] = [
  ['10.0.0.0/8', 'a private range (RFC 1918)'],
  ['172.16.0.0/12', 'a private range (RFC 1918)'],
  ['192.168.0.0/16', 'a private range (RFC 1918)'],
  ['100.64.0.0/10', 'the carrier-grade NAT range (RFC 6598)'],
  ['fc00::/7', 'an IPv6 unique local range (RFC 4193)'],
].map(([text, name]) => ({ cidr: parseCidr(text ?? '') as Cidr, name: name ?? '' }));

/** A block lies wholly inside another (same family, at least as long a prefix). */
export function within(inner: Cidr, outer: Cidr): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix >= outer.prefix &&
    cidrContains(outer, inner.bytes)
  );
}

/** Is the block inside one of the ranges S3 never sees as a source address? */
export function isPrivateRange(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((r) => within(cidr, r.cidr));
}
