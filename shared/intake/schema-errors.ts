import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini ships without messages; every intake schema reports through here, so the English
// ones are installed once, here (a named import keeps the other locales out of the bundle).
z.config(en());

/**
 * A readable summary of what failed validation: the path of each bad field and the rule it broke.
 * Built from the issue's code, never from zod's own message, which can quote the input (an
 * unknown field's *name* is input too: a secret pasted as a key would reach logs and SNS).
 * Only messages the project's schemas wrote themselves (refinements, formats) are used as they are.
 */
export function describeIssues(error: z.core.$ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => `${pathOf(issue.path)}: ${rule(issue)}`);
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return lines.join('; ') + more;
}

function rule(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${issue.keys.length} unknown field(s), not accepted (names not shown)`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_big':
      return `too long or too large (at most ${String(issue.maximum)})`;
    case 'too_small':
      return `too short or too small (at least ${String(issue.minimum)})`;
    case 'invalid_union': {
      // A discriminated union names the values its discriminator takes (the schema's, not input).
      const options = (issue as { options?: unknown[] }).options;
      return options
        ? `must be ${options.map((v) => JSON.stringify(v)).join(' or ')}`
        : 'matches none of the accepted forms';
    }
    case 'invalid_format':
    case 'custom':
      // The project's own messages (each schema's regex and refinement says what it expects).
      return issue.message;
    default:
      return 'invalid';
  }
}

/** Field names come from the schemas; anything else in a path is not shown. */
function pathOf(path: PropertyKey[]): string {
  if (path.length === 0) return '(event)';
  return path
    .map((part) =>
      typeof part === 'number' || (typeof part === 'string' && /^[A-Za-z][\w-]{0,63}$/.test(part))
        ? String(part)
        : '?',
    )
    .join('.');
}
