/**
 * FINDING_TYPES: which finding types the responder contains without a person asking. A list of
 * patterns over type names, `*` matching any run of characters (`/` and `:` included); a pattern
 * starting with `!` excludes. An exclusion always wins over an inclusion, whatever the order; a
 * type no pattern includes is not contained automatically. Names are matched as GuardDuty writes
 * them (`Recon:IAMUser/MaliciousIPCaller`); Security Hub's `Types`
 * (`TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller`) are matched as given and in that form too.
 */
export interface FindingTypeRule {
  /** The pattern as written, `!` included: what the report names. */
  text: string;
  exclude: boolean;
  regex: RegExp;
}

/**
 * Every GuardDuty finding about an IAM user's or role's credentials, the attack sequences about
 * compromised credentials and S3 data, and every AWS Health credential-risk event. Findings about other
 * resources that merely name a key (S3 Protection's `…:S3/…`, for example) are left to a person
 * unless the setting includes them.
 */
export const DEFAULT_FINDING_TYPES =
  '*:IAMUser/*,AttackSequence:IAM/*,AttackSequence:S3/*,AWS_RISK_*';

const PATTERN = /^!?[A-Za-z0-9*][A-Za-z0-9:/._*-]{0,127}$/;

/** The rules of a FINDING_TYPES value, or the reason it is not one. */
export function parseFindingTypes(value: string): { rules: FindingTypeRule[] } | { error: string } {
  const entries = value.split(',').map((s) => s.trim());
  if (entries.length > 50) return { error: 'at most 50 patterns' };
  const rules: FindingTypeRule[] = [];
  for (const text of entries) {
    if (!PATTERN.test(text)) {
      return {
        error: `"${text.slice(0, 40)}" is not a pattern (letters, digits, : / . _ - and *, optionally after !)`,
      };
    }
    const exclude = text.startsWith('!');
    const body = exclude ? text.slice(1) : text;
    const escaped = body.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '.*' : `\\${c}`));
    rules.push({ text, exclude, regex: new RegExp(`^${escaped}$`) });
  }
  if (!rules.some((r) => !r.exclude)) return { error: 'no pattern includes anything' };
  return { rules };
}

export type FindingTypeDecision =
  | { allowed: true; rule: string; type: string }
  | { allowed: false; rule: string | null; type: string };

/** Whether the rules let a finding with these type names be contained, and which rule decided. */
export function decideFindingType(
  rules: readonly FindingTypeRule[],
  names: readonly string[],
): FindingTypeDecision {
  const candidates = names.flatMap((n) => [n, ...securityHubTypeAsGuardDuty(n)]);
  const first = names[0] ?? 'unknown';
  for (const rule of rules.filter((r) => r.exclude)) {
    const type = candidates.find((c) => rule.regex.test(c));
    if (type) return { allowed: false, rule: rule.text, type };
  }
  for (const rule of rules.filter((r) => !r.exclude)) {
    const type = candidates.find((c) => rule.regex.test(c));
    if (type) return { allowed: true, rule: rule.text, type };
  }
  return { allowed: false, rule: null, type: first };
}

/**
 * Security Hub writes GuardDuty's `Recon:IAMUser/MaliciousIPCaller` as
 * `TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller`, and some as `TTPs/Discovery/IAMUser-AnomalousBehavior`
 * (the purpose only in the category): both back in GuardDuty's form.
 */
function securityHubTypeAsGuardDuty(name: string): string[] {
  const parts = name.split('/');
  if (parts.length < 2) return [];
  const last = parts[parts.length - 1] ?? '';
  const withPurpose = /^([A-Za-z]+):([A-Za-z0-9]+)-(.+)$/.exec(last);
  if (withPurpose) return [`${withPurpose[1]}:${withPurpose[2]}/${withPurpose[3]}`];
  const bare = /^([A-Za-z0-9]+)-(.+)$/.exec(last);
  const category = (parts[parts.length - 2] ?? '').replace(/\s+/g, '');
  if (bare && /^[A-Za-z]+$/.test(category)) return [`${category}:${bare[1]}/${bare[2]}`];
  return [];
}
