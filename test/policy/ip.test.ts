import { describe, expect, it } from 'vitest';
import { cidrContains, ipMatches, parseCidr, parseIp } from '../../src/policy/ip.js';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, 8],
    ['192.0.2.1', 4, 32],
    ['0.0.0.0/0', 4, 0],
    ['2001:db8::/32', 6, 32],
    ['::1', 6, 128],
    ['::', 6, 128],
    ['::ffff:192.0.2.1', 6, 128],
    ['2001:DB8:0:0:0:0:0:1/64', 6, 64],
  ])('%s', (text, family, prefix) => {
    expect(parseCidr(text)).toMatchObject({ family, prefix });
  });

  it.each([
    '10.0.0.256',
    '10.0.0',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/-1',
    'a.b.c.d',
    '2001:db8::1::2',
    '2001:db8::/129',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    '',
    'vpce-1a2b3c4d',
  ])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('ipMatches', () => {
  it.each([
    ['10.0.0.0/8', '10.200.3.4', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.0/24', '192.0.2.255', true],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['10.1.2.3/16', '10.1.99.1', true], // host bits in the policy are ignored
    ['0.0.0.0/0', '203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['2001:db8::/32', '192.0.2.1', false], // families never match each other
    ['0.0.0.0/0', '2001:db8::1', false],
    ['::/0', '2001:db8::1', true],
    ['not-an-ip', '10.0.0.1', false],
    ['10.0.0.0/8', 'garbage', false],
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', false],
  ])('%s contains %s → %s', (block, address, expected) => {
    expect(ipMatches(block, address)).toBe(expected);
  });

  it('checks partial bytes of the prefix', () => {
    const block = parseCidr('172.16.0.0/12');
    expect(block).toBeDefined();
    expect(cidrContains(block!, parseIp('172.31.255.255')!)).toBe(true);
    expect(cidrContains(block!, parseIp('172.32.0.0')!)).toBe(false);
  });
});
