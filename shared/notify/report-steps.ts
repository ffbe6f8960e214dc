import type { Report } from '../report/report';
import type { Step } from './next-steps';

/** Actions only a release writes: a report with one of them is about undoing a containment. */
const RELEASE_ACTIONS = new Set([
  'reactivate-access-key',
  'restore-user-session-revocation',
  'restore-role-session-revocation',
  'clear-deactivation-record',
]);

/** What a person must do after an incident report, from its outcome; its notes follow. */
export function reportSteps(report: Report): Step[] {
  const alert = report.reason.indexOf('ALERT:');
  return [
    ...(alert >= 0 ? [{ text: report.reason.slice(alert) }] : []),
    ...outcomeSteps(report),
    ...report.notes.map((text) => ({ text })),
  ];
}

function outcomeSteps(report: Report): Step[] {
  const key = report.accessKeyId;
  const contain = key ? containRequest(key, report.principal?.type === 'Root') : undefined;
  switch (report.outcome) {
    case 'contained':
      return containedSteps(report);
    case 'planned':
      return [
        {
          text: 'Dry run: nothing was changed. To act, send the request again without "dryRun" (and with DRY_RUN off)',
          ...(contain && !isRelease(report) ? { request: contain } : {}),
        },
      ];
    case 'released':
      return [
        {
          text: `The containment was undone: ${report.reason}. Nothing more to do unless the release was a mistake; to contain the key again, send`,
          ...(contain ? { request: contain } : {}),
        },
      ];
    case 'skipped':
      return [
        contain
          ? {
              text: `Nothing was changed (${report.reason}). If the key must be contained anyway, send`,
              request: contain,
            }
          : { text: `Nothing was changed: ${report.reason}` },
      ];
    case 'escalated':
      return [{ text: `A person must act: ${report.reason}` }];
    case 'failed':
      return [failedStep(report, contain)];
  }
}

function containedSteps(report: Report): Step[] {
  const key = report.accessKeyId ?? 'the key';
  const principal = report.principal;
  const steps: Step[] = [];
  if (principal?.type === 'Root') {
    // Deleted through centralized root access: there is no release; the notes say what follows.
    return [
      {
        text: `${key} of the root user of ${report.accountId ?? 'the account'} is deleted: this cannot be undone or released`,
      },
      ...report.actions
        .filter((a) => a.status === 'failed')
        .map((a) => ({ text: `Check the failed action ${a.name} on ${a.target}: ${a.detail}` })),
    ];
  }
  if (key.startsWith('AKIA') && principal?.type === 'IAMUser' && principal.name) {
    steps.push({
      text: `Rotate the key: give the workloads of ${principal.name} a new access key, then delete ${key} (it is deactivated, not deleted)`,
    });
  } else {
    steps.push({ text: `Find how ${key} leaked and close that path` });
  }
  for (const action of report.actions.filter((a) => a.status === 'failed')) {
    steps.push({
      text: `Check the failed action ${action.name} on ${action.target}: ${action.detail}`,
    });
  }
  steps.push({
    text: `Review in CloudTrail what ${key} did before it was contained (the follow-up sweep reports what it created)`,
  });
  const release = releaseRequest(report);
  steps.push(
    release
      ? { text: 'If this was a false positive, undo it with the runbook request', request: release }
      : {
          text: 'If this was a false positive, see "Undo after a false positive" in the README',
        },
  );
  return steps;
}

function failedStep(report: Report, contain: ContainRequest | undefined): Step {
  if (report.errorCode === null) {
    return { text: `Nothing was changed: ${report.reason}. Fix the request and send it again` };
  }
  if (isRelease(report)) {
    return {
      text: `Check AWS error ${report.errorCode} (permissions, limits, throttling), then send the release request again`,
    };
  }
  return {
    text:
      `Check AWS error ${report.errorCode} (permissions, limits, throttling), then retry: Lambda retries ` +
      'a finding twice before it lands in the failed-incidents queue; to retry by hand, send',
    ...(contain ? { request: contain } : {}),
  };
}

type ContainRequest = { runbook: 'contain'; accessKeyId: string; reason: string; rootKey?: true };

/** The runbook request that contains the key again (a root key's says so: `"rootKey": true`). */
function containRequest(accessKeyId: string, rootKey: boolean): ContainRequest {
  return {
    runbook: 'contain',
    accessKeyId,
    reason: '…',
    ...(rootKey ? { rootKey: true as const } : {}),
  };
}

/** The runbook request that undoes this containment, when one can name it (README: Undo). */
function releaseRequest(report: Report): Record<string, string> | undefined {
  const base = { runbook: 'release', incidentId: report.incidentId };
  const reason = 'false positive: …';
  if (report.accessKeyId?.startsWith('AKIA')) {
    return { ...base, accessKeyId: report.accessKeyId, reason };
  }
  if (report.principal?.type === 'AssumedRole' && report.principal.name) {
    return {
      ...base,
      roleName: report.principal.name,
      ...(report.accountId ? { accountId: report.accountId } : {}),
      reason,
    };
  }
  return undefined;
}

/** A release's report (release.ts): its actions, or its reason when it wrote nothing. */
function isRelease(report: Report): boolean {
  return (
    report.actions.some((action) => RELEASE_ACTIONS.has(action.name)) ||
    /^release of |^dry run: would release /.test(report.reason)
  );
}
