/**
 * The CloudFormation adapter: a template's text → one `Scope` of the shared model. Reading is
 * total: a broken template becomes a scope with a `parse-error` diagnostic, never an exception.
 */
import type { FileSource } from '../../source/file-source.js';
import type { Lookup, Scope, ScopeDiagnostic } from '../model.js';
import { expandIncludes } from './include.js';
import { parseTemplateText, type RawNode } from './parse.js';
import { rangeKey } from './policies.js';
import { entriesOf, rawGet, Resolver, scalarText, templateContext } from './resolve.js';
import { extractResources, regionFromZones } from './resources.js';

/**
 * Cheap content test for "is this a CloudFormation template?", fit for thousands of files: a
 * top-level `AWSTemplateFormatVersion`, or `Resources` with `Type: AWS::…`/`Custom::…` entries
 * (fragments such as Rain modules or Serverless Framework `resources` have no version line).
 */
export function looksLikeCloudFormation(text: string): boolean {
  if (/^\s*\{?\s*["']?AWSTemplateFormatVersion["']?\s*:/m.test(text)) return true;
  // Minified JSON puts every key on one line: there, `Resources` need not start a line.
  const resources = text.trimStart().startsWith('{')
    ? /"Resources"\s*:/
    : /^\s*["']?Resources["']?\s*:/m;
  if (!resources.test(text)) return false;
  return /["']?Type["']?\s*:\s*["']?(?:AWS|Custom|Alexa)::[A-Za-z0-9]/.test(text);
}

export async function loadCloudFormation(
  file: string,
  text: string,
  source: FileSource,
): Promise<Scope> {
  const parsed = parseTemplateText(file, text);
  if (!parsed.ok) {
    return {
      id: file,
      format: 'cloudformation',
      files: [file],
      resources: [],
      diagnostics: [{ kind: 'parse-error', message: parsed.message, range: parsed.range }],
    };
  }
  const included = await expandIncludes(parsed.root, file, source);
  const resolver = new Resolver(templateContext(included.root));
  const { resources, diagnostics } = extractResources(included.root, resolver);
  // Templates embedded in a StackSet deploy elsewhere: they do not pin this template's Region.
  const region = regionFromZones(resources.filter((r) => !r.address.includes('/')));
  const lookups = ssmParameterLookups(included.root);
  return {
    id: file,
    format: 'cloudformation',
    files: [file, ...included.files],
    resources,
    diagnostics: dedupe([...included.diagnostics, ...diagnostics]),
    ...(region !== undefined ? { region, regionSource: 'literal' as const } : {}),
    ...(lookups.length > 0 ? { lookups } : {}),
  };
}

/** Parameters whose value CloudFormation reads from SSM: the default names the parameter. */
function ssmParameterLookups(root: RawNode | undefined): Lookup[] {
  const out: Lookup[] = [];
  for (const param of entriesOf(rawGet(root, 'Parameters'))) {
    const type = scalarText(rawGet(param.value, 'Type'));
    if (type?.startsWith('AWS::SSM::Parameter::Value<') !== true) continue;
    const name = scalarText(rawGet(param.value, 'Default'));
    out.push({
      address: param.key,
      kind: 'ssm-parameter',
      names: name !== undefined ? [name] : [],
      range: param.value.range,
    });
  }
  return out;
}

function dedupe(diagnostics: readonly ScopeDiagnostic[]): ScopeDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.kind}|${rangeKey(d.range)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
