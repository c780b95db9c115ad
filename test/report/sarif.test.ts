import { describe, expect, it } from 'vitest';
import { fileUri, renderSarif, ruleName, toSarif } from '../../src/report/sarif.js';
import { sarifProblems } from './sarif-check.js';
import type { Json } from './sarif-check.js';
import { sampleData, sampleRules } from './sample.js';

const options = {
  toolName: 's3-endpoint-guard',
  toolVersion: '1.2.3',
  informationUri: 'https://example.test/s3-endpoint-guard',
  docsBaseUri: 'https://example.test/s3-endpoint-guard/blob/main/',
  rules: sampleRules,
};

describe('SARIF report', () => {
  const log = JSON.parse(renderSarif(sampleData, options)) as Json;

  it('passes the structural check of SARIF 2.1.0', () => {
    expect(sarifProblems(log)).toEqual([]);
  });

  it('the structural check catches a broken log', () => {
    const broken = structuredClone(log) as { runs: { results: Json[] }[] };
    const first = broken.runs[0]?.results[0];
    if (first) {
      first.level = 'fatal';
      first.ruleIndex = 1;
    }
    expect(sarifProblems(broken)).toEqual(['result.ruleIndex points at its rule', 'result.level']);
  });

  it('describes the tool and every rule that ran', () => {
    const run = (log.runs as Json[])[0] as { tool: { driver: Json } };
    expect(run.tool.driver).toMatchObject({
      name: 's3-endpoint-guard',
      version: '1.2.3',
      informationUri: 'https://example.test/s3-endpoint-guard',
    });
    expect(run.tool.driver.rules).toEqual([
      expect.objectContaining({
        id: 'sourceip-deny-blocks-endpoint',
        name: 'SourceipDenyBlocksEndpoint',
        shortDescription: { text: 'Deny on NotIpAddress aws:SourceIp blocks endpoint traffic' },
        fullDescription: { text: 'Requests through an S3 endpoint carry no aws:SourceIp.' },
        helpUri:
          'https://example.test/s3-endpoint-guard/blob/main/docs/rules/sourceip-deny-blocks-endpoint.md',
        defaultConfiguration: { level: 'error' },
      }),
      expect.objectContaining({
        id: 'endpoint-policy-full-access',
        defaultConfiguration: { level: 'warning' },
      }),
    ]);
  });

  it('maps findings to results with locations, related locations and fingerprints', () => {
    const results = ((log.runs as Json[])[0] as { results: Json[] }).results;
    expect(results[0]).toMatchObject({
      ruleId: 'sourceip-deny-blocks-endpoint',
      ruleIndex: 0,
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'infra/bucket.yaml' },
            region: { startLine: 3, endLine: 5, startColumn: 7, endColumn: 20 },
          },
        },
      ],
      relatedLocations: [
        {
          id: 0,
          physicalLocation: {
            artifactLocation: { uri: 'infra/bucket.yaml' },
            region: { startLine: 1, endLine: 1, startColumn: 3, endColumn: 13 },
          },
          message: { text: 'S3Endpoint: the endpoint whose traffic is denied' },
        },
      ],
      partialFingerprints: { 's3EndpointGuard/v1': 'aaaabbbbccccddddeeeeffff00001111' },
    });
    // A whole-line range has no real columns: no empty region.
    expect(results[1]).toMatchObject({
      level: 'warning',
      locations: [{ physicalLocation: { region: { startLine: 2, endLine: 2 } } }],
    });
    const region = (results[1] as { locations: { physicalLocation: { region: Json } }[] })
      .locations[0]?.physicalLocation.region;
    expect(region).not.toHaveProperty('startColumn');
  });

  it('maps notice to note and leaves ruleIndex out for rules not in the run', () => {
    const notice = {
      ...sampleData.findings[1]!,
      ruleId: 'unresolved-policy',
      severity: 'notice' as const,
    };
    const sarif = toSarif({ findings: [notice], files: [], errors: [] }, options) as {
      runs: { results: Json[] }[];
    };
    expect(sarif.runs[0]?.results[0]).toMatchObject({ level: 'note', ruleId: 'unresolved-policy' });
    expect(sarif.runs[0]?.results[0]).not.toHaveProperty('ruleIndex');
  });

  it('encodes paths as relative URI references', () => {
    expect(fileUri('my templates/a#1.yaml')).toBe('my%20templates/a%231.yaml');
    expect(ruleName('unknown-s3-action')).toBe('UnknownS3Action');
  });
});
