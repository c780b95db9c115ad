/**
 * GraphQL as GitHub answers it, for the few fields the app uses. Every document is first
 * validated against GitHub's real schema (`@octokit/graphql-schema`), so a query GitHub would
 * reject is a violation even when the fake could answer it; it is then executed against a small
 * schema whose names and types are copied from the real one (a test keeps them in step).
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  graphql,
  isInterfaceType,
  isObjectType,
  isInputObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

let real: GraphQLSchema | undefined;

/** GitHub's schema (about half a second to build, so once per process and only when needed). */
export function realSchema(): GraphQLSchema {
  if (!real) {
    // The package exports only its JS entry, so the SDL is read from its folder.
    const file = new URL(
      '../../node_modules/@octokit/graphql-schema/schema.graphql',
      import.meta.url,
    );
    const sdl = readFileSync(file, 'utf8');
    // GitHub's published SDL defines two fields twice; the schema is still GitHub's.
    real = buildSchema(sdl, { assumeValidSDL: true });
  }
  return real;
}

/** The subset the fake executes. Names, arguments and types as in GitHub's schema. */
export const SUBSET_SDL = /* GraphQL */ `
  scalar GitObjectID
  scalar URI
  scalar DateTime

  interface Node {
    id: ID!
  }
  interface Actor {
    login: String!
    url: URI!
  }
  type User implements Actor & Node {
    id: ID!
    databaseId: Int
    login: String!
    url: URI!
  }
  type Bot implements Actor & Node {
    id: ID!
    databaseId: Int
    login: String!
    url: URI!
  }
  interface GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
  }
  type Blob implements GitObject & Node {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    text: String
  }
  type Tree implements GitObject & Node {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
  }
  type Commit implements GitObject & Node {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    tree: Tree!
  }
  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
  }
  type Repository implements Node {
    id: ID!
    name: String!
    nameWithOwner: String!
    object(expression: String, oid: GitObjectID): GitObject
    pullRequest(number: Int!): PullRequest
  }
  type PullRequest implements Node {
    id: ID!
    number: Int!
    reviewThreads(
      after: String
      before: String
      first: Int
      last: Int
    ): PullRequestReviewThreadConnection!
  }
  type PullRequestReviewThreadConnection {
    nodes: [PullRequestReviewThread]
    pageInfo: PageInfo!
    totalCount: Int!
  }
  enum DiffSide {
    LEFT
    RIGHT
  }
  type PullRequestReviewThread implements Node {
    id: ID!
    isResolved: Boolean!
    isOutdated: Boolean!
    path: String!
    line: Int
    originalLine: Int
    startLine: Int
    diffSide: DiffSide!
    resolvedBy: User
    viewerCanResolve: Boolean!
    comments(
      after: String
      before: String
      first: Int
      last: Int
      skip: Int
    ): PullRequestReviewCommentConnection!
  }
  type PullRequestReviewCommentConnection {
    nodes: [PullRequestReviewComment]
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type PullRequestReviewComment implements Node {
    id: ID!
    databaseId: Int
    body: String!
    author: Actor
    path: String!
    outdated: Boolean!
    createdAt: DateTime!
  }
  type RateLimit {
    cost: Int!
    limit: Int!
    nodeCount: Int!
    remaining: Int!
    resetAt: DateTime!
    used: Int!
  }
  type Query {
    repository(followRenames: Boolean, name: String!, owner: String!): Repository
    viewer: User!
    rateLimit(dryRun: Boolean): RateLimit
  }
  input ResolveReviewThreadInput {
    clientMutationId: String
    threadId: ID!
  }
  type ResolveReviewThreadPayload {
    clientMutationId: String
    thread: PullRequestReviewThread
  }
  type Mutation {
    resolveReviewThread(input: ResolveReviewThreadInput!): ResolveReviewThreadPayload
  }
`;

let subset: GraphQLSchema | undefined;

export function subsetSchema(): GraphQLSchema {
  subset ??= buildSchema(SUBSET_SDL);
  return subset;
}

/** Where the subset differs from GitHub's schema (expected: nowhere). */
export function subsetMismatches(): string[] {
  const problems: string[] = [];
  const github = realSchema();
  for (const type of Object.values(subsetSchema().getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const theirs = github.getType(type.name);
    if (!theirs) {
      problems.push(`${type.name} is not a GitHub type`);
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      if (!(isObjectType(theirs) || isInterfaceType(theirs) || isInputObjectType(theirs))) {
        problems.push(`${type.name} has another kind in GitHub's schema`);
        continue;
      }
      const theirFields = theirs.getFields();
      for (const field of Object.values(type.getFields())) {
        const other = theirFields[field.name];
        if (!other) {
          problems.push(`${type.name}.${field.name} is not in GitHub's schema`);
          continue;
        }
        if (String(field.type) !== String(other.type))
          problems.push(`${type.name}.${field.name}: ${field.type} ≠ GitHub's ${other.type}`);
        if ('args' in field && 'args' in other) {
          for (const arg of field.args) {
            const theirArg = other.args.find((candidate) => candidate.name === arg.name);
            if (!theirArg || String(theirArg.type) !== String(arg.type))
              problems.push(`${type.name}.${field.name}(${arg.name}) differs from GitHub's`);
          }
        }
      }
      if (isObjectType(type) && isObjectType(theirs)) {
        const theirInterfaces = new Set(theirs.getInterfaces().map((i) => i.name));
        for (const implemented of type.getInterfaces())
          if (!theirInterfaces.has(implemented.name))
            problems.push(`${type.name} does not implement ${implemented.name} on GitHub`);
      }
    }
  }
  return problems;
}

export interface GraphQLOutcome {
  readonly status: number;
  readonly body: unknown;
  /** Requests GitHub would reject, or that the fake cannot answer. */
  readonly violations: string[];
  readonly operationType?: 'query' | 'mutation';
  /** Top-level fields selected (`repository`, `resolveReviewThread`), for call records. */
  readonly fields: string[];
}

function formatError(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError as (Error & { type?: string }) | undefined;
  return {
    ...(original?.type ? { type: original.type } : {}),
    message: error.message,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
  };
}

/** An error GitHub reports with a `type` (NOT_FOUND, FORBIDDEN…) in the `errors` array. */
export class GitHubGraphQLError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function executeGraphQL(
  request: { query?: unknown; variables?: unknown; operationName?: unknown },
  rootValue: Record<string, unknown>,
  /** Check the document against GitHub's schema first (half a second once, then cheap). */
  againstGitHub = true,
): Promise<GraphQLOutcome> {
  if (typeof request.query !== 'string') {
    return {
      status: 400,
      body: { message: 'Body should be a JSON object containing a query' },
      violations: ['graphql: no query string'],
      fields: [],
    };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 200,
      body: { errors: [{ message }] },
      violations: [`graphql: ${message}`],
      fields: [],
    };
  }
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operationType =
    operation?.operation === 'mutation' || operation?.operation === 'query'
      ? operation.operation
      : undefined;
  const fields = (operation?.selectionSet.selections ?? []).flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  const base = { ...(operationType ? { operationType } : {}), fields };
  const githubErrors = againstGitHub ? validate(realSchema(), document) : [];
  if (githubErrors.length > 0) {
    return {
      ...base,
      status: 200,
      body: { errors: githubErrors.map(formatError) },
      violations: githubErrors.map((error) => `graphql (GitHub's schema): ${error.message}`),
    };
  }
  const fakeErrors = validate(subsetSchema(), document);
  if (fakeErrors.length > 0) {
    return {
      ...base,
      status: 200,
      body: { errors: fakeErrors.map(formatError) },
      violations: fakeErrors.map(
        (error) => `graphql (not implemented by the fake): ${error.message}`,
      ),
    };
  }
  const result = await graphql({
    schema: subsetSchema(),
    source: request.query,
    rootValue,
    variableValues:
      request.variables && typeof request.variables === 'object'
        ? (request.variables as Record<string, unknown>)
        : undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  const violations = (result.errors ?? [])
    .filter((error) => !(error.originalError instanceof GitHubGraphQLError))
    .map((error) => `graphql: ${error.message}`);
  return {
    ...base,
    status: 200,
    body: {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors ? { errors: result.errors.map(formatError) } : {}),
    },
    violations,
  };
}
