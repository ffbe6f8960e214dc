/** Text helpers shared by the chat card, the email and the SMS line. */

/** At most `max` characters (UTF-16 units, never a split surrogate pair), a cut marked with `…`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** One line: runs of white space (line breaks included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Safe inside chat markdown: a backtick would end a code span, and `<…>` is how Slack writes
 * links and mentions (`<!channel>`), so neither is passed through from a record's text.
 */
export function chatSafe(text: string): string {
  return text.replace(/`/g, "'").replace(/</g, '‹').replace(/>/g, '›');
}

/** A code span in chat markdown. */
export function code(text: string): string {
  return `\`${chatSafe(oneLine(text))}\``;
}

/** Printable ASCII only (what SMS and SNS subjects take without surprises). */
export function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
