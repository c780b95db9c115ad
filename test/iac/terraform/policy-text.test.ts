import { describe, expect, it } from 'vitest';
import type { StringPart, SymbolicRef, Value } from '../../../src/core/value.js';
import { concat, displayValue, refString, text } from '../../../src/core/value.js';
import { jsonProblems, policyValue } from '../../../src/iac/terraform/policy-text.js';
import type { Scope } from '../../../src/iac/model.js';
import { FIXTURES, loadDir, policiesIn, resource, where } from './load-helpers.js';

const DIR = `${FIXTURES}/policies`;
let cached: Promise<Scope> | undefined;
const load = (): Promise<Scope> => (cached ??= loadDir(DIR));

const onlyPolicy = async (address: string) => {
  const [policy] = policiesIn(resource(await load(), address));
  if (!policy) throw new Error(`no policy on ${address}`);
  return policy;
};

describe('Terraform policies given as text or structures', () => {
  it('maps heredoc JSON lines to file lines, keeping interpolations', async () => {
    const policy = await onlyPolicy('aws_s3_bucket.logs');
    expect(policy.role).toBe('bucket');
    expect(where(policy.range)).toBe('main.tf:17');
    const [statement] = policy.variants[0]?.document.statements ?? [];
    if (!statement) throw new Error('no statement');
    expect(
      `${statement.range.startLine}:${statement.range.startColumn}-${statement.range.endLine}`,
    ).toBe('21:5-28');
    expect(statement.sid).toBe('DenyInsecure');
    expect(where(statement.action.range)).toBe('main.tf:25');
    const [condition] = statement.conditions;
    expect(condition?.key).toBe('aws:SecureTransport');
    expect(where(condition?.keyRange ?? statement.range)).toBe('main.tf:27');
    // The default of var.bucket_name is interpolated into the ARN.
    expect(statement.resource?.items.map((i) => displayValue(i))).toEqual([
      'arn:aws:s3:::example-logs/*',
    ]);
  });

  it('reads templatefile() and file() policies at the lines of the template file', async () => {
    const fromTemplate = await onlyPolicy('aws_s3_bucket_policy.logs');
    expect(where(fromTemplate.range)).toBe('main.tf:36');
    const [statement] = fromTemplate.variants[0]?.document.statements ?? [];
    expect(where(statement?.range ?? fromTemplate.range)).toBe('bucket.json.tpl:4');
    expect(statement?.resource?.items.map((i) => displayValue(i))).toEqual([
      '${aws_s3_bucket.logs.arn}/*',
    ]);
    expect(where(statement?.resource?.range ?? fromTemplate.range)).toBe('bucket.json.tpl:9');

    const fromFile = await onlyPolicy('aws_s3_bucket_policy.from_file');
    const [denied] = fromFile.variants[0]?.document.statements ?? [];
    expect(where(denied?.range ?? fromFile.range)).toBe('static.json:4');
    expect(denied?.effect).toBe('Deny');
    expect(where(denied?.action.range ?? fromFile.range)).toBe('static.json:7');
  });

  it('reads aws_iam_policy_document with dynamic statements as an identity policy', async () => {
    const policy = await onlyPolicy('aws_iam_policy.reader');
    expect(policy).toMatchObject({ role: 'identity', name: 'reader' });
    const statements = policy.variants[0]?.document.statements ?? [];
    expect(statements.map((s) => s.sid)).toEqual(['Reada', 'Readb']);
    expect(statements.map((s) => s.resource?.items.map((i) => displayValue(i)))).toEqual([
      ['arn:aws:iam::111122223333:role/a/*'],
      ['arn:aws:iam::111122223333:role/b/*'],
    ]);
    expect(statements.map((s) => where(s.range))).toEqual(['main.tf:54', 'main.tf:54']);
  });

  it('reads aws_iam_role inline_policy (jsonencode with a conditional) and ignores assume_role_policy', async () => {
    const role = resource(await load(), 'aws_iam_role.app');
    const policies = policiesIn(role);
    expect(policies.map((p) => p.name)).toEqual(['s3-read']);
    const [policy] = policies;
    expect(where(policy?.range ?? role.range)).toBe('main.tf:68');
    expect(
      policy?.variants.map((v) => [
        v.assumptions.map((a) => `${a.condition}=${a.value}`).join(),
        v.document.statements[0]?.effect,
        where(v.document.statements[0]?.range ?? role.range),
      ]),
    ).toEqual([
      ['var.enable_deny=false', 'Allow', 'main.tf:70'],
      ['var.enable_deny=true', 'Deny', 'main.tf:70'],
    ]);
  });

  it('reports what it cannot evaluate, with the reason, at the policy', async () => {
    const scope = await load();
    expect(await onlyPolicy('aws_iam_role_policy.unknown')).toMatchObject({
      variants: [],
      unresolved: 'module output',
    });
    const optional = resource(scope, 'aws_iam_group_policy.optional[0]');
    expect(optional.condition).toBe('var.enable_deny');
    expect(policiesIn(optional)[0]).toMatchObject({
      variants: [],
      unresolved: 'policy document taken from var.external',
    });
    expect(scope.diagnostics.map((d) => `${d.kind} ${where(d.range)} ${d.message}`)).toEqual([
      'unresolved main.tf:91 policy not evaluated: module output',
      'unresolved main.tf:102 policy not evaluated: policy document taken from var.external',
    ]);
  });

  it('reports invalid JSON text at its exact place', async () => {
    const policy = await onlyPolicy('aws_iam_user_policy.broken');
    const diagnostics = policy.variants[0]?.document.diagnostics ?? [];
    expect(diagnostics.map((d) => `${d.code} ${where(d.range)}:${d.range.startColumn}`)).toEqual([
      'bad-json main.tf:96:59',
    ]);
  });
});

describe('policyValue', () => {
  const range = { file: 'm/main.tf', startLine: 7, startColumn: 12, endLine: 9, endColumn: 2 };
  const ref = (name: string): SymbolicRef => ({
    id: `${name}#arn`,
    target: { kind: 'resource', address: name, attribute: 'arn' },
    display: `${name}.arn`,
  });

  it('keeps references inside JSON strings symbolic; computed text points at the whole value', () => {
    const value = concat(
      [
        { kind: 'text', text: '{"Statement": [{"Resource": "' },
        { kind: 'ref', ref: ref('aws_s3_bucket.b') },
        { kind: 'text', text: '/*"}]}' },
      ],
      range,
    );
    const policy = policyValue(value);
    expect(displayValue(policy)).toBe('{Statement: [{Resource: ${aws_s3_bucket.b.arn}/*}]}');
    // Text the evaluator computed has no origin: every range is the value's own.
    expect(policy.range).toEqual(range);
  });

  it('turns null into absent, a lone reference into unknown, and keeps both branches', () => {
    const conditional: Value = {
      kind: 'conditional',
      condition: 'var.attach',
      whenTrue: refString(ref('aws_iam_policy.other'), range),
      whenFalse: { kind: 'null', range },
      range,
    };
    expect(policyValue(conditional)).toMatchObject({
      kind: 'conditional',
      whenTrue: { kind: 'unknown', reason: 'policy document taken from aws_iam_policy.other.arn' },
      whenFalse: { kind: 'absent' },
    });
  });

  it('handles thousands of adjacent references in linear time', () => {
    const parts: StringPart[] = [{ kind: 'text', text: '{"Resource": "' }];
    for (let i = 0; i < 20_000; i++) parts.push({ kind: 'ref', ref: ref(`aws_s3_bucket.b${i}`) });
    parts.push({ kind: 'text', text: '"}' });
    const started = performance.now();
    const policy = policyValue(concat(parts, range));
    expect(performance.now() - started).toBeLessThan(2_000);
    const resource = policy.kind === 'map' ? policy.entries[0]?.value : undefined;
    expect(resource?.kind === 'string' && resource.parts.length).toBe(20_000);
  });

  it('treats an empty policy string as no policy', () => {
    expect(policyValue(text('', range))).toEqual({ kind: 'absent', range });
    expect(policyValue(text('  \n', range))).toEqual({ kind: 'absent', range });
  });

  it('reports JSON that does not parse through a stand-in value', () => {
    const policy = policyValue(text('{"Statement": [}', range));
    expect(jsonProblems.get(policy)?.message).toMatch(/^invalid JSON/);
  });
});
