/**
 * The Terraform adapter: one module folder's files → one `Scope` of the shared model. Reading is
 * total: a syntax error is a `parse-error` diagnostic at its line and the rest of the module is
 * still read; nothing here throws on bad input.
 */
import { lineRange } from '../../core/range.js';
import type { SymbolicRef, Value } from '../../core/value.js';
import { concat, literalString } from '../../core/value.js';
import type { FileSource } from '../../source/file-source.js';
import type { Scope } from '../model.js';
import { dedupeDiagnostics } from '../policy-ref.js';
import { readTerraformModule } from './module.js';
import { policyDocumentResolver, read } from './policy-document.js';
import { extractLookups, extractResources } from './resources.js';
import type { DataSourceResolver } from './types.js';

/** `.tf`, `.tf.json`, `terraform.tfvars`, `*.auto.tfvars`: the files Terraform reads in a folder. */
export function isTerraformFile(path: string): boolean {
  const base = path.split('/').pop() ?? path;
  return (
    base.endsWith('.tf') ||
    base.endsWith('.tf.json') ||
    base === 'terraform.tfvars' ||
    base.endsWith('.auto.tfvars')
  );
}

export async function loadTerraformModule(
  dir: string,
  files: readonly { path: string; text: string }[],
  source: FileSource,
): Promise<Scope> {
  const resolvers: Record<string, DataSourceResolver> = {
    aws_iam_policy_document: policyDocumentResolver(),
    aws_vpc_endpoint_service: endpointServiceName,
  };
  try {
    const module = await readTerraformModule(dir, files, source, resolvers);
    const { resources, diagnostics } = await extractResources(
      module.blocks,
      undefined,
      module.providerRegions,
    );
    const lookups = extractLookups(module.blocks);
    const policySources = module.blocks
      .filter((b) => b.type === 'data' && b.labels[0] === 'aws_iam_policy_document')
      .map((b) => ({ address: b.address, range: b.range }));
    return {
      id: dir,
      format: 'terraform',
      files: module.files,
      resources,
      diagnostics: dedupeDiagnostics([...module.diagnostics, ...diagnostics]),
      ...(module.providerRegion !== undefined ? { region: module.providerRegion } : {}),
      ...(module.providerRegions?.defaultSource !== undefined
        ? { regionSource: module.providerRegions.defaultSource }
        : {}),
      ...(lookups.length > 0 ? { lookups } : {}),
      ...(policySources.length > 0 ? { policySources } : {}),
    };
  } catch (error) {
    // A bug in the reader must cost this module, not the whole scan; say so where it happened.
    const [first] = files;
    const message = error instanceof Error ? error.message : String(error);
    return {
      id: dir,
      format: 'terraform',
      files: files.map((f) => f.path),
      resources: [],
      diagnostics: [
        {
          kind: 'parse-error',
          message: `Terraform module not read: ${message}`,
          range: lineRange(first?.path ?? dir, 1),
        },
      ],
    };
  }
}

const REGION: SymbolicRef = {
  id: 'pseudo:AWS::Region',
  target: { kind: 'pseudo', name: 'AWS::Region' },
  display: 'region',
};

/**
 * `data "aws_vpc_endpoint_service"`'s `service_name`: the name given, or for `service = "s3"`
 * the Region's `com.amazonaws.<region>.s3` (the Region stays symbolic: only the last label
 * decides which service it is).
 */
const endpointServiceName: DataSourceResolver = (block, attribute) => {
  if (attribute !== 'service_name') return undefined;
  const given = block.attributes.get('service_name');
  if (given) return read(given);
  const service = block.attributes.get('service');
  const value: Value | undefined = service ? read(service) : undefined;
  const name = literalString(value);
  if (!value || name === undefined || name === '') return undefined;
  return concat(
    [
      { kind: 'text', text: 'com.amazonaws.' },
      { kind: 'ref', ref: REGION },
      { kind: 'text', text: `.${name}` },
    ],
    value.range,
  );
};
