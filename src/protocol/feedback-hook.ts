import type { Card } from '../cards/types.js';
import type { FeedbackRuntime } from '../feedback/runtime.js';
import type { IssueInput } from '../feedback/service.js';
import { logger } from '../log.js';

/** The hook route's view of feedback: the cards to send, after suppression, recorded so that feedback finds
 *  them. Never throws and never waits long: without the database the cards go out unfiltered (logged). */
export interface HookFeedback {
  issue(input: IssueInput): Promise<Card[]>;
}

/** How long a hook call waits for the suppression look-up and the issued-card insert (~1 ms when healthy). */
export const ISSUE_TIMEOUT_MS = 750;

export function hookFeedback(runtime: Pick<FeedbackRuntime, 'service' | 'state'>, timeoutMs = ISSUE_TIMEOUT_MS): HookFeedback {
  return {
    async issue(input) {
      const service = runtime.service;
      if (!service || runtime.state !== 'ready') {
        logger.warn('cards sent without suppression: database not ready', { component: 'feedback', phase: runtime.state });
        return input.cards;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const result = await Promise.race([service.issue(input), timeout]);
        if (result === 'timeout') {
          logger.error('cards sent without suppression: database too slow', { component: 'feedback', errorCode: 'timeout' });
          return input.cards;
        }
        return result.cards;
      } catch (err) {
        logger.error('cards sent without suppression: database fault', {
          component: 'feedback',
          errorClass: err instanceof Error ? err.name : typeof err,
        });
        return input.cards;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
