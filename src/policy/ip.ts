/**
 * IPv4 and IPv6 addresses and CIDR blocks for `IpAddress` / `NotIpAddress`. A policy value
 * without a prefix length is a single host (/32 or /128). IAM compares only within one family:
 * an IPv6 range never matches an IPv4 source address, and an address that does not parse
 * matches nothing.
 */

export interface Cidr {
  readonly family: 4 | 6;
  /** 4 or 16 bytes; host bits are kept as written (IAM accepts `10.1.2.3/16`). */
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const bytes = address.includes(':') ? parseIpv6(address) : parseIpv4(address);
  if (!bytes) return undefined;
  const family = bytes.length === 4 ? 4 : 6;
  const maxPrefix = bytes.length * 8;
  if (slash < 0) return { family, bytes, prefix: maxPrefix };
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > maxPrefix) return undefined;
  return { family, bytes, prefix };
}

/** Parses an address (no prefix) of either family. */
export function parseIp(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  return trimmed.includes(':') ? parseIpv6(trimmed) : parseIpv4(trimmed);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return undefined;
  const head = doubleColon >= 0 ? text.slice(0, doubleColon) : text;
  const tail = doubleColon >= 0 ? text.slice(doubleColon + 2) : '';
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const words: number[] = [];
  const tailWords: number[] = [];
  if (!groupsToWords(headGroups, words, doubleColon < 0 && tailGroups.length === 0)) {
    return undefined;
  }
  if (!groupsToWords(tailGroups, tailWords, true)) return undefined;
  const total = words.length + tailWords.length;
  if (doubleColon < 0 ? total !== 8 : total > 7) return undefined;
  const all = [...words, ...new Array<number>(8 - total).fill(0), ...tailWords];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** Hex groups to 16-bit words; the last group of the address may be a dotted IPv4 address. */
function groupsToWords(groups: readonly string[], into: number[], mayEndInIpv4: boolean): boolean {
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (mayEndInIpv4 && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return false;
      into.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
    into.push(parseInt(group, 16));
  }
  return true;
}

/** Is the address inside the block? Different families never match. */
export function cidrContains(block: Cidr, address: Uint8Array): boolean {
  if (block.bytes.length !== address.length) return false;
  let bits = block.prefix;
  for (let i = 0; i < address.length && bits > 0; i++) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((block.bytes[i] ?? 0) & mask) !== ((address[i] ?? 0) & mask)) return false;
    bits -= 8;
  }
  return true;
}

/**
 * Is the request's address (which may itself be written as a CIDR, as some request contexts
 * carry it) inside the policy's block? Invalid text on either side matches nothing.
 */
export function ipMatches(policyValue: string, requestValue: string): boolean {
  const block = parseCidr(policyValue);
  const address = parseCidr(requestValue);
  if (!block || !address) return false;
  // A request range matches when it lies wholly inside the policy's block.
  return address.prefix >= block.prefix && cidrContains(block, address.bytes);
}
