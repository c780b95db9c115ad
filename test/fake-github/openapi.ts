/**
 * Request validation against GitHub's own OpenAPI description (the operations extracted by
 * `scripts/extract-openapi.ts`): the operation a request matches, its path and query
 * parameters, and its JSON body. A request GitHub would reject, or one the app has no business
 * sending, becomes a violation the tests assert on.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Record<string, unknown>;
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly pathParameters: readonly Parameter[];
  readonly queryParameters: readonly Parameter[];
  readonly requestBody?: { readonly required: boolean; readonly schema: Record<string, unknown> };
}

export interface MatchedOperation {
  readonly operation: Operation;
  readonly params: Record<string, string>;
}

interface CompiledOperation {
  readonly operation: Operation;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly validatePath: ValidateFunction;
  readonly validateQuery: ValidateFunction;
  readonly validateBody?: ValidateFunction;
}

let compiled: CompiledOperation[] | undefined;

function ajv(coerceTypes: boolean): Ajv {
  const instance = new Ajv({ allErrors: true, strict: false, coerceTypes });
  instance.addFormat(
    'date-time',
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  );
  instance.addFormat('int64', true);
  return instance;
}

/**
 * GitHub ignores body properties it does not know, which hides typos (`startLine` for
 * `start_line`) until the feature silently does not work: the fake treats every object the
 * description declares without `additionalProperties` as closed.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [name, closeObjects(property)]),
      );
    } else if (key === 'enum' || key === 'required' || key === 'default') out[key] = value;
    else out[key] = closeObjects(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function load(): CompiledOperation[] {
  if (compiled) return compiled;
  const file = new URL('./openapi-operations.json', import.meta.url);
  const { operations } = JSON.parse(readFileSync(file, 'utf8')) as { operations: Operation[] };
  const strictAjv = ajv(false);
  const queryAjv = ajv(true);
  compiled = operations.map((operation) => {
    const names: string[] = [];
    const source = operation.path
      .split('/')
      .map((segment) => {
        const name = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(name);
        // The contents API's {path} spans several segments.
        return name === 'path' ? '(.+)' : '([^/]+)';
      })
      .join('/');
    const objectOf = (parameters: readonly Parameter[], closed: boolean): object => ({
      type: 'object',
      properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
      required: parameters.filter((p) => p.required).map((p) => p.name),
      additionalProperties: !closed,
    });
    return {
      operation,
      pattern: new RegExp(`^${source}$`),
      names,
      validatePath: queryAjv.compile(objectOf(operation.pathParameters, false)),
      validateQuery: queryAjv.compile(objectOf(operation.queryParameters, true)),
      ...(operation.requestBody
        ? {
            validateBody: strictAjv.compile(
              closeObjects(operation.requestBody.schema) as Record<string, unknown>,
            ),
          }
        : {}),
    };
  });
  return compiled;
}

export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  for (const entry of load()) {
    if (entry.operation.method !== method) continue;
    const match = entry.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    entry.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string);
    });
    return { operation: entry.operation, params };
  }
  return undefined;
}

function describe(errors: ValidateFunction['errors'], where: string): string[] {
  return (errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}`;
  });
}

/** Problems with a request to a matched operation; empty when GitHub would accept its shape. */
export function validateRequest(
  matched: MatchedOperation,
  query: Record<string, string>,
  body: unknown,
): string[] {
  const entry = load().find((candidate) => candidate.operation === matched.operation);
  if (!entry) return [`no compiled operation for ${matched.operation.operationId}`];
  const problems: string[] = [];
  const path = { ...matched.params };
  if (!entry.validatePath(path)) problems.push(...describe(entry.validatePath.errors, 'path'));
  const queryCopy: Record<string, unknown> = { ...query };
  if (!entry.validateQuery(queryCopy))
    problems.push(...describe(entry.validateQuery.errors, 'query'));
  const perPage = Number(query.per_page);
  if (query.per_page !== undefined && (perPage < 1 || perPage > 100))
    problems.push('query/per_page must be between 1 and 100');
  if (entry.validateBody) {
    if (body === undefined) {
      if (matched.operation.requestBody?.required) problems.push('body is required');
    } else if (!entry.validateBody(body)) {
      problems.push(...describe(entry.validateBody.errors, 'body'));
    }
  } else if (body !== undefined && matched.operation.method !== 'GET') {
    problems.push('this operation takes no body');
  }
  return problems;
}
