import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../support/event-pattern';

/** A Security Hub event: `detail.findings` is an array of objects, each with a Resources array. */
const securityHubEvent = {
  source: 'aws.securityhub',
  'detail-type': 'Security Hub Findings - Imported',
  detail: {
    findings: [
      {
        Id: 'finding-1',
        Resources: [{ Type: 'AwsEc2Instance', Id: 'i-1' }],
        Severity: { Label: 'LOW', Normalized: 10 },
      },
      {
        Id: 'finding-2',
        Resources: [
          { Type: 'AwsAccount', Id: 'AWS::::Account:123456789012' },
          { Type: 'AwsIamAccessKey', Id: 'AKIAEXAMPLE' },
        ],
        Severity: { Label: 'HIGH', Normalized: 70 },
      },
    ],
  },
};

describe('matchesPattern: structure', () => {
  const event = { source: 'aws.guardduty', detail: { resource: { resourceType: 'AccessKey' } } };

  it('matches when every key of the pattern matches, ignoring keys it does not name', () => {
    expect(
      matchesPattern(
        { source: ['aws.guardduty'], detail: { resource: { resourceType: ['AccessKey'] } } },
        event,
      ),
    ).toBe(true);
  });

  it('does not match when one of the keys does not', () => {
    expect(
      matchesPattern(
        { source: ['aws.guardduty'], detail: { resource: { resourceType: ['Instance'] } } },
        event,
      ),
    ).toBe(false);
  });

  it('does not match when the event lacks a key the pattern names', () => {
    expect(matchesPattern({ detail: { service: ['x'] } }, event)).toBe(false);
    expect(matchesPattern({ region: ['us-east-1'] }, event)).toBe(false);
  });

  it('needs the same nesting: a nested pattern does not match a flat value', () => {
    expect(matchesPattern({ source: { name: ['aws.guardduty'] } }, event)).toBe(false);
  });

  it('matches a leaf when any of its alternatives matches', () => {
    expect(matchesPattern({ source: ['aws.health', 'aws.guardduty'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.health', 'aws.securityhub'] }, event)).toBe(false);
  });

  it('reads own keys only, not inherited ones', () => {
    expect(matchesPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
  });
});

describe('matchesPattern: exact values', () => {
  it('matches strings exactly, case included', () => {
    expect(matchesPattern({ state: ['running'] }, { state: 'running' })).toBe(true);
    expect(matchesPattern({ state: ['running'] }, { state: 'Running' })).toBe(false);
  });

  it('compares numbers numerically', () => {
    expect(matchesPattern({ count: [300] }, { count: 3.0e2 })).toBe(true);
    expect(matchesPattern({ count: [300] }, { count: 301 })).toBe(false);
  });

  it('never matches a string against a number, either way', () => {
    expect(matchesPattern({ count: ['5'] }, { count: 5 })).toBe(false);
    expect(matchesPattern({ count: [5] }, { count: '5' })).toBe(false);
  });

  it('matches null and booleans as JSON values', () => {
    expect(matchesPattern({ a: [null], b: [false] }, { a: null, b: false })).toBe(true);
    expect(matchesPattern({ b: [false] }, { b: 'false' })).toBe(false);
    expect(matchesPattern({ b: [true] }, { b: 1 })).toBe(false);
  });

  it('keeps null and the empty string apart', () => {
    expect(matchesPattern({ v: [''] }, { v: '' })).toBe(true);
    expect(matchesPattern({ v: [''] }, { v: null })).toBe(false);
    expect(matchesPattern({ v: [null] }, { v: '' })).toBe(false);
  });
});

describe('matchesPattern: arrays in the event', () => {
  it('matches a leaf when any element of the event array matches', () => {
    const event = { resources: ['arn:aws:ec2:::a', 'arn:aws:ec2:::b'] };

    expect(matchesPattern({ resources: ['arn:aws:ec2:::b', 'arn:aws:ec2:::c'] }, event)).toBe(true);
    expect(matchesPattern({ resources: ['arn:aws:ec2:::c'] }, event)).toBe(false);
  });

  it('flattens arrays of arrays', () => {
    expect(matchesPattern({ tags: ['b'] }, { tags: [['a'], [['b']]] })).toBe(true);
  });

  it('does not match a leaf against an empty array', () => {
    expect(matchesPattern({ tags: ['a'] }, { tags: [] })).toBe(false);
  });

  it('matches a nested pattern under an array of objects when one element matches it', () => {
    const pattern = { detail: { findings: { Resources: { Type: ['AwsIamAccessKey'] } } } };

    expect(matchesPattern(pattern, securityHubEvent)).toBe(true);
  });

  it('does not match when no element of the array of objects matches', () => {
    const pattern = { detail: { findings: { Resources: { Type: ['AwsS3Bucket'] } } } };

    expect(matchesPattern(pattern, securityHubEvent)).toBe(false);
  });

  it('matches the project rule for Security Hub against that event', () => {
    const rule = {
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported', 'Security Hub Findings - Custom Action'],
      detail: { findings: { Resources: { Type: ['AwsIamAccessKey'] } } },
    };

    expect(matchesPattern(rule, securityHubEvent)).toBe(true);
    expect(matchesPattern(rule, { ...securityHubEvent, source: 'aws.guardduty' })).toBe(false);
  });

  it('never combines fields from different elements of the same array', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };

    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(
      true,
    );
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(
      false,
    );
  });

  it('keeps one finding for fields at different depths under the same array', () => {
    const sameFinding = {
      detail: {
        findings: { Severity: { Label: ['HIGH'] }, Resources: { Type: ['AwsIamAccessKey'] } },
      },
    };
    const twoFindings = {
      detail: {
        findings: { Severity: { Label: ['LOW'] }, Resources: { Type: ['AwsIamAccessKey'] } },
      },
    };

    expect(matchesPattern(sameFinding, securityHubEvent)).toBe(true);
    expect(matchesPattern(twoFindings, securityHubEvent)).toBe(false);
  });

  it('does not match a leaf against objects: they are not leaf values', () => {
    expect(matchesPattern({ detail: { findings: ['finding-1'] } }, securityHubEvent)).toBe(false);
  });
});

describe('matchesPattern: prefix', () => {
  it('matches strings that start with the prefix', () => {
    expect(
      matchesPattern({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }),
    ).toBe(true);
    expect(
      matchesPattern({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T00:00:00Z' }),
    ).toBe(false);
  });

  it('matches case-sensitively unless told to ignore case', () => {
    expect(matchesPattern({ service: [{ prefix: 'EventB' }] }, { service: 'eventbridge' })).toBe(
      false,
    );
    expect(
      matchesPattern(
        { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
        { service: 'eventbridge' },
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
        { service: 'lambda' },
      ),
    ).toBe(false);
  });

  it('never matches a number', () => {
    expect(matchesPattern({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
  });
});

describe('matchesPattern: suffix', () => {
  it('matches strings that end with the suffix', () => {
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.png' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.PNG' })).toBe(false);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.jpg' })).toBe(false);
  });

  it('ignores case when told to', () => {
    const pattern = { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] };

    expect(matchesPattern(pattern, { FileName: 'a.PNG' })).toBe(true);
    expect(matchesPattern(pattern, { FileName: 'a.gif' })).toBe(false);
  });
});

describe('matchesPattern: equals-ignore-case', () => {
  const pattern = { name: [{ 'equals-ignore-case': 'alice' }] };

  it('matches the same string in any case', () => {
    expect(matchesPattern(pattern, { name: 'ALICE' })).toBe(true);
  });

  it('does not match a different string', () => {
    expect(matchesPattern(pattern, { name: 'alicia' })).toBe(false);
  });
});

describe('matchesPattern: wildcard', () => {
  it('matches any run of characters, including none, for each *', () => {
    const pattern = { source: [{ wildcard: 'Simple*Service' }] };

    expect(matchesPattern(pattern, { source: 'SimpleNotificationService' })).toBe(true);
    expect(matchesPattern(pattern, { source: 'SimpleService' })).toBe(true);
    expect(matchesPattern(pattern, { source: 'SimpleServices' })).toBe(false);
    expect(matchesPattern({ path: [{ wildcard: '*/lib/*.jar' }] }, { path: '/x/lib/a.jar' })).toBe(
      true,
    );
  });

  it('takes other characters literally, and \\* as an asterisk', () => {
    expect(matchesPattern({ v: [{ wildcard: 'a.b' }] }, { v: 'axb' })).toBe(false);
    expect(matchesPattern({ v: [{ wildcard: 'a\\*' }] }, { v: 'a*' })).toBe(true);
    expect(matchesPattern({ v: [{ wildcard: 'a\\*' }] }, { v: 'ab' })).toBe(false);
  });

  it('refuses consecutive wildcards, as EventBridge does', () => {
    expect(() => matchesPattern({ v: [{ wildcard: 'a**b' }] }, { v: 'ab' })).toThrow(
      /consecutive wildcards/,
    );
  });
});

describe('matchesPattern: anything-but', () => {
  it('matches any value but the one given', () => {
    expect(
      matchesPattern({ state: [{ 'anything-but': 'initializing' }] }, { state: 'running' }),
    ).toBe(true);
    expect(
      matchesPattern({ state: [{ 'anything-but': 'initializing' }] }, { state: 'initializing' }),
    ).toBe(false);
    expect(matchesPattern({ limit: [{ 'anything-but': 123 }] }, { limit: 124 })).toBe(true);
    expect(matchesPattern({ limit: [{ 'anything-but': 123 }] }, { limit: 123 })).toBe(false);
  });

  it('matches any value but those in a list', () => {
    const pattern = { state: [{ 'anything-but': ['stopped', 'overloaded'] }] };

    expect(matchesPattern(pattern, { state: 'running' })).toBe(true);
    expect(matchesPattern(pattern, { state: 'overloaded' })).toBe(false);
    expect(matchesPattern({ x: [{ 'anything-but': [100, 200] }] }, { x: 200 })).toBe(false);
  });

  it('matches a value of another JSON type', () => {
    expect(matchesPattern({ limit: [{ 'anything-but': '123' }] }, { limit: 123 })).toBe(true);
  });

  it('matches any value but those with the prefix', () => {
    const pattern = { source: [{ 'anything-but': { prefix: 'aws.' } }] };

    expect(matchesPattern(pattern, { source: 'com.example' })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.ec2' })).toBe(false);
  });

  it('negates suffix, equals-ignore-case lists and wildcards', () => {
    expect(matchesPattern({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.png' })).toBe(
      false,
    );
    expect(matchesPattern({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.gif' })).toBe(
      true,
    );
    const ignoringCase = { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] };
    expect(matchesPattern(ignoringCase, { s: 'B' })).toBe(false);
    expect(matchesPattern(ignoringCase, { s: 'c' })).toBe(true);
    const notLib = { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesPattern(notLib, { p: '/x/lib/a' })).toBe(false);
    expect(matchesPattern(notLib, { p: '/x/bin/a' })).toBe(true);
  });

  it('does not match a missing field: it needs a value to compare', () => {
    expect(matchesPattern({ state: [{ 'anything-but': 'initializing' }] }, {})).toBe(false);
  });

  it('matches an event array when any element is not excluded', () => {
    const pattern = { state: [{ 'anything-but': 'a' }] };

    expect(matchesPattern(pattern, { state: ['a', 'b'] })).toBe(true);
    expect(matchesPattern(pattern, { state: ['a', 'a'] })).toBe(false);
  });

  it('refuses a list mixing strings and numbers', () => {
    expect(() => matchesPattern({ x: [{ 'anything-but': ['a', 1] }] }, { x: 'b' })).toThrow(
      /strings or numbers/,
    );
  });
});

describe('matchesPattern: exists', () => {
  it('exists:true matches a present field, null included', () => {
    expect(matchesPattern({ d: { c: [{ exists: true }] } }, { d: { c: 0 } })).toBe(true);
    expect(matchesPattern({ d: { c: [{ exists: true }] } }, { d: { c: null } })).toBe(true);
    expect(matchesPattern({ d: { c: [{ exists: true }] } }, { d: {} })).toBe(false);
  });

  it('exists:false matches an absent field, or an absent parent', () => {
    expect(matchesPattern({ d: { c: [{ exists: false }] } }, { d: { state: 'x' } })).toBe(true);
    expect(matchesPattern({ d: { c: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesPattern({ d: { c: [{ exists: false }] } }, { d: { c: 'x' } })).toBe(false);
  });

  it('works on leaves only: an object there counts as absent, as documented', () => {
    const event = { detail: { 'c-count': { c1: 100 } } };

    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('exists:false under an array of objects needs the field absent from every element', () => {
    const pattern = { detail: { findings: { Note: [{ exists: false }] } } };
    const noted = structuredClone(securityHubEvent);
    Object.assign(noted.detail.findings[1] ?? {}, { Note: 'seen' });

    expect(matchesPattern(pattern, securityHubEvent)).toBe(true);
    expect(matchesPattern(pattern, noted)).toBe(false);
  });

  it('exists:true under an array of objects needs the field in one element', () => {
    expect(
      matchesPattern({ detail: { findings: { Id: [{ exists: true }] } } }, securityHubEvent),
    ).toBe(true);
    expect(
      matchesPattern({ detail: { findings: { Note: [{ exists: true }] } } }, securityHubEvent),
    ).toBe(false);
  });
});

describe('matchesPattern: numeric', () => {
  const pattern = { count: [{ numeric: ['>', 0, '<=', 5] }] };

  it('matches numbers inside the range', () => {
    expect(matchesPattern(pattern, { count: 5 })).toBe(true);
    expect(matchesPattern(pattern, { count: 0.5 })).toBe(true);
  });

  it('does not match numbers outside it, at an exclusive bound, or numeric strings', () => {
    expect(matchesPattern(pattern, { count: 0 })).toBe(false);
    expect(matchesPattern(pattern, { count: 6 })).toBe(false);
    expect(matchesPattern(pattern, { count: '3' })).toBe(false);
  });

  it('compares with =, <, >= as well', () => {
    expect(matchesPattern({ x: [{ numeric: ['=', 3.018e2] }] }, { x: 301.8 })).toBe(true);
    expect(matchesPattern({ x: [{ numeric: ['<', 10] }] }, { x: 10 })).toBe(false);
    expect(matchesPattern({ x: [{ numeric: ['>=', 10] }] }, { x: 10 })).toBe(true);
  });

  it('matches the severity of a GuardDuty finding', () => {
    const rule = { detail: { severity: [{ numeric: ['>=', 7] }] } };

    expect(matchesPattern(rule, { detail: { severity: 8.5 } })).toBe(true);
    expect(matchesPattern(rule, { detail: { severity: 2 } })).toBe(false);
  });
});

describe('matchesPattern: $or', () => {
  const pattern = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
  };

  it('matches when any branch matches', () => {
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/EC2' })).toBe(true);
  });

  it('does not match when no branch does', () => {
    expect(matchesPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(false);
  });
});

describe('matchesPattern: patterns it refuses', () => {
  it('names an operator it does not support, even when the field is absent', () => {
    expect(() => matchesPattern({ ip: [{ cidr: '10.0.0.0/24' }] }, {})).toThrow(
      /operator "cidr" is not supported/,
    );
    expect(() => matchesPattern({ a: ['x'], b: [{ contains: 'y' }] }, { a: 'nope' })).toThrow(
      /operator "contains"/,
    );
  });

  it('refuses what EventBridge refuses', () => {
    const refused = [
      'not an object',
      { source: 'aws.ec2' },
      { source: [] },
      { source: [['aws.ec2']] },
      { source: [{ prefix: 'a', suffix: 'b' }] },
      { count: [{ numeric: ['>'] }] },
      { count: [{ numeric: ['!=', 1] }] },
      { flag: [{ exists: 'yes' }] },
      { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      { s: [{ wildcard: 'a\\b' }] },
    ];

    for (const pattern of refused) {
      expect(() => matchesPattern(pattern, {}), JSON.stringify(pattern)).toThrow(
        /invalid event pattern/,
      );
    }
  });
});
