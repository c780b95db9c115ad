/**
 * The one way to declare a rule, so metadata cannot drift from the implementation: id, title,
 * default severity, the document it enforces, and a `check` that reads the model of one scope
 * and reports findings. No YAML or HCL in a rule.
 */
import type { Scope } from '../iac/model.js';
import type { FindingInput, Severity } from '../findings/finding.js';
import type { ChangeContext, RuleSettings } from './settings.js';

export interface RuleContext {
  readonly scope: Scope;
  /** Facts from the configuration; `DEFAULT_RULE_SETTINGS` when there is none. */
  readonly settings: RuleSettings;
  /** Only when a base version is known: change-aware rules compare with `change.base`. */
  readonly change?: ChangeContext;
  report(finding: FindingInput): void;
}

export interface RuleDefinition<Id extends string = string> {
  /** kebab-case; names the file, test, fixtures folder, doc page and SARIF ruleId. */
  readonly id: Id;
  /** One line, for listings and SARIF `shortDescription`. */
  readonly title: string;
  readonly severity: Severity;
  /** What the rule enforces and the source it rests on (AWS page, IAM evaluation logic). */
  readonly docs: { readonly description: string; readonly source: string };
  check(context: RuleContext): void;
}

export type Rule<Id extends string = string> = RuleDefinition<Id>;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function defineRule<const Id extends string>(definition: RuleDefinition<Id>): Rule<Id> {
  if (!KEBAB.test(definition.id)) {
    throw new Error(`rule id must be kebab-case: ${definition.id}`);
  }
  return Object.freeze({ ...definition });
}
