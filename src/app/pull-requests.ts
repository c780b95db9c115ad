/**
 * `pull_request` webhooks: a new head (opened, pushed, reopened, ready for review) or a new base
 * branch is evaluated.
 */
import type { RegisterHandlers } from './handler-context.js';
import { decodePullRequestEvent, PULL_REQUEST_EVENTS } from './decode.js';
import type { PullRequestPayload } from './decode.js';

export const registerPullRequestHandlers: RegisterHandlers = (probot, handlers) => {
  probot.on(PULL_REQUEST_EVENTS, async (context) => {
    const decoded = decodePullRequestEvent(context.payload as PullRequestPayload);
    if (!decoded.evaluate) {
      handlers.log.debug(
        { delivery: context.id, reason: decoded.reason },
        'pull_request event ignored',
      );
      return;
    }
    await handlers.evaluations.request({
      client: handlers.clientOf(context),
      target: decoded.target,
      reason: `pull_request.${context.payload.action}`,
      delivery: context.id,
    });
  });
};
