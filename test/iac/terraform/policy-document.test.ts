import { describe, expect, it } from 'vitest';
import type { SourceRange } from '../../../src/core/range.js';
import type { Value } from '../../../src/core/value.js';
import { displayValue, expandVariants, mapGet, text, unknown } from '../../../src/core/value.js';
import {
  joinVariants,
  policyDocumentResolver,
  policyDocumentValue,
} from '../../../src/iac/terraform/policy-document.js';
import { loadTerraformModule } from '../../../src/iac/terraform/index.js';
import type { TfAttribute, TfBlock } from '../../../src/iac/terraform/types.js';
import { FIXTURES, loadDir, policiesIn, resource, where } from './load-helpers.js';

const FILE = 'main.tf';
const at = (line: number, endLine = line): SourceRange => ({
  file: FILE,
  startLine: line,
  startColumn: 3,
  endLine,
  endColumn: 20,
});
const str = (value: string, line: number): Value => text(value, at(line));
const list = (line: number, ...values: string[]): Value => ({
  kind: 'list',
  items: values.map((v) => str(v, line)),
  range: at(line),
});

/** `name = value` on `line`. */
function attr(name: string, value: Value, line: number): [string, TfAttribute] {
  return [name, { name, value: () => value, range: at(line), nameRange: at(line) }];
}

function block(
  type: string,
  lines: [number, number],
  attributes: [string, TfAttribute][],
  blocks: TfBlock[] = [],
  extra: Partial<TfBlock> = {},
): TfBlock {
  return {
    type,
    labels: [],
    address: 'data.aws_iam_policy_document.doc',
    file: FILE,
    range: at(lines[0], lines[1]),
    attributes: new Map(attributes),
    blocks,
    ...extra,
  };
}

const dataBlock = (name: string, attributes: [string, TfAttribute][], blocks: TfBlock[]): TfBlock =>
  block('data', [1, 40], attributes, blocks, {
    labels: ['aws_iam_policy_document', name],
    address: `data.aws_iam_policy_document.${name}`,
  });

const statements = (doc: Value): Value[] => {
  const list = mapGet(doc, 'Statement')?.value;
  return list?.kind === 'list' ? [...list.items] : [];
};

describe('aws_iam_policy_document', () => {
  it('renders statements with defaults, merged principals and conditions, at their lines', () => {
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [],
        [
          block(
            'statement',
            [2, 20],
            [attr('sid', str('DenyOthers', 3), 3), attr('actions', list(4, 's3:GetObject'), 4)],
            [
              block(
                'principals',
                [5, 8],
                [attr('type', str('AWS', 6), 6), attr('identifiers', list(7, 'arn:a'), 7)],
              ),
              block(
                'principals',
                [9, 12],
                [attr('type', str('AWS', 10), 10), attr('identifiers', list(11, 'arn:b'), 11)],
              ),
              block(
                'condition',
                [13, 16],
                [
                  attr('test', str('StringEquals', 14), 14),
                  attr('variable', str('aws:SourceVpce', 15), 15),
                  attr('values', list(16, 'vpce-1'), 16),
                ],
              ),
              block(
                'condition',
                [17, 19],
                [
                  attr('test', str('StringEquals', 17), 17),
                  attr('variable', str('aws:SourceVpc', 18), 18),
                  attr('values', list(19, 'vpc-1'), 19),
                ],
              ),
            ],
          ),
          block(
            'statement',
            [21, 24],
            [attr('effect', str('Deny', 22), 22), attr('not_actions', list(23, 's3:*'), 23)],
            [
              block(
                'principals',
                [24, 24],
                [attr('type', str('*', 24), 24), attr('identifiers', list(24, '*'), 24)],
              ),
            ],
          ),
        ],
      ),
    );
    expect(displayValue(doc)).toBe(
      '{Version: 2012-10-17, Statement: [' +
        '{Sid: DenyOthers, Effect: Allow, Action: [s3:GetObject], Principal: {AWS: [arn:a, arn:b]}, ' +
        'Condition: {StringEquals: {aws:SourceVpce: [vpce-1], aws:SourceVpc: [vpc-1]}}}, ' +
        '{Effect: Deny, NotAction: [s3:*], Principal: *}]}',
    );
    const [first, second] = statements(doc);
    expect(first?.range.startLine).toBe(2);
    expect(second?.range.startLine).toBe(21);
    expect(mapGet(first, 'Action')?.keyRange.startLine).toBe(4);
    expect(mapGet(first, 'Effect')?.keyRange.startLine).toBe(2);
    expect(mapGet(second, 'Effect')?.keyRange.startLine).toBe(22);
    const principal = mapGet(first, 'Principal')?.value;
    expect(mapGet(principal, 'AWS')?.keyRange.startLine).toBe(6);
    const vpc = mapGet(
      mapGet(mapGet(first, 'Condition')?.value, 'StringEquals')?.value,
      'aws:SourceVpc',
    );
    expect(vpc?.keyRange.startLine).toBe(18);
    expect(vpc?.value.kind === 'list' && vpc.value.items[0]?.range.startLine).toBe(19);
  });

  it('joins the values of conditions with the same test and variable', () => {
    const cond = (line: number, value: string): TfBlock =>
      block(
        'condition',
        [line, line],
        [
          attr('test', str('StringEquals', line), line),
          attr('variable', str('aws:SourceVpce', line), line),
          attr('values', list(line, value), line),
        ],
      );
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [],
        [
          block(
            'statement',
            [2, 5],
            [attr('actions', list(3, 's3:*'), 3)],
            [cond(4, 'vpce-1'), cond(5, 'vpce-2')],
          ),
        ],
      ),
    );
    expect(displayValue(mapGet(statements(doc)[0], 'Condition')?.value ?? str('', 1))).toBe(
      '{StringEquals: {aws:SourceVpce: [vpce-1, vpce-2]}}',
    );
  });

  it('merges source and override documents by sid', () => {
    const resolver = policyDocumentResolver();
    const statement = (sid: string, action: string, line: number): TfBlock =>
      block(
        'statement',
        [line, line],
        [attr('sid', str(sid, line), line), attr('actions', list(line, action), line)],
      );
    const sidless = block('statement', [9, 9], [attr('actions', list(9, 's3:ListBucket'), 9)]);
    const base = resolver(
      dataBlock('base', [], [statement('A', 's3:GetObject', 2), statement('B', 's3:PutObject', 3)]),
      'json',
    );
    const over = resolver(dataBlock('over', [], [statement('B', 's3:DeleteObject', 30)]), 'json');
    if (!base || !over) throw new Error('resolver gave nothing');
    const doc = resolver(
      dataBlock(
        'merged',
        [
          attr('source_policy_documents', { kind: 'list', items: [base], range: at(5) }, 5),
          attr('override_policy_documents', { kind: 'list', items: [over], range: at(6) }, 6),
        ],
        [statement('A', 's3:GetObjectVersion', 8), sidless],
      ),
      'json',
    );
    if (!doc) throw new Error('resolver gave nothing');
    const merged = statements(doc);
    expect(merged.map((s) => displayValue(mapGet(s, 'Action')?.value ?? str('', 1)))).toEqual([
      '[s3:GetObjectVersion]',
      '[s3:DeleteObject]',
      '[s3:ListBucket]',
    ]);
    // Each statement still points where it was written.
    expect(merged.map((s) => s.range.startLine)).toEqual([8, 30, 9]);
  });

  it('reads legacy source_json given as JSON text', () => {
    const json =
      '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}';
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [attr('source_json', str(json, 2), 2)],
        [block('statement', [3, 3], [attr('actions', list(3, 's3:GetObject'), 3)])],
      ),
    );
    expect(
      statements(doc).map((s) => displayValue(mapGet(s, 'Effect')?.value ?? str('', 1))),
    ).toEqual(['Deny', 'Allow']);
  });

  it('keeps a conditional source document as a conditional policy', () => {
    const other = policyDocumentValue(
      dataBlock(
        'other',
        [],
        [
          block(
            'statement',
            [2, 2],
            [attr('sid', str('X', 2), 2), attr('actions', list(2, 's3:PutObject'), 2)],
          ),
        ],
      ),
    );
    const sources: Value = {
      kind: 'conditional',
      condition: 'var.strict',
      whenTrue: { kind: 'list', items: [other], range: at(5) },
      whenFalse: { kind: 'list', items: [], range: at(5) },
      range: at(5),
    };
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [attr('source_policy_documents', sources, 5)],
        [block('statement', [6, 6], [attr('actions', list(6, 's3:GetObject'), 6)])],
      ),
    );
    const variants = expandVariants(doc) ?? [];
    expect(variants.map((v) => [v.assumptions[0]?.value, statements(v.value).length])).toEqual([
      [false, 1],
      [true, 2],
    ]);
  });

  it('is unknown when a source document is, or when a document includes itself', () => {
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [
          attr(
            'source_policy_documents',
            { kind: 'list', items: [unknown('module output', at(4))], range: at(4) },
            4,
          ),
        ],
        [],
      ),
    );
    expect(doc).toMatchObject({
      kind: 'unknown',
      reason: 'source_policy_documents: module output',
    });

    const resolver = policyDocumentResolver();
    const holder: { self?: TfBlock } = {};
    const selfRef: [string, TfAttribute] = [
      'source_policy_documents',
      {
        name: 'source_policy_documents',
        value: () => ({
          kind: 'list',
          items: [(holder.self && resolver(holder.self, 'json')) ?? str('', 1)],
          range: at(3),
        }),
        range: at(3),
        nameRange: at(3),
      },
    ];
    const self = dataBlock('loop', [selfRef], []);
    holder.self = self;
    expect(resolver(self, 'json')).toMatchObject({
      kind: 'unknown',
      reason:
        'source_policy_documents: policy document data.aws_iam_policy_document.loop includes itself',
    });
    expect(resolver(self, 'id')).toBeUndefined();
  });

  it('marks the principal and condition unknown when their type or test is not resolved', () => {
    const doc = policyDocumentValue(
      dataBlock(
        'doc',
        [],
        [
          block(
            'statement',
            [2, 9],
            [attr('actions', list(3, 's3:*'), 3)],
            [
              block(
                'principals',
                [4, 5],
                [
                  attr('type', unknown('variable without default', at(4)), 4),
                  attr('identifiers', list(5, '*'), 5),
                ],
              ),
              block(
                'condition',
                [6, 9],
                [attr('test', str('StringEquals', 7), 7), attr('values', list(8, 'x'), 8)],
              ),
            ],
          ),
        ],
      ),
    );
    const [statement] = statements(doc);
    expect(mapGet(statement, 'Principal')?.value).toMatchObject({
      kind: 'unknown',
      reason: 'principal type not resolved',
    });
    expect(mapGet(statement, 'Condition')?.value).toMatchObject({
      kind: 'unknown',
      range: { startLine: 6 },
    });
  });
});

describe('joinVariants', () => {
  it('rebuilds nested conditionals from per-variant results', () => {
    const value: Value = {
      kind: 'list',
      items: [
        {
          kind: 'conditional',
          condition: 'a',
          whenTrue: str('1', 1),
          whenFalse: str('2', 1),
          range: at(1),
        },
        {
          kind: 'conditional',
          condition: 'b',
          whenTrue: str('3', 1),
          whenFalse: str('4', 1),
          range: at(1),
        },
      ],
      range: at(1),
    };
    const variants = expandVariants(value) ?? [];
    const joined = joinVariants(variants, at(1));
    expect(displayValue(joined)).toBe('(a ? (b ? [1, 3] : [1, 4]) : (b ? [2, 3] : [2, 4]))');
  });
});

describe('aws_iam_policy_document read from a module', () => {
  it('merges source, own, override documents and legacy override_json (last) by sid, at their lines', async () => {
    const scope = await loadDir(`${FIXTURES}/merge`);
    const holder = resource(scope, 'aws_vpc_endpoint_policy.elsewhere');
    // Its endpoint is not in the module: the policy stands as an endpoint of unknown service.
    expect(holder).toMatchObject({
      kind: 'vpc-endpoint',
      isS3: 'unknown',
      endpointType: 'unknown',
    });
    const [policy] = policiesIn(holder);
    expect(policy && where(policy.range)).toBe('main.tf:47');
    const statements = policy?.variants[0]?.document.statements ?? [];
    expect(
      statements.map((s) => [
        s.sid ?? '',
        s.effect,
        s.action.items.map((i) => displayValue(i)).join(),
        where(s.range),
      ]),
    ).toEqual([
      ['Read', 'Allow', 's3:GetObjectVersion', 'main.tf:32'],
      ['Write', 'Allow', 's3:PutObjectAcl', 'main.tf:33'],
      ['', 'Allow', 's3:ListBucket', 'main.tf:37'],
    ]);
    expect(statements[2]?.principal?.entries.map((e) => e.type)).toEqual(['AWS']);
  });
});

describe('dynamic statements over a collection not known', () => {
  it('are checked both present (values unknown) and absent', async () => {
    const text = [
      'variable "extra" {}',
      'data "aws_iam_policy_document" "d" {',
      '  statement {',
      '    actions   = ["s3:GetObject"]',
      '    resources = ["*"]',
      '  }',
      '  dynamic "statement" {',
      '    for_each = var.extra',
      '    content {',
      '      effect    = "Deny"',
      '      actions   = ["s3:*"]',
      '      resources = [statement.value]',
      '    }',
      '  }',
      '}',
      'resource "aws_iam_policy" "p" {',
      '  policy = data.aws_iam_policy_document.d.json',
      '}',
      '',
    ].join('\n');
    const scope = await loadTerraformModule('m', [{ path: 'm/main.tf', text }], {
      readFile: () => Promise.resolve(undefined),
    });
    const [policy] = policiesIn(resource(scope, 'aws_iam_policy.p'));
    const condition = 'dynamic "statement" at m/main.tf:9 has items';
    expect(
      policy?.variants.map((v) => [
        v.assumptions.map((a) => `${a.condition}=${a.value}`).join(),
        v.document.statements.map((s) => `${s.effect} ${where(s.range)}`).join(),
      ]),
    ).toEqual([
      [`${condition}=false`, 'Allow main.tf:3'],
      [`${condition}=true`, 'Allow main.tf:3,Deny main.tf:9'],
    ]);
  });
});
