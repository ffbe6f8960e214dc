import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini ships without messages; every intake schema reports through here, so the English
// ones are installed once, here (a named import keeps the other locales out of the bundle).
z.config(en());

/**
 * A readable summary of what failed validation: field paths and rules only. Values are never
 * echoed, so a secret pasted into the wrong field cannot reach a log through an error message.
 */
export function describeIssues(error: z.core.$ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return lines.join('; ') + more;
}
