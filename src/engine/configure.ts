/**
 * What a configuration file means for one run of the engine, in one place so the CLI and the
 * GitHub App apply it identically: which rules run (config `rules:` then the command line's
 * `--rule`/`--disable`), the facts rules get (`RuleSettings`), which files are read
 * (`paths:`), the severity each finding is reported at, which findings are accepted
 * (inline comments, `Metadata`, config `ignore:`, slash commands), and which block.
 */
import { lineRange } from '../core/range.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_CONFIG } from '../config/schema.js';
import {
  configuredRules,
  effectiveSeverity,
  pathSelected,
  ruleSettingsOf,
} from '../config/apply.js';
import type { Finding } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';
import type { Scope } from '../iac/model.js';
import type { Rule } from '../rules/define-rule.js';
import type { RuleSettings } from '../rules/settings.js';
import type { CommandIgnore, SuppressionOutcome } from '../findings/suppression/apply.js';
import {
  applySuppressions,
  INVALID_SUPPRESSION,
  unusedConfigIgnores,
} from '../findings/suppression/apply.js';
import type { RuleSelection } from './select-rules.js';
import { selectRules } from './select-rules.js';
import type { ScopeFindings } from './scan.js';

export interface RunPlanOptions {
  /** The configuration; `DEFAULT_CONFIG` when the repository has none. */
  readonly config?: Config;
  /** Where the configuration was read from (for notices about its `ignore:` entries). */
  readonly configFile?: string;
  /** The rule registry. */
  readonly registry: readonly Rule[];
  /** `--rule` / `--disable`, applied after the config's `rules:`. */
  readonly selection?: RuleSelection;
  /** Findings accepted in pull request comments (`/s3-guard ignore`). */
  readonly commands?: readonly CommandIgnore[];
}

/** The parts of `ScanOptions` a configuration decides, plus what to do once the scan is over. */
export interface ScanHooks {
  readonly rules: readonly Rule[];
  readonly settings: RuleSettings;
  readonly selectFile: (file: string) => boolean;
  readonly afterRules: (
    scope: Scope,
    findings: readonly Finding[],
    texts: ReadonlyMap<string, string>,
  ) => ScopeFindings;
  /** Notices for config `ignore:` entries that matched nothing in the whole scan. */
  unusedIgnoreNotices(): Finding[];
}

export interface RunPlan {
  readonly config: Config;
  readonly rules: readonly Rule[];
  readonly settings: RuleSettings;
  /**
   * Fresh hooks for one scan. A change is two scans (base and head); each needs its own record
   * of which config ignores were used.
   */
  hooksForScan(): ScanHooks;
}

/** Throws `UnknownRuleError` for unknown ids in `selection`, like `selectRules`. */
export function planRun(options: RunPlanOptions): RunPlan {
  const config = options.config ?? DEFAULT_CONFIG;
  const rules = configuredRules(selectRules(options.registry, options.selection ?? {}), config);
  const settings = ruleSettingsOf(config);
  const knownRuleIds = options.registry.map((rule) => rule.id);
  const activeRuleIds = rules.map((rule) => rule.id);
  return {
    config,
    rules,
    settings,
    hooksForScan(): ScanHooks {
      const outcomes: SuppressionOutcome[] = [];
      return {
        rules,
        settings,
        selectFile: (file) => pathSelected(config, file),
        afterRules(scope, findings, texts) {
          const severe = findings.map((finding) => {
            const severity = effectiveSeverity(finding, config);
            return severity === finding.severity ? finding : { ...finding, severity };
          });
          const outcome = applySuppressions({
            findings: severe,
            scope,
            texts,
            config: config.ignore,
            ...(options.commands ? { commands: options.commands } : {}),
            knownRuleIds,
            activeRuleIds,
          });
          outcomes.push(outcome);
          return { findings: outcome.findings, suppressed: outcome.suppressed };
        },
        unusedIgnoreNotices() {
          const file = options.configFile ?? 'configuration';
          return (
            unusedConfigIgnores(outcomes)
              // A rule switched off produces nothing to match: its ignore is not "unused".
              .filter((ignore) => activeRuleIds.includes(ignore.rule))
              .map((ignore) => unusedIgnoreNotice(file, ignore.line ?? 1, ignore))
          );
        },
      };
    },
  };
}

function unusedIgnoreNotice(
  file: string,
  line: number,
  ignore: { rule: string; resource?: string; path?: string; reason: string },
): Finding {
  const what = [
    ignore.resource === undefined ? undefined : `resource ${ignore.resource}`,
    ignore.path === undefined ? undefined : `path ${ignore.path}`,
  ]
    .filter((part) => part !== undefined)
    .join(' and ');
  return {
    ruleId: INVALID_SUPPRESSION.id,
    severity: INVALID_SUPPRESSION.severity,
    message: `The config ignore entry for ${ignore.rule}${what ? ` (${what})` : ''} matches no finding in this scan; remove it if the problem was fixed.`,
    range: lineRange(file, line),
    resource: file,
    related: [],
    fix: { description: 'Delete the entry, or correct its rule, resource or path.' },
    fingerprint: fingerprint(INVALID_SUPPRESSION.id, file, file, [
      'unused-config',
      ignore.rule,
      ignore.resource ?? '',
      ignore.path ?? '',
    ]),
    helpUri: INVALID_SUPPRESSION.docs,
  };
}
