import { describe, expect, it } from 'vitest';
import {
  closestS3Action,
  findS3Action,
  S3_ACTIONS,
  S3_DATA_VERSION,
  s3ActionName,
  s3ActionsMatching,
  siblingServiceOf,
} from '../../../src/rules/data/s3-actions.js';

describe('S3 action table', () => {
  it('is loaded from iam-data with its version', () => {
    expect(S3_ACTIONS.length).toBeGreaterThan(100);
    expect(S3_DATA_VERSION).toMatch(/^\d+\.\d+\.\d{9}$/);
  });

  it.each([
    ['GetObject', ['object', 'other']],
    ['PutObject', ['object', 'other']],
    ['ListBucket', ['bucket', 'other']],
    ['GetBucketPolicy', ['bucket', 'other']],
    ['ListBucketMultipartUploads', ['bucket']],
    ['ListAllMyBuckets', []],
  ])('knows what %s acts on', (name, kinds) => {
    expect([...(findS3Action(name)?.kinds ?? new Set(['missing']))].sort()).toEqual(kinds);
  });

  it('looks names up case-insensitively and returns the canonical spelling', () => {
    expect(findS3Action('getobject')?.name).toBe('GetObject');
    expect(findS3Action('GETOBJECT')?.name).toBe('GetObject');
    expect(findS3Action('GetObjects')).toBeUndefined();
  });

  it('does not mix in S3 Express One Zone, which is a separate service', () => {
    expect(findS3Action('CreateSession')).toBeUndefined();
    expect(siblingServiceOf('createsession')).toBe('s3express');
    expect(siblingServiceOf('GetObjects')).toBeUndefined();
  });

  it('splits the s3: prefix in any case and ignores other services', () => {
    expect(s3ActionName('s3:GetObject')).toBe('GetObject');
    expect(s3ActionName('S3:getObject')).toBe('getObject');
    expect(s3ActionName('s3express:CreateSession')).toBeUndefined();
    expect(s3ActionName('*')).toBeUndefined();
  });

  it('expands wildcard patterns', () => {
    const gets = s3ActionsMatching('Get*').map((a) => a.name);
    expect(gets).toContain('GetObject');
    expect(gets).toContain('GetBucketPolicy');
    expect(gets).not.toContain('PutObject');
    expect(s3ActionsMatching('*').length).toBe(S3_ACTIONS.length);
    expect(s3ActionsMatching('GetObjec?').map((a) => a.name)).toEqual(['GetObject']);
    expect(s3ActionsMatching('Gett*')).toEqual([]);
  });

  it.each([
    ['GetObjects', 'GetObject'],
    ['DeleteObjects', 'DeleteObject'],
    ['ListBuckets', 'ListBucket'],
    ['Gett*', 'Get*'],
    ['GetObjects*', 'GetObject*'],
  ])('suggests %s → %s', (wrong, right) => {
    expect(closestS3Action(wrong)).toBe(right);
  });

  it('suggests nothing when nothing is close', () => {
    expect(closestS3Action('Xyzzy*')).toBeUndefined();
    expect(closestS3Action('CompletelyDifferentThing')).toBeUndefined();
  });
});
