import { invalidInput, validationError } from './errors';

/** IAM's own patterns, as its API reference gives them. */
export const NAME_PATTERN = /^[\w+=,.@-]+$/;
export const PATH_PATTERN = /^(?:\/|\/[\u0021-\u007E]+\/)$/;
export const POLICY_DOCUMENT_PATTERN = /^[\t\n\r\u0020-\u00FF]+$/;
export const ACCESS_KEY_ID_PATTERN = /^[\w]+$/;

const TAG_TEXT = {
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
};

export interface Tag {
  Key: string;
  Value: string;
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** As the API reference prints the pattern in its messages. */
  patternText?: string;
  values?: readonly string[];
}

/** Query-protocol parameters (`Name`, `Name.member.N`, `Name.member.N.Key`) with AWS's checks. */
export class Params {
  constructor(private readonly form: URLSearchParams) {}

  get action(): string | undefined {
    return this.form.get('Action') ?? undefined;
  }

  /** An optional string; `member` is the lowerCamel name AWS uses in validation messages. */
  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.form.get(name) ?? undefined;
    if (value !== undefined) check(lowerCamel(name), value, rule);
    return value;
  }

  required(name: string, rule: StringRule = {}): string {
    const value = this.string(name, rule);
    if (value === undefined) {
      throw validationError(lowerCamel(name), undefined, 'Member must not be null');
    }
    return value;
  }

  integer(name: string, range: { min: number; max: number }): number | undefined {
    const raw = this.form.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    const member = lowerCamel(name);
    if (!Number.isInteger(value)) throw validationError(member, raw, 'Member must be an integer');
    if (value < range.min) {
      throw validationError(
        member,
        raw,
        `Member must have value greater than or equal to ${range.min}`,
      );
    }
    if (value > range.max) {
      throw validationError(
        member,
        raw,
        `Member must have value less than or equal to ${range.max}`,
      );
    }
    return value;
  }

  /** `Name.member.1`, `Name.member.2`, … in index order. */
  list(name: string): string[] {
    return this.indices(name).map((i) => this.form.get(`${name}.member.${i}`) ?? '');
  }

  /** `Tags.member.N.Key` / `.Value`, checked as IAM checks tags. */
  tags(name = 'Tags'): Tag[] {
    const tags = this.indices(name).map((i) => ({
      Key: this.form.get(`${name}.member.${i}.Key`) ?? '',
      Value: this.form.get(`${name}.member.${i}.Value`) ?? '',
    }));
    tags.forEach((tag, i) => {
      check(`tags.${i + 1}.member.key`, tag.Key, { min: 1, max: 128, ...TAG_TEXT });
      check(`tags.${i + 1}.member.value`, tag.Value, { max: 256, ...TAG_TEXT });
    });
    assertUniqueKeys(tags.map((tag) => tag.Key));
    return tags;
  }

  private indices(name: string): number[] {
    const found = new Set<number>();
    const prefix = new RegExp(`^${name.replace(/\./g, '\\.')}\\.member\\.(\\d+)(\\.|$)`);
    for (const key of this.form.keys()) {
      const match = prefix.exec(key);
      if (match?.[1]) found.add(Number(match[1]));
    }
    return [...found].sort((a, b) => a - b);
  }
}

/** IAM tag keys are case-insensitive (case is kept), so `Team` and `team` are the same tag. */
export function assertUniqueKeys(keys: string[]): void {
  const lower = keys.map((key) => key.toLowerCase());
  if (new Set(lower).size !== lower.length) {
    throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
}

function check(member: string, value: string, rule: StringRule): void {
  if (rule.min !== undefined && value.length < rule.min) {
    throw validationError(
      member,
      value,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw validationError(
      member,
      value,
      `Member must have length less than or equal to ${rule.max}`,
    );
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    const shown = rule.patternText ?? rule.pattern.source.replace(/^\^|\$$/g, '');
    throw validationError(
      member,
      value,
      `Member must satisfy regular expression pattern: ${shown}`,
    );
  }
  if (rule.values && !rule.values.includes(value)) {
    throw validationError(
      member,
      value,
      `Member must satisfy enum value set: [${rule.values.join(', ')}]`,
    );
  }
}

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Rules shared by several actions. */
export const RULES = {
  userName: { min: 1, max: 64, pattern: NAME_PATTERN, patternText: '[\\w+=,.@-]+' },
  roleName: { min: 1, max: 64, pattern: NAME_PATTERN, patternText: '[\\w+=,.@-]+' },
  policyName: { min: 1, max: 128, pattern: NAME_PATTERN, patternText: '[\\w+=,.@-]+' },
  path: {
    min: 1,
    max: 512,
    pattern: PATH_PATTERN,
    patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  },
  policyDocument: {
    min: 1,
    max: 131072,
    pattern: POLICY_DOCUMENT_PATTERN,
    patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  },
  accessKeyId: { min: 16, max: 128, pattern: ACCESS_KEY_ID_PATTERN, patternText: '[\\w]+' },
  policyArn: { min: 20, max: 2048 },
  policyVersionId: {
    pattern: /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/,
    patternText: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
  },
  description: { max: 1000 },
  boolean: { values: ['true', 'false'] },
  status: { values: ['Active', 'Inactive'] },
} satisfies Record<string, StringRule>;
