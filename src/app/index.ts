/**
 * The GitHub App's entry point for Probot: `probot run ./dist/app/index.js` (`npm start`) loads
 * the default export. The app's code is in `app.ts`; this module wires it to the real GitHub
 * layer and the tool's rule docs.
 *
 * `idle()` resolves when every background evaluation started so far has finished (the demo and
 * end-to-end tests wait on it before reading what was published).
 */
import { toolInfo } from '../cli/tool-info.js';
import { publish, startCheckRun } from '../github/publish/index.js';
import { runPullRequest } from '../github/run.js';
import { serverUrlOfEnv } from '../github/server-url.js';
import { createApp, DEFAULT_CONCURRENCY } from './app.js';
import type { GuardApp } from './app.js';

export { createApp, DEFAULT_CONCURRENCY } from './app.js';
export type { AppDependencies, GuardApp } from './app.js';

/** The app with the real GitHub layer; options for tests and the demo. */
export function createGuardApp(
  options: { readonly concurrency?: number; readonly botLogin?: string } = {},
): GuardApp {
  return createApp({
    runPullRequest,
    startCheckRun,
    publish,
    docsBaseUri: toolInfo().docsBaseUri,
    serverUrl: serverUrlOfEnv(process.env),
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    ...(options.botLogin === undefined ? {} : { botLogin: options.botLogin }),
  });
}

const guard = createGuardApp();

/** Waits for the default app's background evaluations. */
export const idle = (): Promise<void> => guard.idle();

export default guard.app;
