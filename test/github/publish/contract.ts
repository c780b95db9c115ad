/**
 * Checks every request the publish tests send against GitHub's own descriptions: REST bodies
 * against the OpenAPI document in `@octokit/openapi`, GraphQL documents against the schema in
 * `@octokit/graphql-schema`. A typo in a field name fails the test instead of GitHub's 422.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { validate as validateGraphql } from '@octokit/graphql-schema';
import { parse } from 'graphql';

const require = createRequire(import.meta.url);

interface Operation {
  readonly requestBody?: { readonly content: Record<string, { readonly schema: object }> };
}
interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: object;
}

let openapi: OpenApi | undefined;
const validators = new Map<string, ValidateFunction>();
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

function spec(): OpenApi {
  openapi ??= JSON.parse(
    readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
  ) as OpenApi;
  return openapi;
}

/** The OpenAPI path template a concrete path matches, e.g. `/repos/{owner}/{repo}/…`. */
function templateOf(method: string, path: string): string | undefined {
  const bare = path.split('?')[0] ?? path;
  return Object.keys(spec().paths).find((template) => {
    if (!spec().paths[template]?.[method]) return false;
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(bare);
  });
}

function validatorFor(method: string, template: string): ValidateFunction | undefined {
  const key = `${method} ${template}`;
  if (!validators.has(key)) {
    const schema =
      spec().paths[template]?.[method]?.requestBody?.content['application/json']?.schema;
    if (!schema) return undefined;
    // Local `#/components/...` references resolve against the embedded components.
    validators.set(key, ajv.compile({ ...schema, components: spec().components }));
  }
  return validators.get(key);
}

/** Problems with one REST request body, empty when GitHub's description accepts it. */
export function restProblems(method: string, path: string, body: unknown): string[] {
  const lower = method.toLowerCase();
  const template = templateOf(lower, path);
  if (!template) return [`${method} ${path}: not an operation GitHub describes`];
  const check = validatorFor(lower, template);
  if (!check) return body === undefined ? [] : [`${method} ${template}: takes no body`];
  if (check(body ?? {})) return [];
  return (check.errors ?? []).map(
    (error) => `${method} ${template}: ${error.instancePath} ${error.message ?? ''}`,
  );
}

/** Problems with one GraphQL request (document and declared variables). */
export function graphqlProblems(body: unknown): string[] {
  const { query, variables } = body as { query: string; variables?: Record<string, unknown> };
  const document = parse(query);
  const problems = validateGraphql(query).map((error) => error.message);
  const declared = new Set(
    document.definitions.flatMap((definition) =>
      definition.kind === 'OperationDefinition'
        ? (definition.variableDefinitions ?? []).map((v) => v.variable.name.value)
        : [],
    ),
  );
  for (const name of Object.keys(variables ?? {})) {
    if (!declared.has(name)) problems.push(`variable $${name} is not declared`);
  }
  return problems;
}

export function requestProblems(method: string, path: string, body: unknown): string[] {
  return path === '/graphql' ? graphqlProblems(body) : restProblems(method, path, body);
}
