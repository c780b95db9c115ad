/** A minimal structural check of SARIF 2.1.0, shared by the report and CLI tests. */
export type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The SARIF 2.1.0 properties that consumers (GitHub code scanning among them) require, checked
 * structurally: a minimal stand-in for the JSON schema, which we do not fetch in tests.
 */
export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  if (!isObject(log)) return ['log is not an object'];
  need(log.version === '2.1.0', 'version must be 2.1.0');
  need(typeof log.$schema === 'string', '$schema');
  need(Array.isArray(log.runs) && log.runs.length > 0, 'runs');
  for (const run of (log.runs as unknown[]) ?? []) {
    if (!isObject(run) || !isObject(run.tool) || !isObject(run.tool.driver)) {
      problems.push('run.tool.driver');
      continue;
    }
    const driver = run.tool.driver;
    need(typeof driver.name === 'string' && driver.name !== '', 'driver.name');
    need(typeof driver.version === 'string', 'driver.version');
    need(
      typeof driver.informationUri === 'string' && /^https?:\/\//.test(driver.informationUri),
      'driver.informationUri',
    );
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    for (const rule of rules) {
      need(isObject(rule) && typeof rule.id === 'string', 'rule.id');
      if (!isObject(rule)) continue;
      need(typeof rule.name === 'string', `rule ${String(rule.id)} name`);
      need(
        isObject(rule.shortDescription) && typeof rule.shortDescription.text === 'string',
        'rule.shortDescription.text',
      );
      need(
        isObject(rule.fullDescription) && typeof rule.fullDescription.text === 'string',
        'rule.fullDescription.text',
      );
      need(typeof rule.helpUri === 'string' && URL.canParse(rule.helpUri), 'rule.helpUri absolute');
      need(
        isObject(rule.defaultConfiguration) &&
          ['none', 'note', 'warning', 'error'].includes(String(rule.defaultConfiguration.level)),
        'rule.defaultConfiguration.level',
      );
    }
    need(Array.isArray(run.results), 'run.results');
    for (const result of (run.results as unknown[]) ?? []) {
      if (!isObject(result)) {
        problems.push('result');
        continue;
      }
      need(typeof result.ruleId === 'string', 'result.ruleId');
      if (typeof result.ruleIndex === 'number') {
        const indexed = rules[result.ruleIndex] as Json | undefined;
        need(indexed?.id === result.ruleId, 'result.ruleIndex points at its rule');
      }
      need(['none', 'note', 'warning', 'error'].includes(String(result.level)), 'result.level');
      need(
        isObject(result.message) && typeof result.message.text === 'string',
        'result.message.text',
      );
      const locations = [
        ...((result.locations as unknown[]) ?? []),
        ...((result.relatedLocations as unknown[]) ?? []),
      ];
      need(Array.isArray(result.locations) && result.locations.length > 0, 'result.locations');
      for (const location of locations) {
        const physical = isObject(location) ? location.physicalLocation : undefined;
        need(
          isObject(physical) && isObject(physical.artifactLocation),
          'physicalLocation.artifactLocation',
        );
        if (!isObject(physical) || !isObject(physical.artifactLocation)) continue;
        const uri = physical.artifactLocation.uri;
        need(
          typeof uri === 'string' && !uri.startsWith('/') && !/^[a-z]+:/i.test(uri),
          'relative uri',
        );
        const region = physical.region;
        need(
          isObject(region) &&
            Number.isInteger(region.startLine) &&
            (region.startLine as number) >= 1,
          'region.startLine',
        );
        if (isObject(region) && region.endLine !== undefined) {
          need(
            (region.endLine as number) >= (region.startLine as number),
            'region.endLine >= startLine',
          );
        }
      }
      need(isObject(result.partialFingerprints), 'partialFingerprints');
      // The schema's enums for change awareness and suppressions.
      if (result.baselineState !== undefined) {
        need(
          ['new', 'unchanged', 'updated', 'absent'].includes(String(result.baselineState)),
          'result.baselineState',
        );
      }
      if (result.suppressions !== undefined) {
        need(Array.isArray(result.suppressions), 'result.suppressions is an array');
        for (const suppression of (result.suppressions as unknown[]) ?? []) {
          need(
            isObject(suppression) && ['inSource', 'external'].includes(String(suppression.kind)),
            'suppression.kind',
          );
          if (!isObject(suppression)) continue;
          if (suppression.status !== undefined) {
            need(
              ['accepted', 'underReview', 'rejected'].includes(String(suppression.status)),
              'suppression.status',
            );
          }
          if (suppression.justification !== undefined) {
            need(typeof suppression.justification === 'string', 'suppression.justification');
          }
        }
      }
    }
  }
  return problems;
}
