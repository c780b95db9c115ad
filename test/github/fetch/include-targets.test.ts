import { describe, expect, it } from 'vitest';
import { includeTargets } from '../../../src/iac/cloudformation/include.js';
import { terraformFileTargets } from '../../../src/github/fetch/paths.js';

describe('includeTargets', () => {
  it('lists literal repository-local includes, root-relative, once each', () => {
    const text = [
      'Resources:',
      '  A: { "Fn::Include": "parts/a.yaml" }',
      '  B:',
      '    Fn::Include: { location: "../shared/b.json", type: json }',
      '  C:',
      '    - Fn::Include: { location: ./parts/a.yaml, type: string }',
      '',
    ].join('\n');
    expect(includeTargets('stacks/app.yaml', text).sort()).toEqual([
      'shared/b.json',
      'stacks/parts/a.yaml',
    ]);
  });

  it('lists nothing the expander refuses: URLs, absolute, globs, outside the root, non-literal, transforms', () => {
    const text = [
      'Resources:',
      '  A: { "Fn::Include": "https://evil.example/x.json" }',
      '  B: { "Fn::Include": "s3://bucket/x.json" }',
      '  C: { "Fn::Include": "/etc/passwd" }',
      '  D: { "Fn::Include": "parts/*.yaml" }',
      '  E: { "Fn::Include": "../../outside.yaml" }',
      '  F: { "Fn::Include": { location: { Ref: X } } }',
      '  G: { "Fn::Include": { location: q.json, query: x } }',
      '  H: { "Fn::Include": "~/x.yaml" }',
      '',
    ].join('\n');
    expect(includeTargets('stacks/app.yaml', text)).toEqual([]);
  });

  it('lists nothing for text that is not a template or has no include', () => {
    expect(includeTargets('a.yaml', 'Fn::Include: [unclosed')).toEqual([]);
    expect(includeTargets('a.yaml', 'Resources: {}')).toEqual([]);
  });
});

describe('terraformFileTargets', () => {
  it('lists literal file() and templatefile() paths inside the repository', () => {
    const text = [
      'a = file("${path.module}/p.json")',
      'b = templatefile("t/p.tpl", { x = 1 })',
      'c = file("../shared/s.json")',
      'd = file("../../../x")',
      'e = file("/etc/passwd")',
      'f = file("${var.name}.json")',
      'g = file("https://evil.example/x")',
      'h = file( "${path.module}/q.json" )',
    ].join('\n');
    expect(terraformFileTargets('mods/m', text).sort()).toEqual([
      'mods/m/p.json',
      'mods/m/q.json',
      'mods/m/t/p.tpl',
      'mods/shared/s.json',
    ]);
    expect(terraformFileTargets('', 'x = file("p.json")')).toEqual(['p.json']);
  });
});
