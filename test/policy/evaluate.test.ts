import { describe, expect, it } from 'vitest';
import {
  evaluateClause,
  evaluatePolicy,
  statementMatchesAction,
  statementMatchesPrincipal,
  statementMatchesResource,
} from '../../src/policy/evaluate.js';
import type { ContextValue, RequestContext, Statement } from '../../src/policy/types.js';
import { absent, anyValue, lit, parse, ref, sym, values } from './helpers.js';

/** The single clause of `{"Condition": {operator: {key: policyValues}}}`. */
function clause(operator: string, key: string, policyValues: unknown) {
  const doc = parse({
    Statement: { Effect: 'Allow', Action: '*', Condition: { [operator]: { [key]: policyValues } } },
  });
  const c = doc.statements[0]?.conditions[0];
  if (!c) throw new Error(`no clause: ${JSON.stringify(doc.diagnostics)}`);
  return c;
}

function check(operator: string, policyValues: unknown, context: ContextValue, key = 'k:key') {
  return evaluateClause(clause(operator, key, policyValues), { [key.toLowerCase()]: context });
}

type Row = [
  operator: string,
  policy: unknown,
  context: ContextValue,
  expected: boolean | 'unknown',
];

describe('condition operators', () => {
  const rows: Row[] = [
    // String
    ['StringEquals', 'a', values('a'), true],
    ['StringEquals', 'a', values('A'), false],
    ['StringEquals', ['x', 'a'], values('a'), true],
    ['StringEquals', 'a*', values('abc'), false],
    ['StringEquals', 'a', absent, false],
    ['StringNotEquals', 'a', values('a'), false],
    ['StringNotEquals', 'a', values('b'), true],
    ['StringNotEquals', ['a', 'b'], values('b'), false], // must equal NONE of them
    ['StringNotEquals', 'a', absent, true],
    ['StringEqualsIgnoreCase', 'ABC', values('abc'), true],
    ['StringNotEqualsIgnoreCase', 'ABC', values('abc'), false],
    ['StringNotEqualsIgnoreCase', 'ABC', absent, true],
    ['StringLike', 'a*c', values('abbc'), true],
    ['StringLike', 'a?c', values('abbc'), false],
    ['StringLike', 'A*', values('abc'), false],
    ['StringLike', 'a*', absent, false],
    ['StringNotLike', 'a*', values('abc'), false],
    ['StringNotLike', 'a*', values('xbc'), true],
    ['StringNotLike', 'a*', absent, true],
    // IfExists
    ['StringEqualsIfExists', 'a', absent, true],
    ['StringEqualsIfExists', 'a', values('b'), false],
    ['StringNotEqualsIfExists', 'a', absent, true],
    ['StringNotEqualsIfExists', 'a', values('a'), false],
    ['NumericLessThanIfExists', '5', absent, true],
    ['IpAddressIfExists', '10.0.0.0/8', absent, true],
    ['BoolIfExists', 'false', absent, true],
    // Numeric
    ['NumericEquals', '10', values('10'), true],
    ['NumericEquals', '10', values('10.0'), true],
    ['NumericEquals', '10', values('11'), false],
    ['NumericNotEquals', '10', values('11'), true],
    ['NumericNotEquals', '10', absent, true],
    ['NumericLessThan', '10', values('9'), true],
    ['NumericLessThan', '10', values('10'), false],
    ['NumericLessThanEquals', '10', values('10'), true],
    ['NumericGreaterThan', '10', values('11'), true],
    ['NumericGreaterThan', '10', values('10'), false],
    ['NumericGreaterThanEquals', 10, values('10'), true],
    ['NumericGreaterThan', '10', absent, false],
    ['NumericEquals', '10', values('ten'), false],
    // Date
    ['DateEquals', '2020-01-01T00:00:00Z', values('2020-01-01T00:00:00Z'), true],
    ['DateLessThan', '2020-01-01T00:00:00Z', values('2019-12-31T23:59:59Z'), true],
    ['DateLessThan', '2020-01-01T00:00:00Z', values('2020-01-01T00:00:01Z'), false],
    ['DateGreaterThanEquals', '2020-01-01T00:00:00Z', values('1577836800'), true],
    ['DateLessThanEquals', '2020-01-01', values('2020-01-01T00:00:00Z'), true],
    ['DateGreaterThan', '2020-01-01T00:00:00Z', values('2021-06-01T00:00:00Z'), true],
    ['DateNotEquals', '2020-01-01T00:00:00Z', absent, true],
    ['DateGreaterThan', '2020-01-01T00:00:00Z', absent, false],
    // Bool
    ['Bool', 'true', values('true'), true],
    ['Bool', true, values('true'), true],
    ['Bool', 'false', values('true'), false],
    ['Bool', 'false', absent, false],
    ['Bool', 'TRUE', values('true'), true],
    // Binary
    ['BinaryEquals', 'QmluYXJ5', values('QmluYXJ5'), true],
    ['BinaryEquals', 'QmluYXJ5', values('QmluYXJ6'), false],
    // IP
    ['IpAddress', '203.0.113.0/24', values('203.0.113.7'), true],
    ['IpAddress', '203.0.113.0/24', values('198.51.100.1'), false],
    ['IpAddress', '203.0.113.0/24', absent, false],
    ['IpAddress', '2001:db8::/32', values('2001:db8::7'), true],
    ['IpAddress', '2001:db8::/32', values('203.0.113.7'), false],
    ['IpAddress', 'not-an-ip', values('203.0.113.7'), false],
    ['NotIpAddress', '203.0.113.0/24', values('203.0.113.7'), false],
    ['NotIpAddress', '203.0.113.0/24', values('198.51.100.1'), true],
    ['NotIpAddress', '203.0.113.0/24', absent, true], // the endpoint trap
    ['NotIpAddress', ['203.0.113.0/24', '2001:db8::/32'], values('2001:db8::1'), false],
    // ARN
    ['ArnEquals', 'arn:aws:iam::1:role/a', values('arn:aws:iam::1:role/a'), true],
    ['ArnEquals', 'arn:aws:iam::*:role/a', values('arn:aws:iam::1:role/a'), true],
    ['ArnLike', 'arn:aws:iam::1:role/*', values('arn:aws:iam::1:role/a'), true],
    ['ArnLike', 'arn:aws:iam::1:role/*', values('arn:aws:iam::2:role/a'), false],
    ['ArnLike', 'arn:aws:iam::1:role/*', absent, false],
    ['ArnNotLike', 'arn:aws:iam::1:role/*', values('arn:aws:iam::2:role/a'), true],
    ['ArnNotLike', 'arn:aws:iam::1:role/*', absent, true],
    ['ArnNotEquals', 'arn:aws:iam::1:role/a', values('arn:aws:iam::1:role/a'), false],
    // Null
    ['Null', 'true', absent, true],
    ['Null', 'true', values('x'), false],
    ['Null', 'false', values('x'), true],
    ['Null', 'false', absent, false],
    ['Null', true, absent, true],
    // Unknown context
    ['StringEquals', 'a', anyValue, 'unknown'],
    ['NotIpAddress', '10.0.0.0/8', anyValue, 'unknown'],
    ['Null', 'true', anyValue, 'unknown'],
  ];
  it.each(rows)('%s %j on %j → %s', (operator, policy, context, expected) => {
    expect(check(operator, policy, context)).toBe(expected);
  });

  it('treats operator names case-insensitively', () => {
    expect(check('stringequals', 'a', values('a'))).toBe(true);
    expect(check('STRINGNOTEQUALSIFEXISTS', 'a', absent)).toBe(true);
  });

  it('matches condition keys case-insensitively', () => {
    const c = clause('StringEquals', 'aws:SourceVpce', 'vpce-1');
    expect(evaluateClause(c, { 'aws:sourcevpce': values('vpce-1') })).toBe(true);
  });
});

describe('set qualifiers', () => {
  const rows: Row[] = [
    ['ForAnyValue:StringEquals', ['a', 'b'], values('x', 'b'), true],
    ['ForAnyValue:StringEquals', ['a', 'b'], values('x', 'y'), false],
    ['ForAnyValue:StringEquals', ['a'], absent, false],
    ['ForAnyValue:StringEquals', ['a'], values(), false],
    ['ForAnyValue:StringNotEquals', ['a'], values('a', 'b'), true],
    ['ForAnyValue:StringNotEquals', ['a'], values('a'), false],
    ['ForAnyValue:StringNotEquals', ['a'], absent, false],
    ['ForAllValues:StringEquals', ['a', 'b'], values('a', 'b'), true],
    ['ForAllValues:StringEquals', ['a', 'b'], values('a', 'c'), false],
    ['ForAllValues:StringEquals', ['a'], absent, true],
    ['ForAllValues:StringEquals', ['a'], values(), true],
    ['ForAllValues:StringNotEquals', ['a'], values('b', 'c'), true],
    ['ForAllValues:StringNotEquals', ['a'], values('b', 'a'), false],
    ['ForAllValues:StringLike', ['team-*'], values('team-a', 'team-b'), true],
    ['ForAnyValue:StringEqualsIfExists', ['a'], absent, false],
    ['ForAllValues:StringEqualsIfExists', ['a'], absent, true],
    ['forallvalues:stringequals', ['a'], values('a'), true],
  ];
  it.each(rows)('%s %j on %j → %s', (operator, policy, context, expected) => {
    expect(check(operator, policy, context)).toBe(expected);
  });
});

describe('symbolic values in conditions', () => {
  const endpoint = ref('S3Endpoint#id');
  const otherEndpoint = ref('OtherEndpoint#id');
  const policy = (v: unknown) => ({
    Statement: {
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': v } },
    },
  });
  const evaluate = (v: unknown, context: ContextValue) => {
    const c = parse(policy(v)).statements[0]?.conditions[0];
    return evaluateClause(c!, { 'aws:sourcevpce': context });
  };

  it('compares references by identity', async () => {
    const { Sym } = await import('./helpers.js');
    expect(evaluate(new Sym(sym(endpoint)), values(sym(endpoint)))).toBe(false);
    expect(evaluate(new Sym(sym(endpoint)), values(sym(otherEndpoint)))).toBe('unknown');
    expect(evaluate(new Sym(sym(endpoint)), values('vpce-1'))).toBe('unknown');
    expect(evaluate(new Sym(sym('vpc-', endpoint)), values('vpce-1'))).toBe(true);
  });

  it('counts free keys as satisfiable under freeKeys: exists', () => {
    const c = parse(policy('vpce-1')).statements[0]!.conditions[0]!;
    expect(evaluateClause(c, {}, { freeKeys: 'exists' })).toBe(true);
    expect(evaluateClause(c, {})).toBe('unknown');
  });
});

describe('policy variables', () => {
  const doc = parse({
    Statement: {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::home',
      Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } },
    },
  });
  const c = doc.statements[0]!.conditions[0]!;
  it('substitutes known values', () => {
    const keys = { 's3:prefix': values('home/alice/x'), 'aws:username': values('alice') };
    expect(evaluateClause(c, keys)).toBe(true);
    expect(evaluateClause(c, { ...keys, 'aws:username': values('bob') })).toBe(false);
  });
  it('is unknown when the variable is unknown, and matches nothing when it is absent', () => {
    expect(evaluateClause(c, { 's3:prefix': values('home/alice/x') })).toBe('unknown');
    expect(evaluateClause(c, { 's3:prefix': values('other/alice/x') })).toBe(false);
    expect(evaluateClause(c, { 's3:prefix': values('home/a'), 'aws:username': absent })).toBe(
      false,
    );
  });
  it('takes a default value when the key is absent', () => {
    const withDefault = parse({
      Statement: {
        Effect: 'Allow',
        Action: '*',
        Condition: { StringEquals: { 'k:team': "${aws:PrincipalTag/team, 'none'}" } },
      },
    }).statements[0]!.conditions[0]!;
    expect(
      evaluateClause(withDefault, { 'k:team': values('none'), 'aws:principaltag/team': absent }),
    ).toBe(true);
  });
  it('resolves variables in Resource from the request context', () => {
    const d = parse({
      Statement: {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/${aws:username}/*',
      },
    });
    const request = (user: ContextValue): RequestContext => ({
      action: 's3:GetObject',
      resource: lit('arn:aws:s3:::b/alice/f'),
      keys: { 'aws:username': user },
    });
    expect(evaluatePolicy(d, request(values('alice'))).decision).toBe('allow');
    expect(evaluatePolicy(d, request(values('bob'))).decision).toBe('implicit-deny');
    expect(evaluatePolicy(d, request(anyValue)).decision).toBe('unknown');
  });
});

describe('statement matching', () => {
  const first = (json: unknown, role: 'optional' | 'required' = 'optional'): Statement => {
    const s = parse({ Statement: json }, role).statements[0];
    if (!s) throw new Error('no statement');
    return s;
  };

  it('matches actions case-insensitively with wildcards, and inverts NotAction', () => {
    const s = first({ Effect: 'Allow', Action: ['s3:Get*', 's3:ListBucket'] });
    expect(statementMatchesAction(s, 'S3:GETOBJECT')).toBe(true);
    expect(statementMatchesAction(s, 's3:listbucket')).toBe(true);
    expect(statementMatchesAction(s, 's3:PutObject')).toBe(false);
    const n = first({ Effect: 'Deny', NotAction: 's3:Get*' });
    expect(statementMatchesAction(n, 's3:GetObject')).toBe(false);
    expect(statementMatchesAction(n, 's3:PutObject')).toBe(true);
  });

  it('matches resources case-sensitively; a missing Resource means "*"', () => {
    const s = first({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' });
    expect(statementMatchesResource(s, lit('arn:aws:s3:::b/k'))).toBe(true);
    expect(statementMatchesResource(s, lit('arn:aws:s3:::B/k'))).toBe(false);
    expect(statementMatchesResource(s, lit('arn:aws:s3:::b'))).toBe(false);
    const none = first({ Effect: 'Allow', Action: '*' });
    expect(statementMatchesResource(none, lit('arn:aws:s3:::anything'))).toBe(true);
    const not = first({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::b/*' });
    expect(statementMatchesResource(not, lit('arn:aws:s3:::c/k'))).toBe(true);
    expect(statementMatchesResource(not, lit('arn:aws:s3:::b/k'))).toBe(false);
  });

  it('reads every spelling of "everyone" the same', () => {
    for (const principal of ['*', { AWS: '*' }, { AWS: ['*'] }]) {
      const s = first({ Effect: 'Allow', Action: '*', Principal: principal });
      expect(s.principal?.everyone).toBe(true);
      expect(statementMatchesPrincipal(s, lit('arn:aws:iam::111122223333:user/x'))).toBe(true);
      expect(statementMatchesPrincipal(s, undefined)).toBe(true);
    }
  });

  it('matches accounts, ARNs and services', () => {
    const s = first({
      Effect: 'Allow',
      Action: '*',
      Principal: {
        AWS: ['111122223333', 'arn:aws:iam::444455556666:role/r'],
        Service: 'cloudtrail.amazonaws.com',
      },
    });
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::111122223333:user/x'))).toBe(true);
    expect(statementMatchesPrincipal(s, lit('arn:aws:sts::111122223333:assumed-role/r/s'))).toBe(
      true,
    );
    expect(statementMatchesPrincipal(s, lit('111122223333'))).toBe(true);
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::444455556666:role/r'))).toBe(true);
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::444455556666:role/other'))).toBe(false);
    // a role's sessions are that role
    expect(
      statementMatchesPrincipal(s, lit('arn:aws:sts::444455556666:assumed-role/r/session-1')),
    ).toBe(true);
    expect(
      statementMatchesPrincipal(s, lit('arn:aws:sts::444455556666:assumed-role/other/s')),
    ).toBe(false);
    expect(statementMatchesPrincipal(s, lit('cloudtrail.amazonaws.com'))).toBe(true);
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::999999999999:root'))).toBe(false);
    expect(statementMatchesPrincipal(s, undefined)).toBe('unknown');
    expect(statementMatchesPrincipal(s, undefined, { freeKeys: 'exists' })).toBe(true);
  });

  it('matches a root ARN built from the account pseudo parameter', () => {
    const account = ref('pseudo:AWS::AccountId');
    const partition = ref('pseudo:AWS::Partition');
    const { Sym } = helpers;
    const s = first({
      Effect: 'Allow',
      Action: '*',
      Principal: { AWS: new Sym(sym('arn:', partition, ':iam::', account, ':root')) },
    });
    expect(statementMatchesPrincipal(s, sym('arn:aws:iam::', account, ':role/x'))).toBe(true);
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::111122223333:role/x'))).toBe('unknown');
    expect(statementMatchesPrincipal(s, lit('ec2.amazonaws.com'))).toBe(false);
  });

  it('inverts NotPrincipal', () => {
    const s = first({
      Effect: 'Deny',
      Action: '*',
      NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/admin' },
    });
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::111122223333:role/admin'))).toBe(false);
    expect(statementMatchesPrincipal(s, lit('arn:aws:iam::111122223333:role/dev'))).toBe(true);
  });
});

import * as helpers from './helpers.js';

describe('evaluatePolicy', () => {
  const doc = parse(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        },
        {
          Sid: 'OnlyTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
    'required',
  );
  const request = (action: string, tls: ContextValue): RequestContext => ({
    principal: lit('arn:aws:iam::111122223333:user/u'),
    action,
    resource: lit('arn:aws:s3:::b/k'),
    keys: { 'aws:securetransport': tls },
  });

  it('allows, denies explicitly and implicitly', () => {
    const allowed = evaluatePolicy(doc, request('s3:GetObject', values('true')));
    expect(allowed.decision).toBe('allow');
    expect(allowed.deciding.map((s) => s.sid)).toEqual(['Read']);
    const denied = evaluatePolicy(doc, request('s3:GetObject', values('false')));
    expect(denied.decision).toBe('explicit-deny');
    expect(denied.deciding.map((s) => s.sid)).toEqual(['OnlyTls']);
    expect(evaluatePolicy(doc, request('s3:PutObject', values('true'))).decision).toBe(
      'implicit-deny',
    );
  });

  it('is unknown when an undecided Deny could apply, even if an Allow applies', () => {
    const result = evaluatePolicy(doc, request('s3:GetObject', anyValue));
    expect(result.decision).toBe('unknown');
    expect(result.deciding.map((s) => s.sid)).toEqual(['OnlyTls']);
    expect(result.outcomes.map((o) => o.applies)).toEqual([true, 'unknown']);
  });

  it('cannot decide a statement with an unknown operator', () => {
    const typo = parse({
      Statement: {
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { StringEqualz: { 'aws:SourceVpce': 'vpce-1' } },
      },
    });
    const result = evaluatePolicy(typo, request('s3:GetObject', values('true')));
    expect(result.decision).toBe('unknown');
    expect(result.outcomes[0]?.clauses).toEqual(['unknown']);
  });

  it('reads an endpoint statement without Resource as every resource', () => {
    const endpoint = parse({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:Get*' } });
    expect(endpoint.diagnostics).toEqual([]);
    expect(evaluatePolicy(endpoint, request('s3:GetObject', values('true'))).decision).toBe(
      'allow',
    );
  });

  it('is unknown when part of the document is unresolved', () => {
    const partial = parse({
      Statement: [
        { Effect: 'Allow', Action: '*' },
        new helpers.Sym({ kind: 'unknown', reason: 'Fn::ImportValue', range: doc.range }),
      ],
    });
    expect(partial.unresolved).toHaveLength(1);
    expect(evaluatePolicy(partial, request('s3:GetObject', values('true'))).decision).toBe(
      'unknown',
    );
  });
});
