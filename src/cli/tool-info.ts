/**
 * The tool's name and version, read from package.json at run time so a release never reports a
 * stale version. The same relative URL works from `src/cli` (tsx) and `dist/cli` (built).
 */
import { readFileSync } from 'node:fs';

export const TOOL_NAME = 's3-endpoint-guard';

/**
 * Where the project (and its rule docs) live. package.json has no `homepage` yet; set one there
 * and it is used instead of this placeholder.
 */
const DEFAULT_HOMEPAGE = 'https://github.com/s3-endpoint-guard/s3-endpoint-guard';

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  readonly homepage: string;
  /** Base for `docs/rules/<id>.md` links in SARIF, ending in `/`. */
  readonly docsBaseUri: string;
}

let cached: ToolInfo | undefined;

export function toolInfo(): ToolInfo {
  if (cached) return cached;
  let version = '0.0.0';
  let homepage = DEFAULT_HOMEPAGE;
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown; homepage?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
    if (typeof pkg.homepage === 'string') homepage = pkg.homepage.replace(/#.*$/, '');
  } catch {
    // A bundled or relocated build without package.json still runs; only the version suffers.
  }
  cached = {
    name: TOOL_NAME,
    version,
    homepage,
    docsBaseUri: `${homepage.replace(/\/$/, '')}/blob/main/`,
  };
  return cached;
}
