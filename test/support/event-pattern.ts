/**
 * Amazon EventBridge content filtering, to check which events the patterns in serverless.yml
 * select without deploying them. Semantics as the EventBridge user guide documents them ("Event
 * patterns", "Arrays in event patterns", "Content filtering") and as aws/event-ruler, the engine
 * behind EventBridge, implements them.
 *
 * The whole pattern is compiled before any matching, so a pattern EventBridge would refuse, or
 * an operator not simulated here (cidr), throws even when the event never reaches it: a test must
 * not pass because this file quietly misread its pattern.
 */

type JsonObject = { [key: string]: unknown };
type Match = (event: unknown) => boolean;
type Test = (value: unknown) => boolean;

/** What `anything-but` can negate besides plain values. */
const NEGATABLE = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);
const RESERVED = new Set([...NEGATABLE, 'anything-but', 'numeric', 'exists', 'cidr']);
const NUMERIC = new Map<unknown, (value: number, bound: number) => boolean>([
  ['=', (value, bound) => value === bound],
  ['<', (value, bound) => value < bound],
  ['<=', (value, bound) => value <= bound],
  ['>', (value, bound) => value > bound],
  ['>=', (value, bound) => value >= bound],
]);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => JSON.stringify(value);
const invalid = (path: string, why: string) =>
  new Error(`invalid event pattern at ${path}: ${why}`);

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compileObject(pattern, 'pattern')(event);
}

/** Every key of the pattern must match; keys the pattern does not name are ignored. */
function compileObject(pattern: unknown, path: string): Match {
  if (!isObject(pattern)) throw invalid(path, `expected an object, got ${show(pattern)}`);
  const fields = Object.entries(pattern).map(([key, sub]) => compileField(key, sub, path));
  const here = (event: unknown) => fields.every((field) => field(event));
  const absences = onlyAbsences(pattern);
  return (event) => {
    if (!Array.isArray(event)) return here(event);
    // Arrays are flattened, but a nested pattern must hold within ONE element: fields from
    // different elements never combine (event-ruler's "array-consistent" matching). A pattern
    // of absences only is checked against every element, as event-ruler checks it against the
    // whole event: the field exists if any element has it.
    const elements: unknown[] = event.flat(Number.POSITIVE_INFINITY);
    return absences ? elements.every(here) : elements.some(here);
  };
}

function compileField(key: string, sub: unknown, parent: string): Match {
  const path = `${parent}.${key}`;
  if (key === '$or' && Array.isArray(sub) && sub.length > 1 && sub.every(isBranch)) {
    const branches = sub.map((branch) => compileObject(branch, path));
    return (event) => branches.some((branch) => branch(event));
  }
  // Own properties only: a pattern key `constructor` must not find Object.prototype's.
  const get = (event: unknown) =>
    isObject(event) && Object.hasOwn(event, key) ? event[key] : undefined;
  if (isObject(sub)) {
    const nested = compileObject(sub, path);
    return (event) => nested(get(event));
  }
  if (!Array.isArray(sub) || sub.length === 0) {
    throw invalid(path, `expected an object or a non-empty array, got ${show(sub)}`);
  }
  const alternatives = sub.map((alternative) => compileAlternative(alternative, path));
  return (event) => {
    const values = leafValues(get(event));
    return alternatives.some((alternative) => alternative(values));
  };
}

/** `$or` branches are field patterns; `[{ "prefix": "a" }]` is a field named `$or`. */
const isBranch = (branch: unknown) =>
  isObject(branch) && !Object.keys(branch).some((key) => RESERVED.has(key));

/** True when every leaf of the pattern is `[{ "exists": false }]`. */
const onlyAbsences = (pattern: JsonObject): boolean =>
  Object.values(pattern).every((sub) =>
    Array.isArray(sub)
      ? sub.every((alternative) => isObject(alternative) && alternative.exists === false)
      : isObject(sub) && onlyAbsences(sub),
  );

/** The values at a leaf: arrays flattened; objects are not leaves (exists ignores them too). */
function leafValues(value: unknown): unknown[] {
  if (value === undefined) return [];
  const values: unknown[] = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  return values.filter((item) => !isObject(item));
}

/** One alternative of a leaf, given all the values at that leaf. */
function compileAlternative(alternative: unknown, path: string): (values: unknown[]) => boolean {
  if (Array.isArray(alternative)) throw invalid(path, `nested array ${show(alternative)}`);
  // Exact match: same JSON type and value (a string never equals a number); JSON numbers
  // compare numerically, so 3.0e2 matches 300. null and "" are different values.
  if (!isObject(alternative)) return (values) => values.includes(alternative);
  const [entry, ...more] = Object.entries(alternative);
  if (!entry || more.length > 0)
    throw invalid(path, `one operator per object: ${show(alternative)}`);
  const [operator, operand] = entry;
  if (operator === 'exists') {
    if (typeof operand !== 'boolean') throw invalid(path, `exists takes true or false`);
    // The one operator about the field rather than a value: exists:false matches no value.
    return (values) => values.length > 0 === operand;
  }
  const test = compileOperator(operator, operand, path);
  // Like every value operator, anything-but needs a value: a missing field matches nothing.
  return (values) => values.some(test);
}

function compileOperator(operator: string, operand: unknown, path: string): Test {
  switch (operator) {
    case 'prefix':
      return affix(operand, path, (value, affix) => value.startsWith(affix));
    case 'suffix':
      return affix(operand, path, (value, affix) => value.endsWith(affix));
    case 'equals-ignore-case': {
      const expected = text(operand, path).toLowerCase();
      return (value) => typeof value === 'string' && value.toLowerCase() === expected;
    }
    case 'wildcard': {
      const regex = wildcard(text(operand, path), path);
      return (value) => typeof value === 'string' && regex.test(value);
    }
    case 'numeric':
      return numeric(operand, path);
    case 'anything-but':
      return anythingBut(operand, path);
    default:
      throw invalid(path, `operator "${operator}" is not supported by this matcher`);
  }
}

function text(operand: unknown, path: string): string {
  if (typeof operand !== 'string') throw invalid(path, `expected a string, got ${show(operand)}`);
  return operand;
}

/** prefix/suffix take a string or `{ "equals-ignore-case": string }`; strings only match strings. */
function affix(operand: unknown, path: string, test: (value: string, affix: string) => boolean) {
  const keys = isObject(operand) ? Object.keys(operand) : [];
  if (isObject(operand) && keys.length === 1 && keys[0] === 'equals-ignore-case') {
    const lower = text(operand['equals-ignore-case'], path).toLowerCase();
    return (value: unknown) => typeof value === 'string' && test(value.toLowerCase(), lower);
  }
  const exact = text(operand, path);
  return (value: unknown) => typeof value === 'string' && test(value, exact);
}

/** `*` matches any run of characters; `\*` and `\\` are literal; `**` is refused. */
function wildcard(pattern: string, path: string): RegExp {
  const tokens = pattern.match(/\\[\s\S]?|\*+|[^\\*]+/g) ?? [];
  const source = tokens.map((token) => {
    if (token === '*') return '[\\s\\S]*';
    if (token.startsWith('*')) throw invalid(path, `consecutive wildcards in ${show(pattern)}`);
    if (token === '\\*' || token === '\\\\') return token;
    if (token.startsWith('\\'))
      throw invalid(path, `only * and \\ can be escaped: ${show(pattern)}`);
    return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${source.join('')}$`);
}

/** `[op, bound, op, bound…]`, all of which must hold; only JSON numbers match. */
function numeric(operand: unknown, path: string): Test {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw invalid(path, `numeric takes [operator, number, …], got ${show(operand)}`);
  }
  const checks: ((value: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const compare = NUMERIC.get(operand[i]);
    const bound: unknown = operand[i + 1];
    if (!compare || typeof bound !== 'number') throw invalid(path, `numeric ${show(operand)}`);
    checks.push((value) => compare(value, bound));
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

/** A value, a list of all strings or all numbers, or a negated string operator. */
function anythingBut(operand: unknown, path: string): Test {
  if (isObject(operand)) {
    const [entry, ...more] = Object.entries(operand);
    if (!entry || more.length > 0 || !NEGATABLE.has(entry[0])) {
      throw invalid(path, `anything-but cannot negate ${show(operand)}`);
    }
    // equals-ignore-case and wildcard take a list here.
    const [operator, argument] = entry;
    const options: unknown[] = Array.isArray(argument) ? argument : [argument];
    const tests = options.map((option) => compileOperator(operator, option, path));
    return (value) => !tests.some((test) => test(value));
  }
  const excluded: unknown[] = Array.isArray(operand) ? operand : [operand];
  const kinds = new Set(excluded.map((item) => typeof item));
  if (kinds.size !== 1 || !(kinds.has('string') || kinds.has('number'))) {
    throw invalid(path, `anything-but takes strings or numbers, got ${show(operand)}`);
  }
  return (value) => !excluded.includes(value);
}
