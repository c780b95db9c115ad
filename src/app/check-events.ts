/**
 * Re-run, Re-run all, the Re-evaluate button and merge queues (issue 6: being built). Until then
 * the subscribed events are acknowledged and ignored.
 */
import type { RegisterHandlers } from './handler-context.js';

export const registerCheckEventHandlers: RegisterHandlers = (probot, handlers) => {
  probot.on(['check_run', 'check_suite', 'merge_group'], async (context) => {
    handlers.log.debug({ delivery: context.id, event: context.name }, 'event ignored');
  });
};
