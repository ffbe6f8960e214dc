import { type FactList, facts, lists } from './facts';
import { nextSteps, type Step } from './next-steps';
import { headline, isFollowUp, type NotifiedRecord } from './notified-record';
import { chatSafe, clip, code, oneLine } from './text';

/**
 * Limits of Amazon Q Developer in chat applications (AWS Chatbot) custom notifications:
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export const CARD_LIMITS = { title: 250, description: 8000, nextStep: 350, keyword: 75 } as const;

/** Our own caps, well inside those limits: a card is read at a glance; the email has it all. */
const DESCRIPTION_CHARS = 3000;
const NEXT_STEPS = 8;
const KEYWORDS = 5;
const LIST_ITEMS = 5;
const FACT_CHARS = 300;
const CONTEXT_VALUE = 256;

/** A custom notification: chat renders `content` as a card (`textType: client-markdown`). */
export interface ChatCard {
  version: '1.0';
  source: 'custom';
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    /** The incident id: a containment and its follow-ups share one thread. */
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** The chat card of a report or follow-up record: what happened, to whom, what to do. */
export function chatCard(record: NotifiedRecord): ChatCard {
  const title = clip(chatSafe(oneLine(headline(record))), CARD_LIMITS.title);
  const steps = nextSteps(record);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title,
      description: description(record, steps),
      nextSteps: stepLines(steps),
      keywords: keywords(record),
    },
    metadata: {
      threadId: record.incidentId,
      summary: title,
      eventType: `credential-responder-${isFollowUp(record) ? 'follow-up-' : ''}${record.outcome}`,
      relatedResources: [record.principal?.arn, record.accessKeyId].filter(
        (resource): resource is string => Boolean(resource),
      ),
      additionalContext: context(record),
    },
  };
}

function description(record: NotifiedRecord, steps: Step[]): string {
  const body = [
    chatSafe(clip(oneLine(record.reason), 600)),
    '',
    ...facts(record).map(
      (fact) => `${fact.label}: ${(fact.code ? code : plain)(clip(fact.value, FACT_CHARS))}`,
    ),
    ...lists(record).flatMap(listLines),
  ].join('\n');
  const requests = steps
    .filter((step) => step.request)
    .map(
      (step) =>
        `${chatSafe(clip(oneLine(step.text), 200))}:\n\`\`\`\n${chatSafe(JSON.stringify(step.request))}\n\`\`\``,
    )
    .join('\n');
  if (!requests) return clip(body, DESCRIPTION_CHARS);
  return `${clip(body, DESCRIPTION_CHARS - requests.length - 2)}\n\n${requests}`;
}

function plain(text: string): string {
  return chatSafe(oneLine(text));
}

function listLines(list: FactList): string[] {
  const shown = list.items.slice(0, LIST_ITEMS);
  const more = list.items.length - shown.length;
  return [
    '',
    `${list.title} (${list.items.length}):`,
    ...shown.map((item) => `• ${chatSafe(clip(oneLine(item.summary), 200))}`),
    ...(more > 0 ? [`• …and ${more} more (in the email and the JSON report)`] : []),
  ];
}

function stepLines(steps: Step[]): string[] {
  const line = (step: Step) =>
    clip(
      chatSafe(oneLine(step.request ? `${step.text} (request below)` : step.text)),
      CARD_LIMITS.nextStep,
    );
  if (steps.length <= NEXT_STEPS) return steps.map(line);
  const more = steps.length - (NEXT_STEPS - 1);
  return [
    ...steps.slice(0, NEXT_STEPS - 1).map(line),
    `…and ${more} more in the email and the JSON report`,
  ];
}

function keywords(record: NotifiedRecord): string[] {
  const words = isFollowUp(record)
    ? [record.outcome, `follow-up ${record.check}`, record.dryRun ? 'dry run' : '']
    : [
        record.outcome,
        record.source,
        record.finding?.severityLabel ?? '',
        record.dryRun ? 'dry run' : '',
      ];
  return words
    .filter((word) => word !== '')
    .slice(0, KEYWORDS)
    .map((word) => clip(chatSafe(oneLine(word)), CARD_LIMITS.keyword));
}

function context(record: NotifiedRecord): Record<string, string> {
  const entries: [string, string | null | undefined][] = [
    ['incidentId', record.incidentId],
    ['outcome', record.outcome],
    ['accessKeyId', record.accessKeyId],
    ['accountId', record.accountId],
  ];
  if (isFollowUp(record)) entries.push(['check', record.check]);
  else entries.push(['findingType', record.finding?.type], ['region', record.finding?.region]);
  return Object.fromEntries(
    entries
      .filter((entry): entry is [string, string] => Boolean(entry[1]))
      .map(([name, value]) => [name, clip(value, CONTEXT_VALUE)]),
  );
}
