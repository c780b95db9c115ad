/** The configuration shared by the CLI and the GitHub App; see docs/configuration.md. */
export * from './schema.js';
export * from './parse.js';
export * from './apply.js';
export { compileGlob } from './glob.js';
export type { Glob, GlobResult } from './glob.js';
