import { describe, expect, it } from 'vitest';
import { mapGet, type MapValue, type Value } from '../../src/core/value.js';
import { parsePolicyDocument, type ParseOptions } from '../../src/policy/parse.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { fromJson, ref, Sym, sym, unknownValue } from './helpers.js';

function parsed(json: unknown, principal: ParseOptions['principal'] = 'optional') {
  const value = fromJson(json);
  return { value, doc: parsePolicyDocument(value, { principal }) };
}

/** The map entry at a path of keys and list indexes. */
function at(value: Value, ...path: (string | number)[]) {
  let current: Value = value;
  let entry: ReturnType<typeof mapGet>;
  for (const step of path) {
    if (typeof step === 'number') {
      if (current.kind !== 'list') throw new Error('not a list');
      current = current.items[step]!;
      entry = undefined;
    } else {
      entry = mapGet(current, step);
      if (!entry) throw new Error(`no ${step}`);
      current = entry.value;
    }
  }
  return { value: current, keyRange: entry?.keyRange };
}

function codes(doc: PolicyDocument): string[] {
  return doc.diagnostics.map((d) => d.code);
}

const base = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('parsePolicyDocument: shapes', () => {
  it('reads a single statement object and a list alike', () => {
    const single = parsed({ Version: '2012-10-17', Statement: base }).doc;
    const list = parsed({
      Version: '2012-10-17',
      Statement: [base, { ...base, Effect: 'Deny' }],
    }).doc;
    expect(single.diagnostics).toEqual([]);
    expect(single.version).toBe('2012-10-17');
    expect(single.statements).toHaveLength(1);
    expect(list.statements.map((s) => s.effect)).toEqual(['Allow', 'Deny']);
    expect(list.statements.map((s) => s.index)).toEqual([0, 1]);
  });

  it('keeps ranges on statements, clauses, keys and values', () => {
    const { value, doc } = parsed({
      Statement: [
        {
          ...base,
          Sid: 'One',
          Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } },
        },
      ],
    });
    const statement = doc.statements[0]!;
    expect(statement.sid).toBe('One');
    expect(statement.range).toEqual(at(value, 'Statement', 0).value.range);
    const clause = statement.conditions[0]!;
    const condition = at(value, 'Statement', 0, 'Condition', 'StringEquals');
    const key = at(value, 'Statement', 0, 'Condition', 'StringEquals', 'aws:SourceVpce');
    expect(clause.operatorRange).toEqual(condition.keyRange);
    expect(clause.keyRange).toEqual(key.keyRange);
    expect(clause.key).toBe('aws:SourceVpce');
    expect(clause.keyLower).toBe('aws:sourcevpce');
    const items = key.value.kind === 'list' ? key.value.items : [];
    expect(clause.values.map((v) => v.range)).toEqual(items.map((i) => i.range));
    expect(clause.range.startLine).toBe(key.keyRange!.startLine);
    expect(clause.range.endLine).toBe(key.value.range.endLine);
  });

  it('turns numbers and booleans into strings', () => {
    const { doc } = parsed({
      Statement: {
        ...base,
        Condition: {
          Bool: { 'aws:SecureTransport': false },
          NumericLessThan: { 's3:max-keys': 10 },
        },
      },
    });
    const values = doc.statements[0]!.conditions.map((c) => c.values[0]);
    expect(values.map((v) => (v?.kind === 'string' ? v.parts[0] : undefined))).toEqual([
      { kind: 'text', text: 'false' },
      { kind: 'text', text: '10' },
    ]);
  });

  it('parses operators with qualifiers and IfExists, case-insensitively', () => {
    const { doc } = parsed({
      Statement: {
        ...base,
        Condition: {
          'ForAnyValue:StringNotLikeIfExists': { 'aws:TagKeys': 'x*' },
          stringequals: { 'aws:SourceVpc': 'vpc-1' },
          Null: { 'aws:SourceIp': 'true' },
        },
      },
    });
    expect(doc.diagnostics).toEqual([]);
    expect(doc.statements[0]!.conditions.map((c) => c.operator)).toEqual([
      {
        raw: 'ForAnyValue:StringNotLikeIfExists',
        base: 'StringNotLike',
        ifExists: true,
        qualifier: 'ForAnyValue',
        negated: true,
      },
      {
        raw: 'stringequals',
        base: 'StringEquals',
        ifExists: false,
        qualifier: undefined,
        negated: false,
      },
      { raw: 'Null', base: 'Null', ifExists: false, qualifier: undefined, negated: false },
    ]);
  });

  it('reads every Principal form', () => {
    const principals = (p: unknown) =>
      parsed({ Statement: { ...base, Principal: p } }, 'required').doc;
    expect(principals('*').statements[0]!.principal).toMatchObject({
      everyone: true,
      negated: false,
    });
    expect(principals({ AWS: '*' }).statements[0]!.principal?.everyone).toBe(true);
    expect(principals({ AWS: ['*'] }).statements[0]!.principal?.everyone).toBe(true);
    const mixed = principals({
      AWS: ['123456789012', 'arn:aws:iam::123456789012:role/r'],
      Service: 'ec2.amazonaws.com',
      Federated: 'cognito-identity.amazonaws.com',
      CanonicalUser: '79a59df900b949e55d96a1e698fbaced',
    });
    expect(mixed.diagnostics).toEqual([]);
    expect(mixed.statements[0]!.principal?.everyone).toBe(false);
    expect(mixed.statements[0]!.principal?.entries.map((e) => [e.type, e.values.length])).toEqual([
      ['AWS', 2],
      ['Service', 1],
      ['Federated', 1],
      ['CanonicalUser', 1],
    ]);
    const not = parsed(
      { Statement: { ...base, Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::1:root' } } },
      'required',
    ).doc;
    expect(not.statements[0]!.principal?.negated).toBe(true);
  });

  it('reads NotAction and NotResource', () => {
    const { doc } = parsed({
      Statement: { Effect: 'Deny', NotAction: 's3:Get*', NotResource: ['arn:aws:s3:::b/*'] },
    });
    expect(doc.statements[0]!.action.negated).toBe(true);
    expect(doc.statements[0]!.resource?.negated).toBe(true);
  });

  it('keeps symbolic strings and unknown values', () => {
    const bucket = ref('Bucket#name');
    const { doc } = parsed({
      Statement: {
        ...base,
        Resource: [new Sym(sym('arn:aws:s3:::', bucket, '/*')), new Sym(unknownValue())],
      },
    });
    const items = doc.statements[0]!.resource!.items;
    expect(items[0]).toMatchObject({ kind: 'string' });
    expect(items[1]).toMatchObject({ kind: 'unknown', reason: 'Fn::ImportValue' });
  });

  it('records unresolved statements instead of guessing', () => {
    const { doc } = parsed({ Statement: [base, new Sym(unknownValue('module output'))] });
    expect(doc.statements).toHaveLength(1);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.unresolved?.map((u) => u.code)).toEqual(['unresolved-statement']);
    const effect = parsed({ Statement: { ...base, Effect: new Sym(unknownValue()) } }).doc;
    expect(effect.statements).toEqual([]);
    expect(effect.unresolved?.map((u) => u.code)).toEqual(['unresolved-effect']);
  });

  it('keeps an unresolved condition block as a clause that evaluates to unknown', () => {
    const { doc } = parsed({ Statement: { ...base, Condition: new Sym(unknownValue()) } });
    expect(doc.statements[0]!.conditions).toHaveLength(1);
    expect(doc.statements[0]!.conditions[0]!.values[0]).toMatchObject({ kind: 'unknown' });
  });
});

describe('parsePolicyDocument: diagnostics', () => {
  it('reports a missing or empty Statement', () => {
    expect(codes(parsed({ Version: '2012-10-17' }).doc)).toEqual(['no-statements']);
    expect(codes(parsed({ Version: '2012-10-17', Statement: [] }).doc)).toEqual(['no-statements']);
  });

  it('reports a Version that is not one of the two strings', () => {
    const { value, doc } = parsed({ Version: 2012, Statement: base });
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({ code: 'invalid-version', range: at(value, 'Version').value.range }),
    ]);
    expect(codes(parsed({ Version: '2012-10-18', Statement: base }).doc)).toEqual([
      'invalid-version',
    ]);
  });

  it('drops statements without Effect or Action, with the statement range', () => {
    const { value, doc } = parsed({
      Statement: [{ Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Resource: '*' }, base],
    });
    expect(doc.statements.map((s) => s.index)).toEqual([2]);
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'missing-effect',
        range: at(value, 'Statement', 0).value.range,
      }),
      expect.objectContaining({
        code: 'missing-action',
        range: at(value, 'Statement', 1).value.range,
      }),
    ]);
  });

  it('requires Effect to be exactly Allow or Deny', () => {
    const { value, doc } = parsed({ Statement: { ...base, Effect: 'allow' } });
    expect(doc.statements).toEqual([]);
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'invalid-effect',
        range: at(value, 'Statement', 'Effect').value.range,
      }),
    ]);
    expect(doc.diagnostics[0]?.message).toContain('case-sensitive');
  });

  it('reports Action together with NotAction', () => {
    const { value, doc } = parsed({ Statement: { ...base, NotAction: 's3:Put*' } });
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'action-and-notaction',
        range: at(value, 'Statement', 'NotAction').keyRange,
      }),
    ]);
  });

  it('requires Resource in bucket and identity policies, not in endpoint policies', () => {
    const statement = { Effect: 'Allow', Action: 's3:*', Principal: '*' };
    expect(codes(parsed({ Statement: statement }, 'required').doc)).toEqual(['missing-resource']);
    expect(codes(parsed({ Statement: statement }, 'optional').doc)).toEqual([]);
    const identity = { Effect: 'Allow', Action: 's3:*' };
    expect(codes(parsed({ Statement: identity }, 'forbidden').doc)).toEqual(['missing-resource']);
  });

  it('checks Principal against the policy kind', () => {
    expect(codes(parsed({ Statement: base }, 'required').doc)).toEqual(['missing-principal']);
    const { value, doc } = parsed({ Statement: { ...base, Principal: '*' } }, 'forbidden');
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'principal-not-allowed',
        range: at(value, 'Statement', 'Principal').keyRange,
      }),
    ]);
    expect(
      codes(parsed({ Statement: { ...base, Principal: 'arn:aws:iam::1:root' } }, 'required').doc),
    ).toEqual(['invalid-principal']);
  });

  it('reports unknown and wrongly cased elements', () => {
    const { value, doc } = parsed({
      Statement: { effect: 'Allow', Action: 's3:*', Resource: '*', Conditions: {} },
    });
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'element-case',
        range: at(value, 'Statement', 'effect').keyRange,
      }),
      expect.objectContaining({
        code: 'unknown-element',
        range: at(value, 'Statement', 'Conditions').keyRange,
      }),
    ]);
    // The wrongly cased element is still read.
    expect(doc.statements[0]?.effect).toBe('Allow');
    expect(codes(parsed({ statement: base }).doc)).toEqual(['element-case']);
    expect(codes(parsed({ Statement: base, Extra: 1 }).doc)).toEqual(['unknown-element']);
    expect(codes(parsed({ Statement: { ...base, Principal: { aws: '*' } } }).doc)).toEqual([
      'element-case',
    ]);
  });

  it('reports unknown operators and keeps them as undecidable clauses', () => {
    const { value, doc } = parsed({
      Statement: {
        ...base,
        Condition: {
          StringEqualz: { 'aws:SourceVpce': 'vpce-1' },
          NullIfExists: { 'aws:SourceIp': 'true' },
          'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' },
        },
      },
    });
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({
        code: 'unknown-operator',
        range: at(value, 'Statement', 'Condition', 'StringEqualz').keyRange,
      }),
      expect.objectContaining({ code: 'unknown-operator' }),
      expect.objectContaining({ code: 'unknown-operator' }),
    ]);
    expect(doc.statements[0]!.conditions).toHaveLength(3);
  });

  it('reports condition values of the wrong shape or type', () => {
    const { value, doc } = parsed({
      Statement: {
        ...base,
        Condition: {
          IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] },
          NumericLessThan: { 's3:max-keys': 'ten' },
          DateLessThan: { 'aws:CurrentTime': 'tomorrow' },
          Bool: { 'aws:SecureTransport': 'yes' },
          StringEquals: { 'aws:SourceVpce': { nested: 'x' } },
        },
      },
    });
    expect(codes(doc)).toEqual([
      'invalid-condition-value',
      'invalid-condition-value',
      'invalid-condition-value',
      'invalid-condition-value',
      'invalid-value',
    ]);
    const ips = at(value, 'Statement', 'Condition', 'IpAddress', 'aws:SourceIp').value;
    if (ips.kind !== 'list') throw new Error('not a list');
    expect(doc.diagnostics[0]?.range).toEqual(ips.items[1]?.range);
  });

  it('reports wrong shapes and bad action names', () => {
    expect(codes(parsed({ Statement: 'text' }).doc)).toEqual(['invalid-value']);
    expect(codes(parsed({ Statement: { ...base, Action: { a: 1 } } }).doc)).toEqual([
      'invalid-value',
      'empty-value',
    ]);
    expect(codes(parsed({ Statement: { ...base, Action: 'GetObject' } }).doc)).toEqual([
      'invalid-action',
    ]);
    expect(
      codes(parsed({ Statement: [base, base].map((s) => ({ ...s, Sid: 'Same' })) }).doc),
    ).toEqual(['duplicate-sid']);
    const notMap = parsePolicyDocument(fromJson(['x']), { principal: 'optional' });
    expect(codes(notMap)).toEqual(['invalid-document']);
  });

  it('skips absent values as if not written', () => {
    const value = fromJson({ Statement: base }) as MapValue;
    const statement = (value.entries[0]!.value as MapValue).entries;
    const withAbsent: MapValue = {
      ...value,
      entries: [
        {
          ...value.entries[0]!,
          value: {
            ...(value.entries[0]!.value as MapValue),
            entries: [
              ...statement,
              {
                key: 'Condition',
                keyRange: value.range,
                value: { kind: 'absent', range: value.range },
              },
            ],
          },
        },
      ],
    };
    const doc = parsePolicyDocument(withAbsent, { principal: 'optional' });
    expect(doc.diagnostics).toEqual([]);
    expect(doc.statements[0]!.conditions).toEqual([]);
  });
});
