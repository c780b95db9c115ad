import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../../src/iac/cloudformation/parse.js';
import { parseTemplateText, reindentQuotedScalars } from '../../../src/iac/cloudformation/parse.js';
import { rawGet } from '../../../src/iac/cloudformation/resolve.js';
import { fixtureText, loadFixture } from './helpers.js';

function parseOk(file: string, text: string): RawNode {
  const result = parseTemplateText(file, text);
  if (!result.ok) throw new Error(result.message);
  if (!result.root) throw new Error('empty');
  return result.root;
}

function probe(name: string): RawNode {
  const root = parseOk('short-tags.yaml', fixtureText('short-tags.yaml'));
  const value = rawGet(rawGet(rawGet(rawGet(root, 'Resources'), 'Probe'), 'Properties'), name);
  if (!value) throw new Error(`no property ${name}`);
  return value;
}

/** The long-form key a tagged node became, and the line/columns of the whole tagged node. */
function longForm(node: RawNode): { key: string; line: number; startColumn: number } {
  if (node.kind !== 'map' || node.entries.length !== 1) throw new Error('not an intrinsic');
  return {
    key: node.entries[0]?.key ?? '',
    line: node.range.startLine,
    startColumn: node.range.startColumn,
  };
}

describe('short-form tags become long forms with positions', () => {
  it.each([
    ['RefScalar', 'Ref', 23],
    ['GetAttScalar', 'Fn::GetAtt', 24],
    ['GetAttSeq', 'Fn::GetAtt', 25],
    ['GetAttMap', 'Fn::GetAtt', 26],
    ['SubScalar', 'Fn::Sub', 27],
    ['SubSeq', 'Fn::Sub', 28],
    ['JoinSeq', 'Fn::Join', 31],
    ['SelectSeq', 'Fn::Select', 32],
    ['SplitSeq', 'Fn::Split', 33],
    ['FindInMapSeq', 'Fn::FindInMap', 34],
    ['IfSeq', 'Fn::If', 35],
    ['ImportScalar', 'Fn::ImportValue', 36],
    ['Base64Scalar', 'Fn::Base64', 37],
    ['CidrSeq', 'Fn::Cidr', 38],
    ['GetAZsScalar', 'Fn::GetAZs', 39],
    ['EqualsSeq', 'Fn::Equals', 40],
    ['NotSeq', 'Fn::Not', 41],
    ['AndSeq', 'Fn::And', 42],
    ['OrSeq', 'Fn::Or', 43],
    ['TransformMap', 'Fn::Transform', 44],
  ])('%s → %s at line %i', (property, key, line) => {
    const node = longForm(probe(property));
    expect(node.key).toBe(key);
    expect(node.line).toBe(line);
    // The range starts at the tag itself (`!Ref …`), after `Property: `.
    expect(node.startColumn).toBe(property.length + 9);
  });

  it('keeps the argument shape of each form', () => {
    const getAttSeq = probe('GetAttSeq');
    expect(getAttSeq.kind === 'map' && getAttSeq.entries[0]?.value.kind).toBe('seq');
    const getAttScalar = probe('GetAttScalar');
    expect(getAttScalar.kind === 'map' && getAttScalar.entries[0]?.value).toMatchObject({
      kind: 'scalar',
      value: 'Vpc.CidrBlock',
    });
    const transform = probe('TransformMap');
    expect(transform.kind === 'map' && transform.entries[0]?.value.kind).toBe('map');
    const not = probe('NotSeq');
    const inner =
      not.kind === 'map' && not.entries[0]?.value.kind === 'seq'
        ? not.entries[0].value.items[0]
        : undefined;
    expect(inner && longForm(inner)).toMatchObject({ key: 'Condition', line: 41 });
  });

  it('keeps the text of numbers that would lose digits (account ids)', () => {
    expect(probe('AccountId')).toMatchObject({ kind: 'scalar', value: '012345678901' });
  });
});

describe('every short tag in every node form', () => {
  const tags: [string, string][] = [
    ['!Ref', 'Ref'],
    ['!Condition', 'Condition'],
    ['!Sub', 'Fn::Sub'],
    ['!GetAtt', 'Fn::GetAtt'],
    ['!Join', 'Fn::Join'],
    ['!If', 'Fn::If'],
    ['!Select', 'Fn::Select'],
    ['!Split', 'Fn::Split'],
    ['!FindInMap', 'Fn::FindInMap'],
    ['!ImportValue', 'Fn::ImportValue'],
    ['!Base64', 'Fn::Base64'],
    ['!Cidr', 'Fn::Cidr'],
    ['!GetAZs', 'Fn::GetAZs'],
    ['!Equals', 'Fn::Equals'],
    ['!And', 'Fn::And'],
    ['!Or', 'Fn::Or'],
    ['!Not', 'Fn::Not'],
    ['!Transform', 'Fn::Transform'],
  ];
  const forms: [string, string, RawNode['kind']][] = [
    ['scalar', 'x', 'scalar'],
    ['flow sequence', '[a, b]', 'seq'],
    ['flow mapping', '{a: b}', 'map'],
    ['block sequence', '\n    - a\n    - b', 'seq'],
    ['block mapping', '\n    a: b', 'map'],
  ];
  it.each(
    tags.flatMap(([tag, key]) =>
      forms.map(([form, text, kind]) => [tag, form, key, text, kind] as const),
    ),
  )('%s in %s form', (tag, _form, key, text, kind) => {
    const root = parseOk('t.yaml', `pad: 1\nv: ${tag} ${text}\n`);
    const node = rawGet(root, 'v');
    expect(node).toMatchObject({ kind: 'map', range: { startLine: 2, startColumn: 4 } });
    expect(node?.kind === 'map' && node.entries.map((e) => [e.key, e.value.kind])).toEqual([
      [key, kind],
    ]);
  });
});

describe('YAML 1.2 core schema', () => {
  it('keeps an unquoted Version date and yes/on as strings, reads the first document only', async () => {
    const root = parseOk('versions.yaml', fixtureText('versions.yaml'));
    const document = rawGet(
      rawGet(rawGet(rawGet(root, 'Resources'), 'Policy'), 'Properties'),
      'PolicyDocument',
    );
    expect(rawGet(document, 'Version')).toMatchObject({
      kind: 'scalar',
      value: '2012-10-17',
      range: { startLine: 8 },
    });
    expect(rawGet(rawGet(root, 'Resources'), 'Second')).toBeUndefined();
    const scope = await loadFixture('versions.yaml');
    expect(scope.resources.map((r) => r.address)).toEqual(['Policy']);
  });

  it('reads JSON templates with the same positions', () => {
    const root = parseOk('long-forms.json', fixtureText('long-forms.json'));
    const endpoint = rawGet(rawGet(root, 'Resources'), 'Endpoint');
    expect(endpoint?.range.startLine).toBe(4);
    const serviceName = rawGet(rawGet(endpoint, 'Properties'), 'ServiceName');
    expect(serviceName).toMatchObject({ kind: 'map', range: { startLine: 7, startColumn: 24 } });
  });
});

describe('failures are values, not exceptions', () => {
  it('reports a parse error at its exact line, with no resources', async () => {
    const scope = await loadFixture('parse-error.yaml');
    expect(scope.resources).toEqual([]);
    expect(scope.diagnostics).toHaveLength(1);
    expect(scope.diagnostics[0]).toMatchObject({
      kind: 'parse-error',
      range: { file: 'parse-error.yaml', startLine: 6 },
    });
  });

  it('caps alias expansion (billion laughs)', async () => {
    const started = Date.now();
    const scope = await loadFixture('alias-bomb.yaml');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(scope.resources).toEqual([]);
    expect(scope.diagnostics[0]?.kind).toBe('parse-error');
    expect(scope.diagnostics[0]?.message).toMatch(/alias|nodes/);
  });

  it('still expands a few aliases', () => {
    const root = parseOk('a.yaml', 'Resources:\n  A: &a\n    Type: AWS::S3::Bucket\n  B: *a\n');
    expect(rawGet(rawGet(rawGet(root, 'Resources'), 'B'), 'Type')).toMatchObject({
      value: 'AWS::S3::Bucket',
      range: { startLine: 3 },
    });
  });

  it('refuses absurd nesting without crashing', () => {
    const deep = 'Resources: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    const result = parseTemplateText('deep.yaml', deep);
    expect(result.ok).toBe(false);
  });

  it('refuses oversized templates', () => {
    const result = parseTemplateText('big.yaml', 'a: ' + 'x'.repeat(6 * 1024 * 1024));
    expect(result).toMatchObject({ ok: false, range: { startLine: 1 } });
  });
});

describe('under-indented quoted scalars (accepted by CloudFormation)', () => {
  const text =
    'Resources:\n  E:\n    Properties:\n      PolicyDocument: \'{\n        "a": 1\n      }\'\n      Next: 2\n';

  it('re-indents only the continuation lines', () => {
    expect(reindentQuotedScalars(text)?.split('\n')[5]).toBe("       }'");
    expect(reindentQuotedScalars('a: b\n')).toBeUndefined();
  });

  it('parses such a template, keeping lines exact', () => {
    const root = parseOk('q.yaml', text);
    const properties = rawGet(rawGet(rawGet(root, 'Resources'), 'E'), 'Properties');
    expect(rawGet(properties, 'PolicyDocument')).toMatchObject({
      kind: 'scalar',
      value: '{ "a": 1 }',
      range: { startLine: 4, endLine: 6 },
    });
    expect(rawGet(properties, 'Next')).toMatchObject({ value: 2, range: { startLine: 7 } });
  });
});
