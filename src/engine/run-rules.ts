/**
 * Runs rules on one scope and turns what they report into full findings. A rule that crashes
 * must not take the other rules (or the other files) down with it, and must not pass silently
 * either: its exception becomes an `error` finding of that rule, so the run fails loudly but
 * completely.
 */
import { lineRange } from '../core/range.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';
import type { Scope } from '../iac/model.js';
import type { Rule } from '../rules/define-rule.js';
import type { ChangeContext, RuleSettings } from '../rules/settings.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/settings.js';

/** What rules may know besides the scope (see rules/settings.ts). */
export interface RunOptions {
  readonly settings?: RuleSettings;
  readonly change?: ChangeContext;
}

export function helpUriFor(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export function toFinding(rule: Rule, input: FindingInput): Finding {
  return {
    ruleId: rule.id,
    severity: input.severity ?? rule.severity,
    message: input.message,
    range: input.range,
    resource: input.resource,
    related: input.related ?? [],
    ...(input.fix ? { fix: input.fix } : {}),
    fingerprint: fingerprint(rule.id, input.range.file, input.resource, input.identity),
    helpUri: helpUriFor(rule.id),
  };
}

export function runRules(
  scope: Scope,
  rules: readonly Rule[],
  options: RunOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const settings = options.settings ?? DEFAULT_RULE_SETTINGS;
  for (const rule of rules) {
    // Findings of a rule that later throws are discarded: they may be partial or inconsistent,
    // and the internal-error finding already blocks the run.
    const ofRule: Finding[] = [];
    try {
      rule.check({
        scope,
        settings,
        ...(options.change ? { change: options.change } : {}),
        report(input) {
          ofRule.push(toFinding(rule, input));
        },
      });
      findings.push(...ofRule);
    } catch (error) {
      findings.push(internalError(rule, scope, error));
    }
  }
  return findings;
}

function internalError(rule: Rule, scope: Scope, error: unknown): Finding {
  const file = scope.files[0] ?? scope.id;
  const reason = error instanceof Error ? error.message : String(error);
  return toFinding(rule, {
    severity: 'error',
    message: `internal error in rule ${rule.id} while checking ${file}: ${reason}`,
    range: lineRange(file, 1),
    resource: file,
    // The reason is not part of the identity: a changed stack trace is the same broken rule.
    identity: ['internal-error'],
  });
}
