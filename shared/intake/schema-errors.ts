import type { z } from 'zod';

/**
 * A readable summary of what failed validation: field paths and rules only. Values are never
 * echoed, so a secret pasted into the wrong field cannot reach a log through an error message.
 */
export function describeIssues(error: z.ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return lines.join('; ') + more;
}
