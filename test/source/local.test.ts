import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileSource, normaliseRelativePath } from '../../src/source/local.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'seg-local-'));
  root = path.join(base, 'repo');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'a.yaml'), 'inside');
  await writeFile(path.join(root, 'sub', 'b.yaml'), '\ufeffwith bom');
  await writeFile(path.join(base, 'secret.txt'), 'outside');
  await writeFile(path.join(root, 'big.json'), 'x'.repeat(2000));
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'link-out.yaml'));
  await symlink(path.join(root, 'a.yaml'), path.join(root, 'link-in.yaml'));
  await symlink(base, path.join(root, 'dir-out'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('normaliseRelativePath', () => {
  it.each([
    ['a.yaml', 'a.yaml'],
    ['./sub/../a.yaml', 'a.yaml'],
    ['sub\\b.yaml', 'sub/b.yaml'],
    ['.', ''],
    ['sub/', 'sub'],
  ])('keeps %s inside the root as %s', (input, expected) => {
    expect(normaliseRelativePath(input)).toBe(expected);
  });

  it.each(['../x', 'sub/../../x', '/etc/passwd', 'C:\\Windows\\win.ini', '..', 'a\0b'])(
    'refuses %s',
    (input) => {
      expect(normaliseRelativePath(input)).toBeUndefined();
    },
  );
});

describe('LocalFileSource', () => {
  it('reads files inside the root and strips a BOM', async () => {
    const source = new LocalFileSource(root);
    expect(await source.readFile('a.yaml')).toBe('inside');
    expect(await source.readFile('sub/b.yaml')).toBe('with bom');
    expect(await source.readFile('sub/../a.yaml')).toBe('inside');
  });

  it('refuses ../ and absolute paths', async () => {
    const source = new LocalFileSource(root);
    expect(await source.readFile('../secret.txt')).toBeUndefined();
    expect(await source.readFile(path.join(base, 'secret.txt'))).toBeUndefined();
    const refused = await source.read('../secret.txt');
    expect(refused).toMatchObject({ ok: false, reason: 'outside-root' });
  });

  it('refuses symlinks whose target leaves the root, follows those that stay inside', async () => {
    const source = new LocalFileSource(root);
    expect(await source.read('link-out.yaml')).toMatchObject({ ok: false, reason: 'outside-root' });
    expect(await source.readFile('dir-out/secret.txt')).toBeUndefined();
    expect(await source.readFile('link-in.yaml')).toBe('inside');
  });

  it('returns undefined for folders and missing files', async () => {
    const source = new LocalFileSource(root);
    expect(await source.read('sub')).toMatchObject({ ok: false, reason: 'not-a-file' });
    expect(await source.read('missing.yaml')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(await source.readFile('sub')).toBeUndefined();
  });

  it('caps the file size, but can read a prefix of a large file', async () => {
    const source = new LocalFileSource(root, { maxFileBytes: 1000 });
    expect(await source.read('big.json')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(await source.readPrefix('big.json', 10)).toEqual({ ok: true, text: 'x'.repeat(10) });
    expect(await new LocalFileSource(root).readFile('big.json')).toHaveLength(2000);
  });
});
