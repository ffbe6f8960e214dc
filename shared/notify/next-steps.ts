import { followUpSteps } from './follow-up-steps';
import { isFollowUp, type NotifiedRecord } from './notified-record';
import { reportSteps } from './report-steps';

/**
 * One thing a person must do, in plain text, and the request to send for it when there is one
 * (a runbook request, a follow-up request): shown as JSON to copy.
 */
export interface Step {
  text: string;
  request?: Record<string, string | boolean>;
}

/** What a person must do, most important first: from the outcome, then the record's notes. */
export function nextSteps(record: NotifiedRecord): Step[] {
  return isFollowUp(record) ? followUpSteps(record) : reportSteps(record);
}
