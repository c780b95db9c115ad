/**
 * Extracts the few GitHub REST operations the app uses from GitHub's OpenAPI description
 * (`@octokit/openapi`, 70 MB) into `test/fake-github/openapi-operations.json`, so the fake
 * GitHub can validate every request the app sends without loading the whole description.
 *
 * Re-runnable and deterministic: same input, byte-identical output. Run with
 * `npm run openapi:extract` after upgrading `@octokit/openapi`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

/** The operations the fake implements (common.md): the app must use nothing else. */
export const USED_OPERATIONS: readonly (readonly [string, string])[] = [
  ['POST', '/app/installations/{installation_id}/access_tokens'],
  ['GET', '/app'],
  ['GET', '/user'],
  ['GET', '/repos/{owner}/{repo}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files'],
  ['GET', '/repos/{owner}/{repo}/compare/{basehead}'],
  ['GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}'],
  ['GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}'],
  ['GET', '/repos/{owner}/{repo}/contents/{path}'],
  ['POST', '/repos/{owner}/{repo}/check-runs'],
  ['PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'],
  ['POST', '/repos/{owner}/{repo}/statuses/{sha}'],
  ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  // Issue 6: slash commands (permissions, reactions) and re-evaluation from check/merge events.
  ['GET', '/repos/{owner}/{repo}/collaborators/{username}/permission'],
  ['GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}'],
  ['POST', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions'],
  ['GET', '/repos/{owner}/{repo}/pulls'],
  ['GET', '/repos/{owner}/{repo}/commits/{commit_sha}/pulls'],
];

/**
 * The webhook payloads the fake builds (`x-webhooks` of the description), extracted into
 * `test/fake-github/openapi-webhooks.json` so its tests can check each builder against GitHub.
 */
export const USED_WEBHOOKS: readonly string[] = [
  'check-run-completed',
  'check-run-requested-action',
  'check-run-rerequested',
  'check-suite-completed',
  'check-suite-requested',
  'check-suite-rerequested',
  'issue-comment-created',
  'issue-comment-deleted',
  'issue-comment-edited',
  'merge-group-checks-requested',
  'merge-group-destroyed',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Schema keywords that only document: dropped to keep the file small. */
const DOCUMENTATION = new Set(['description', 'example', 'examples', 'title', 'externalDocs']);

/**
 * A JSON schema without its documentation keywords. Property *names* are data, not keywords,
 * so a property called `description` or `title` (check-run actions have both) is kept.
 */
function stripSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(schema).sort()) {
    const value = schema[key] as Json;
    if (DOCUMENTATION.has(key) || key.startsWith('x-')) continue;
    if (
      key === 'properties' &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      const properties: Record<string, Json> = {};
      for (const name of Object.keys(value).sort())
        properties[name] = stripSchema(value[name] as Json);
      out[key] = properties;
    } else if (key === 'enum' || key === 'required' || key === 'default') {
      out[key] = value;
    } else {
      out[key] = stripSchema(value);
    }
  }
  return out;
}

export interface ExtractedParameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Json;
}

export interface ExtractedOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly pathParameters: readonly ExtractedParameter[];
  readonly queryParameters: readonly ExtractedParameter[];
  readonly requestBody?: { readonly required: boolean; readonly schema: Json };
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}
interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  'x-webhooks'?: Record<string, Record<string, OpenApiOperation>>;
}

/** The JSON schema of each used webhook's payload, by `x-webhooks` key. */
export function extractWebhooks(document: OpenApiDocument): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of USED_WEBHOOKS) {
    const schema =
      document['x-webhooks']?.[key]?.post?.requestBody?.content?.['application/json']?.schema;
    if (schema === undefined)
      throw new Error(`webhook ${key} is not in GitHub's OpenAPI description`);
    out[key] = stripSchema(schema);
  }
  return out;
}

export function extractOperations(document: OpenApiDocument): ExtractedOperation[] {
  return USED_OPERATIONS.map(([method, path]) => {
    const operation = document.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${path} is not in GitHub's OpenAPI description`);
    const parameters = (kind: string): ExtractedParameter[] =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === kind)
        .map((parameter) => ({
          name: parameter.name,
          required: parameter.required === true,
          schema: stripSchema(parameter.schema ?? {}),
        }));
    const json = operation.requestBody?.content?.['application/json']?.schema;
    return {
      method,
      path,
      operationId: operation.operationId,
      pathParameters: parameters('path'),
      queryParameters: parameters('query'),
      ...(json === undefined
        ? {}
        : {
            requestBody: {
              required: operation.requestBody?.required === true,
              schema: stripSchema(json),
            },
          }),
    };
  });
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@octokit/openapi/package.json');
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const source = packageJson.replace(/package\.json$/, 'generated/api.github.com.deref.json');
  const document = JSON.parse(await readFile(source, 'utf8')) as OpenApiDocument;
  const output = fileURLToPath(
    new URL('../test/fake-github/openapi-operations.json', import.meta.url),
  );
  const extracted = {
    source: `@octokit/openapi ${version} generated/api.github.com.deref.json`,
    generatedBy: 'npm run openapi:extract (scripts/extract-openapi.ts)',
    operations: extractOperations(document),
  };
  const options = (await prettier.resolveConfig(output)) ?? {};
  const text = await prettier.format(JSON.stringify(extracted), { ...options, filepath: output });
  await writeFile(output, text);
  console.log(`${extracted.operations.length} operations → ${output}`);
  const webhooksOutput = fileURLToPath(
    new URL('../test/fake-github/openapi-webhooks.json', import.meta.url),
  );
  const webhooks = {
    source: extracted.source,
    generatedBy: extracted.generatedBy,
    webhooks: extractWebhooks(document),
  };
  await writeFile(
    webhooksOutput,
    await prettier.format(JSON.stringify(webhooks), { ...options, filepath: webhooksOutput }),
  );
  console.log(`${USED_WEBHOOKS.length} webhook payload schemas → ${webhooksOutput}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
