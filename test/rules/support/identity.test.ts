import { describe, expect, it } from 'vitest';
import { lineRange, type SourceRange } from '../../../src/core/range.js';
import { text } from '../../../src/core/value.js';
import type { ConditionClause, Statement } from '../../../src/policy/types.js';
import { statementIdentity } from '../../../src/rules/support/identity.js';

function statement(at: SourceRange, overrides: Partial<Statement> = {}): Statement {
  const clause: ConditionClause = {
    operator: {
      raw: 'NotIpAddress',
      base: 'NotIpAddress',
      ifExists: false,
      qualifier: undefined,
      negated: true,
    },
    key: 'aws:SourceIp',
    keyLower: 'aws:sourceip',
    values: [text('203.0.113.0/24', at)],
    operatorRange: at,
    keyRange: at,
    range: at,
  };
  return {
    index: 0,
    effect: 'Deny',
    principal: { negated: false, everyone: true, entries: [], range: at },
    action: {
      negated: false,
      items: [text('s3:GetObject', at), text('s3:PutObject', at)],
      range: at,
    },
    resource: { negated: false, items: [text('arn:aws:s3:::b/*', at)], range: at },
    conditions: [clause],
    range: at,
    ...overrides,
  };
}

describe('statementIdentity', () => {
  it('uses the Sid when there is one', () => {
    expect(statementIdentity(statement(lineRange('a', 1), { sid: 'DenyIp' }))).toBe('sid:DenyIp');
  });

  it('hashes the canonical statement, independent of positions and index', () => {
    const a = statementIdentity(statement(lineRange('a.yaml', 3)));
    const b = statementIdentity(statement(lineRange('b.yaml', 40), { index: 5 }));
    expect(a).toMatch(/^stmt:[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });

  it('ignores action order and case, but not the effect or the values', () => {
    const at = lineRange('a', 1);
    const base = statementIdentity(statement(at));
    const reordered = statementIdentity(
      statement(at, {
        action: {
          negated: false,
          items: [text('S3:PutObject', at), text('s3:getobject', at)],
          range: at,
        },
      }),
    );
    expect(reordered).toBe(base);
    expect(statementIdentity(statement(at, { effect: 'Allow' }))).not.toBe(base);
    expect(
      statementIdentity(
        statement(at, {
          resource: { negated: false, items: [text('arn:aws:s3:::c/*', at)], range: at },
        }),
      ),
    ).not.toBe(base);
    expect(statementIdentity(statement(at, { conditions: [] }))).not.toBe(base);
  });
});
