import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/core/value.js';
import { displayValue, mapGet } from '../../../src/core/value.js';
import { parseTemplateText } from '../../../src/iac/cloudformation/parse.js';
import { Resolver, templateContext } from '../../../src/iac/cloudformation/resolve.js';
import { loadFixture, resource } from './helpers.js';

async function probe(name: string): Promise<Value | undefined> {
  const scope = await loadFixture('short-tags.yaml');
  return mapGet(resource(scope, 'Probe', 'other').properties, name)?.value;
}

/** Resolves `value:` of a small template that defines `Parameters`, `Mappings`, `Resources`. */
function resolveIn(template: string): Value {
  const parsed = parseTemplateText('t.yaml', template);
  if (!parsed.ok || parsed.root?.kind !== 'map') throw new Error('bad test template');
  const node = parsed.root.entries.find((e) => e.key === 'value')?.value;
  if (!node) throw new Error('no value');
  return new Resolver(templateContext(parsed.root)).resolve(node);
}

describe('Ref and GetAtt follow the identity convention', () => {
  it('Ref of an endpoint is its ID; GetAtt X.Id is the same identity', async () => {
    expect(await probe('RefScalar')).toMatchObject({
      kind: 'string',
      parts: [
        {
          kind: 'ref',
          ref: {
            id: 'Endpoint#id',
            target: { kind: 'resource', address: 'Endpoint', attribute: 'id' },
            display: '!Ref Endpoint',
          },
        },
      ],
      range: { startLine: 23, startColumn: 18 },
    });
    expect(await probe('GetAttSeq')).toMatchObject({
      parts: [{ kind: 'ref', ref: { id: 'Endpoint#id' } }],
    });
  });

  it('GetAtt keeps other attributes as written', async () => {
    expect(await probe('GetAttScalar')).toMatchObject({
      parts: [{ kind: 'ref', ref: { id: 'Vpc#CidrBlock' } }],
    });
    expect(await probe('GetAttMap')).toMatchObject({ kind: 'unknown' });
  });

  it('maps Ref by resource type: bucket → name, managed policy → arn, others → ref; Arn → arn', () => {
    const resources =
      'Resources:\n  B: {Type: AWS::S3::Bucket}\n  M: {Type: AWS::IAM::ManagedPolicy}\n  Q: {Type: AWS::SQS::Queue}\n';
    const ids = (expr: string): string | undefined => {
      const v = resolveIn(`${resources}value: ${expr}\n`);
      return v.kind === 'string' && v.parts[0]?.kind === 'ref' ? v.parts[0].ref.id : undefined;
    };
    expect(ids('!Ref B')).toBe('B#name');
    expect(ids('!Ref M')).toBe('M#arn');
    expect(ids('!Ref Q')).toBe('Q#ref');
    expect(ids('!GetAtt B.Arn')).toBe('B#arn');
    expect(ids('!GetAtt [B, DomainName]')).toBe('B#DomainName');
    expect(resolveIn(`${resources}value: !Ref Missing\n`)).toMatchObject({ kind: 'unknown' });
  });

  it('parameters: default → literal, no default → symbolic; pseudo parameters are symbolic', () => {
    const params =
      'Parameters:\n  WithDefault: {Type: String, Default: abc}\n  NoDefault: {Type: String}\n  List: {Type: CommaDelimitedList, Default: "a, b"}\n';
    expect(resolveIn(`${params}value: !Ref WithDefault\n`)).toMatchObject({
      kind: 'string',
      parts: [{ kind: 'text', text: 'abc' }],
      range: { startLine: 5 },
    });
    expect(resolveIn(`${params}value: !Ref NoDefault\n`)).toMatchObject({
      parts: [{ ref: { id: 'param:NoDefault', target: { kind: 'parameter', name: 'NoDefault' } } }],
    });
    expect(resolveIn(`${params}value: !Ref List\n`)).toMatchObject({
      kind: 'list',
      items: [{ parts: [{ text: 'a' }] }, { parts: [{ text: 'b' }] }],
    });
    for (const pseudo of [
      'AWS::Region',
      'AWS::AccountId',
      'AWS::Partition',
      'AWS::StackName',
      'AWS::StackId',
      'AWS::URLSuffix',
      'AWS::NotificationARNs',
    ]) {
      expect(resolveIn(`value: !Ref ${pseudo}\n`)).toMatchObject({
        parts: [{ ref: { id: `pseudo:${pseudo}`, target: { kind: 'pseudo', name: pseudo } } }],
      });
    }
    expect(resolveIn('value: !Ref AWS::NoValue\n')).toMatchObject({ kind: 'absent' });
  });
});

describe('string functions', () => {
  it('Fn::Sub string form: defaults inlined, pseudo symbolic, ${!Literal} escaped', async () => {
    const value = await probe('SubScalar');
    expect(value && displayValue(value)).toBe('arn:${AWS::Partition}:s3:::prod-${Env}/${Literal}');
    expect(value).toMatchObject({
      parts: [
        { text: 'arn:' },
        { ref: { id: 'pseudo:AWS::Partition' } },
        { text: ':s3:::prod-' },
        { ref: { id: 'param:Env' } },
        { text: '/${Literal}' },
      ],
    });
  });

  it('Fn::Sub list form with variables and ${Res.Attr}', async () => {
    expect(await probe('SubSeq')).toMatchObject({
      parts: [
        { ref: { id: 'param:Env', display: '!Ref Env' } },
        { text: '-' },
        { ref: { id: 'Vpc#CidrBlock' } },
      ],
    });
  });

  it('Fn::Join concatenates symbolic parts', async () => {
    expect(await probe('JoinSeq')).toMatchObject({
      parts: [{ text: 'a' }, { ref: { id: 'param:Env' } }, { text: 'b' }],
    });
    expect(
      resolveIn('Parameters: {L: {Type: CommaDelimitedList}}\nvalue: !Join [",", !Ref L]\n'),
    ).toMatchObject({ kind: 'unknown' });
  });

  it('Fn::Select, Fn::Split (literal only), Fn::FindInMap', async () => {
    expect(await probe('SelectSeq')).toMatchObject({ parts: [{ text: 'y' }] });
    expect(await probe('SplitSeq')).toMatchObject({
      kind: 'list',
      items: [{ parts: [{ text: 'a' }] }, { parts: [{ text: 'b' }] }],
    });
    expect(resolveIn('value: !Split [",", !Ref AWS::StackName]\n')).toMatchObject({
      kind: 'unknown',
    });
    expect(await probe('FindInMapSeq')).toMatchObject({
      parts: [{ text: 'east-bucket' }],
      range: { startLine: 50 },
    });
    expect(
      resolveIn('Mappings: {M: {a: {b: c}}}\nvalue: !FindInMap [M, !Ref AWS::Region, b]\n'),
    ).toMatchObject({ kind: 'unknown' });
    expect(
      resolveIn('Mappings: {M: {a: {b: c}}}\nvalue: !FindInMap [M, x, b, {DefaultValue: d}]\n'),
    ).toMatchObject({ parts: [{ text: 'd' }] });
  });

  it('Fn::If is a conditional; a Sub over it distributes', async () => {
    expect(await probe('IfSeq')).toMatchObject({
      kind: 'conditional',
      condition: 'IsProd',
      whenTrue: { parts: [{ text: 'yes' }] },
      whenFalse: { parts: [{ text: 'on' }] },
    });
    const value = resolveIn(
      'Conditions: {C: !Equals [a, b]}\nvalue: !Sub ["x-${V}", {V: !If [C, one, two]}]\n',
    );
    expect(value).toMatchObject({
      kind: 'conditional',
      condition: 'C',
      whenTrue: { parts: [{ text: 'x-one' }] },
      whenFalse: { parts: [{ text: 'x-two' }] },
    });
  });

  it('deploy-time functions are unknown with a reason; trivial ones computed', async () => {
    expect(await probe('ImportScalar')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Fn::ImportValue SharedVpc'),
    });
    expect(await probe('GetAZsScalar')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Fn::GetAZs'),
    });
    expect(await probe('CidrSeq')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Fn::Cidr'),
    });
    expect(await probe('TransformMap')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Fn::Transform'),
    });
    expect(await probe('NotSeq')).toMatchObject({ kind: 'unknown' });
    expect(await probe('Base64Scalar')).toMatchObject({ parts: [{ text: 'aGk=' }] });
    expect(await probe('EqualsSeq')).toMatchObject({ kind: 'boolean', value: true });
    // AWS::NoValue removes the property.
    expect(await probe('NoValue')).toBeUndefined();
  });

  it('names an import as written, not with placeholder defaults filled in', () => {
    const value = resolveIn(
      "Parameters: {Parent: {Type: String, Default: ''}}\nvalue: !ImportValue {'Fn::Sub': '${Parent}-VpcId'}\n",
    );
    expect(value).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('${Parent}-VpcId'),
    });
  });

  it('an SSM parameter type default is a parameter name, not the value', () => {
    const value = resolveIn(
      "Parameters: {Vpce: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /net/vpce-id}}\nvalue: !Ref Vpce\n",
    );
    expect(value).toMatchObject({ parts: [{ ref: { id: 'param:Vpce' } }] });
  });

  it('dynamic references are unknown, in literals and in built strings', () => {
    expect(resolveIn("value: '{{resolve:ssm:/net/vpce-id}}'\n")).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('{{resolve:ssm:/net/vpce-id}}'),
      // Which parameter is read is known even though its value is not.
      dynamicReference: '{{resolve:ssm:/net/vpce-id}}',
    });
    expect(resolveIn("value: !Join ['', ['{{resolve:ssm:', /p, '}}']]\n")).toMatchObject({
      kind: 'unknown',
    });
    expect(resolveIn('value: !Sub "{{resolve:secretsmanager:${AWS::StackName}}}"\n')).toMatchObject(
      { kind: 'unknown' },
    );
    const parsed = parseTemplateText(
      't.yaml',
      'value: \'{"Statement": [{"Resource": "{{resolve:ssm:/arn}}"}]}\'\n',
    );
    const node =
      parsed.ok && parsed.root?.kind === 'map' ? parsed.root.entries[0]?.value : undefined;
    if (!parsed.ok || !node) throw new Error('bad test template');
    const document = new Resolver(templateContext(parsed.root)).resolveDocument(node);
    expect(displayValue(document)).toBe(
      '{Statement: [{Resource: <unknown: dynamic reference {{resolve:…}} (resolved at deploy time)>}]}',
    );
  });

  it('stops on self-referencing parameter defaults', () => {
    const value = resolveIn('Parameters: {P: {Type: String, Default: !Ref P}}\nvalue: !Ref P\n');
    expect(value).toMatchObject({ parts: [{ ref: { id: 'param:P' } }] });
  });

  it('Serverless Framework variables are unknown, not resources', () => {
    expect(resolveIn('value: !Sub "${self:custom.bucket}-x"\n')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Serverless'),
    });
  });
});
