import type { FollowUpRecord } from '../follow-up/follow-up-record';
import type { Step } from './next-steps';

/** At most this many items of one list become steps; the rest are in the record. */
const LISTED = 5;

/** What a person must do after a follow-up record, from its outcome; its notes follow. */
export function followUpSteps(record: FollowUpRecord): Step[] {
  return [...outcomeSteps(record), ...record.notes.map((text) => ({ text }))];
}

function outcomeSteps(record: FollowUpRecord): Step[] {
  const key = record.accessKeyId;
  switch (record.outcome) {
    case 'clean':
      return [{ text: 'Nothing to do now: CloudTrail shows nothing the key left behind' }];
    case 'found':
      return foundSteps(record);
    case 'held':
      return [{ text: 'Nothing to do: the containment held' }];
    case 'reapplied':
      return [
        {
          text:
            `Find in CloudTrail who undid the containment of ${key} ` +
            `(${record.reapplied?.undone.join(', ') || 'see the record'}) and why: that principal may be ` +
            `compromised too. It was put back (${record.reapplied?.outcome ?? 'see the record'})`,
        },
      ];
    case 'still-in-use':
      return stillInUseSteps(record);
    case 'skipped':
      return [{ text: `Nothing to do: ${record.reason}` }];
    case 'escalated':
      return [{ text: `A person must check: ${record.reason}` }];
    case 'failed':
      return [
        {
          text:
            `The follow-up failed (${record.errorCode ?? 'no error code'}): Lambda retries it twice, then it ` +
            'lands in the failed-incidents queue. To ask for it by hand, invoke followUp with',
          request: {
            followUp: record.check === 'hold' ? 'hold-check' : 'sweep',
            incidentId: record.incidentId,
            accessKeyId: record.accessKeyId,
          },
        },
      ];
  }
}

function foundSteps(record: FollowUpRecord): Step[] {
  const steps: Step[] = record.review
    .slice(0, LISTED)
    .map((item) => ({ text: `Check ${item.eventName} on ${item.target}: ${item.review}` }));
  for (const created of record.createdKeys.slice(0, LISTED)) {
    steps.push({
      text:
        `Key ${created.accessKeyId} that the stolen key created was ${created.outcome} ` +
        `(incident ${created.incidentId}): follow its own notification`,
    });
  }
  const more =
    Math.max(0, record.review.length - LISTED) + Math.max(0, record.createdKeys.length - LISTED);
  if (more > 0) steps.push({ text: `${more} more item(s) to check: see the full record` });
  if (record.otherWrites.length > 0) {
    steps.push({
      text: `Review the ${record.otherWrites.length} other write(s) the key made (listed in the record)`,
    });
  }
  return steps;
}

function stillInUseSteps(record: FollowUpRecord): Step[] {
  const accepted = record.usedAfterContainment.filter((use) => use.errorCode === null);
  const calls = accepted
    .slice(0, 3)
    .map((use) => `${use.eventSource} ${use.eventName} at ${use.eventTime}`)
    .join('; ');
  return [
    {
      text:
        `ALARM: find how ${record.accessKeyId} is still used: AWS accepted ${accepted.length} call(s) ` +
        `made with it after the containment (${calls || 'see the record'})`,
    },
    {
      text:
        'Check in IAM that the key is Inactive and the revocation is in place, and in CloudTrail ' +
        '(event ids in the record) who made those calls and from where',
    },
  ];
}
