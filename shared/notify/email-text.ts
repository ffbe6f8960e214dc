import { type FactList, facts, lists } from './facts';
import { nextSteps, type Step } from './next-steps';
import { headline, isFollowUp, type NotifiedRecord } from './notified-record';
import { oneLine } from './text';

/** Items of one list written out; the rest are in the JSON at the end. */
const LIST_ITEMS = 25;

/**
 * The plain-text email: what happened to whom, what a person must do, the facts, the lists,
 * and the full record as JSON at the end (`withJson`; left out only when the message would
 * otherwise not fit SNS's size limit).
 */
export function emailText(record: NotifiedRecord, options: { withJson: boolean }): string {
  const what = isFollowUp(record) ? 'record' : 'report';
  const factLines = facts(record);
  const width = Math.max(...factLines.map((fact) => fact.label.length)) + 1;
  return [
    headline(record),
    '',
    'What a person must do:',
    ...nextSteps(record).flatMap(stepLines),
    '',
    'What happened:',
    `  ${oneLine(record.reason)}`,
    '',
    ...factLines.map((fact) => `${`${fact.label}:`.padEnd(width)} ${oneLine(fact.value)}`),
    ...lists(record).flatMap(listLines),
    '',
    ...(options.withJson
      ? [`The full ${what} (JSON):`, JSON.stringify(record, null, 2)]
      : [
          `The full ${what} (JSON) is too large to repeat here: machine subscribers (email-json, ` +
            `sqs, lambda) receive it, and the function's log holds it.`,
        ]),
    '',
  ].join('\n');
}

function stepLines(step: Step, index: number): string[] {
  return [
    `  ${index + 1}. ${oneLine(step.text)}`,
    ...(step.request ? [`     ${JSON.stringify(step.request)}`] : []),
  ];
}

function listLines(list: FactList): string[] {
  const shown = list.items.slice(0, LIST_ITEMS);
  const more = list.items.length - shown.length;
  return [
    '',
    `${list.title} (${list.items.length}):`,
    ...shown.flatMap((item) => [
      `  - ${oneLine(item.summary)}`,
      ...(item.detail ? [`      ${oneLine(item.detail)}`] : []),
    ]),
    ...(more > 0 ? [`  - …and ${more} more (in the full JSON)`] : []),
  ];
}
