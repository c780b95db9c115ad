/**
 * The small interface the engine reads files through, so the same engine serves the CLI
 * (local disk) and the app (a pull request's contents). Every path is relative to the source's
 * root with forward slashes; an implementation must refuse paths that leave the root.
 */
export interface FileSource {
  /** The text of a file, or undefined if it does not exist (or is not a regular file). */
  readFile(path: string): Promise<string | undefined>;
}
