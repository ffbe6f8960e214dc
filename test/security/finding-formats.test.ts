import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { onRunbook } from '../../functions/on-runbook';
import type { AwsClients } from '../../shared/aws-clients';
import type { Config } from '../../shared/config';
import { MAX_SIGNAL_FINDINGS } from '../../shared/intake/attack-sequence';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import type { StandInAdmin } from '../stand-in/admin';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { findingTypes, loadEvent, TEST_CONFIG, TOPICS } from '../support/deps';
import { clientsAt, type Endpoint, uniqueName, useEndpoint } from '../support/endpoint';
import { inlinePolicy, keyStatuses, userTags } from '../support/iam-state';
import { seedUserWithKeys, snsEvent } from '../support/seed';

/**
 * Attacks on the newer finding formats, replayed through the real handlers. Every test asserts
 * the outcome and that IAM is unchanged (keys Active, no revocation policy, no tags):
 *
 * - Security Hub OCSF findings (`Findings Imported V2`) imported under a product that is not
 *   AWS's: the account's own, one that merely contains `productv2/aws/`, a partner's.
 * - OCSF findings on the wrong SNS topic (runbook topic, an unknown topic).
 * - GuardDuty attack sequences whose signals point at another account's detector, whose
 *   underlying finding names someone the sequence does not, that carry thousands of signals,
 *   or whose actor's key belongs to another user than the actor.
 * - Findings about other resources (S3) naming a key, and mixed finding types, against the
 *   FINDING_TYPES policy.
 * - Sample findings in the new formats.
 *
 * IAM-only tests run against useEndpoint() (the stand-in, or AWS_ENDPOINT_URL); the ones that
 * need guardduty:GetFindings start their own stand-in, since moto and LocalStack cannot seed
 * GuardDuty findings. Controls (DRY_RUN) show each fixture would be acted on unforged, so a
 * refusal below is the attack's doing and not a broken fixture.
 */
type Seeded = Awaited<ReturnType<typeof seedUserWithKeys>>;

const context = { awsRequestId: 'finding-formats' };
const silent = () => new Logger({ serviceName: 'security', logLevel: 'SILENT' });

/** Every key of these users still Active, no revocation policy, no record tag: nothing changed. */
async function expectUntouched(clients: AwsClients, ...users: Seeded[]) {
  for (const user of users) {
    expect(await keyStatuses(clients, user.userName)).toEqual(
      Object.fromEntries(user.accessKeyIds.map((k) => [k, 'Active'])),
    );
    expect(await inlinePolicy(clients, 'user', user.userName)).toBeUndefined();
    expect(await userTags(clients, user.userName)).toEqual({});
  }
}

/** A report that refused before acting: no key, no action, not an AWS failure. */
const refused = (reason: RegExp) => ({
  outcome: 'failed',
  accessKeyId: null,
  actions: [],
  errorCode: null,
  reason: expect.stringMatching(reason),
});

const NOT_AWS_PRODUCT = /not produced by an AWS service/;

describe('against the IAM endpoint', () => {
  let endpoint: Endpoint;
  let accountId: string;

  beforeAll(async () => {
    endpoint = await useEndpoint();
    accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  });
  afterAll(() => endpoint.stop());

  function deps(config: Partial<Config> = {}): Deps {
    return {
      clients: endpoint.newClients(),
      config: { ...TEST_CONFIG, ...config },
      logger: silent(),
    };
  }
  const untouched = (...users: Seeded[]) => expectUntouched(endpoint.clients, ...users);

  /**
   * events/securityhub-ocsf-guardduty.json with `owner`'s name and id, claiming `key` (default:
   * the owner's first key), from GuardDuty's own product unless `productUid` is given.
   */
  function ocsfEvent(
    owner: Seeded,
    { key, productUid, types }: { key?: string; productUid?: string; types?: string[] } = {},
  ) {
    const credential = key ?? owner.accessKeyIds[0] ?? '';
    const event = loadEvent('securityhub-ocsf-guardduty.json');
    event.account = accountId;
    const finding = event.detail.findings[0];
    finding.finding_info.uid = uniqueName('ocsf-finding');
    finding.cloud.account.uid = accountId;
    finding.actor.user = {
      name: owner.userName,
      uid: owner.userId,
      type: 'IAMUser',
      credential_uid: credential,
      account: { uid: accountId },
    };
    finding.resources[0].uid = credential;
    finding.resources[0].owner.account.uid = accountId;
    if (productUid !== undefined) finding.metadata.product.uid = productUid;
    if (types !== undefined) finding.finding_info.types = types;
    return { event, finding };
  }

  /** events/guardduty-attack-sequence.json whose actor and ACCESS_KEY resource carry `key`. */
  function sequenceEvent(actor: Seeded, key = actor.accessKeyIds[0] ?? '') {
    const event = loadEvent('guardduty-attack-sequence.json');
    event.account = accountId;
    event.detail.accountId = accountId;
    event.detail.id = uniqueName('sequence');
    const sequence = event.detail.service.detection.sequence;
    sequence.actors[0].user = {
      name: actor.userName,
      uid: actor.userId,
      type: 'IAMUser',
      credentialUid: key,
    };
    sequence.resources[0].uid = key;
    sequence.resources[0].accountId = accountId;
    sequence.resources[0].data.accessKey = {
      principalId: actor.userId,
      userName: actor.userName,
      userType: 'IAMUser',
    };
    return { event, sequence };
  }

  describe('controls: the unforged fixtures are acted on (dry run, nothing changed)', () => {
    it('an OCSF finding from GuardDuty naming a seeded key is planned', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onFinding(ocsfEvent(user).event, context, deps({ dryRun: true }));

      expect(report).toMatchObject({ outcome: 'planned', accessKeyId: user.accessKeyIds[0] });
      await untouched(user);
    });

    it('an attack sequence whose actor carries a seeded key is planned', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onFinding(sequenceEvent(user).event, context, deps({ dryRun: true }));

      expect(report).toMatchObject({ outcome: 'planned', accessKeyId: user.accessKeyIds[0] });
      await untouched(user);
    });
  });

  describe('an OCSF finding imported under a product that is not AWS’s', () => {
    it('under the account’s own product: refused by EventBridge and in the console, nothing changed', async () => {
      const victim = await seedUserWithKeys(endpoint.clients);
      // Whoever imports may also write AWS-looking names: the fixture says GuardDuty, vendor AWS.
      const { event, finding } = ocsfEvent(victim, {
        productUid: `arn:aws:securityhub:us-east-1:${accountId}:productv2/${accountId}/default`,
      });
      expect(finding.metadata.product).toMatchObject({ name: 'GuardDuty', vendor_name: 'AWS' });

      const [viaRule] = await onFinding(event, context, deps());
      const viaConsole = (await contain(event, context, deps())) as Report;

      expect(viaRule).toMatchObject(refused(NOT_AWS_PRODUCT));
      expect(viaConsole).toMatchObject(refused(NOT_AWS_PRODUCT));
      await untouched(victim);
    });

    it.each([
      [
        'an AWS-looking path with an account',
        (a: string) => `arn:aws:securityhub:us-east-1:${a}:productv2/aws/guardduty`,
      ],
      ['a company named awsx', () => 'arn:aws:securityhub:us-east-1::productv2/awsx/guardduty'],
      [
        'a partner with aws/ further on',
        () => 'arn:aws:securityhub:us-east-1::productv2/acme/aws/guardduty',
      ],
      [
        'the account’s product named aws',
        (a: string) => `arn:aws:securityhub:us-east-1:${a}:productv2/${a}/aws`,
      ],
      [
        'an AWS product with a path after it',
        () => 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty/x',
      ],
      [
        'an AWS product and a newline',
        () => 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty\n',
      ],
      [
        'an AWS product after a prefix',
        () => 'x arn:aws:securityhub:us-east-1::productv2/aws/guardduty',
      ],
      [
        'two product ids in one',
        (a: string) =>
          `arn:aws:securityhub:us-east-1::productv2/aws/guardduty arn:aws:securityhub:us-east-1:${a}:productv2/${a}/default`,
      ],
    ])('%s: refused, nothing changed', async (_label, product) => {
      const victim = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onFinding(
        ocsfEvent(victim, { productUid: product(accountId) }).event,
        context,
        deps(),
      );

      expect(report).toMatchObject(refused(NOT_AWS_PRODUCT));
      // The uid is the importer's choice: never echoed.
      expect(report?.reason).not.toContain('arn:aws:securityhub');
      await untouched(victim);
    });

    it('with no product uid, only AWS names: refused as invalid, nothing changed', async () => {
      const victim = await seedUserWithKeys(endpoint.clients, 1);
      const { event, finding } = ocsfEvent(victim);
      finding.metadata.product = { name: 'GuardDuty', vendor_name: 'AWS' };

      const [report] = await onFinding(event, context, deps());

      expect(report).toMatchObject(refused(/not a valid OCSF finding: .*metadata\.product\.uid/));
      await untouched(victim);
    });
  });

  describe('an OCSF finding over SNS', () => {
    it('on the runbook topic: refused even from GuardDuty’s product, nothing changed', async () => {
      const victim = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onRunbook(
        snsEvent(TOPICS.runbookTopicArn, ocsfEvent(victim).event, 'ocsf-runbook'),
        context,
        deps(),
      );

      expect(report).toMatchObject(refused(/runbook topic, which carries runbook requests only/));
      await untouched(victim);
    });

    it.each([
      ['an unknown topic', 'arn:aws:sns:us-east-1:123456789012:team-chat-fanout'],
      [
        'a topic of the findings topic’s name in another account',
        'arn:aws:sns:us-east-1:999999999999:credential-responder-prod-findings',
      ],
    ])('on %s: refused, nothing changed', async (_label, topicArn) => {
      const victim = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onRunbook(
        snsEvent(topicArn, ocsfEvent(victim).event, 'ocsf-elsewhere'),
        context,
        deps(),
      );

      expect(report).toMatchObject(refused(/neither RUNBOOK_TOPIC_ARN nor FINDINGS_TOPIC_ARN/));
      await untouched(victim);
    });

    it('on the findings topic under the account’s own product: refused, nothing changed', async () => {
      const victim = await seedUserWithKeys(endpoint.clients, 1);
      const { event } = ocsfEvent(victim, {
        productUid: `arn:aws:securityhub:us-east-1:${accountId}:productv2/${accountId}/default`,
      });

      const [report] = await onRunbook(
        snsEvent(TOPICS.findingsTopicArn, event, 'ocsf-own-product'),
        context,
        deps(),
      );

      expect(report).toMatchObject(refused(NOT_AWS_PRODUCT));
      await untouched(victim);
    });

    it('control: on the findings topic from GuardDuty’s product it is planned (dry run)', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onRunbook(
        snsEvent(TOPICS.findingsTopicArn, ocsfEvent(user).event, 'ocsf-findings'),
        context,
        deps({ dryRun: true }),
      );

      expect(report).toMatchObject({ outcome: 'planned', trigger: 'sns' });
      await untouched(user);
    });
  });

  describe('an actor whose key IAM says belongs to someone else', () => {
    it('attack sequence: actor named A carries B’s key → escalated, neither touched', async () => {
      const named = await seedUserWithKeys(endpoint.clients, 1);
      const owner = await seedUserWithKeys(endpoint.clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;
      const { event } = sequenceEvent(named, theirKey);

      const [report] = await onFinding(event, context, deps());

      expect(report).toMatchObject({
        outcome: 'escalated',
        accessKeyId: theirKey,
        actions: [],
        reason: expect.stringContaining(
          `the finding names user ${named.userName} but IAM says key ${theirKey} belongs to ${owner.userName}`,
        ),
      });
      await untouched(named, owner);
    });

    it('attack sequence: actor says A, the key resource says B, for one key → failed as ambiguous', async () => {
      const named = await seedUserWithKeys(endpoint.clients, 1);
      const owner = await seedUserWithKeys(endpoint.clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;
      const { event, sequence } = sequenceEvent(named, theirKey);
      sequence.resources[0].data.accessKey = {
        principalId: owner.userId,
        userName: owner.userName,
        userType: 'IAMUser',
      };

      const [report] = await onFinding(event, context, deps());

      expect(report).toMatchObject({
        outcome: 'failed',
        accessKeyId: theirKey,
        actions: [],
        errorCode: null,
        reason: expect.stringContaining(`names two principals for ${theirKey}`),
      });
      await untouched(named, owner);
    });

    it('OCSF: actor named A with B’s credential_uid → escalated, neither touched', async () => {
      const named = await seedUserWithKeys(endpoint.clients, 1);
      const owner = await seedUserWithKeys(endpoint.clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;

      const [report] = await onFinding(ocsfEvent(named, { key: theirKey }).event, context, deps());

      expect(report).toMatchObject({
        outcome: 'escalated',
        accessKeyId: theirKey,
        actions: [],
        reason: expect.stringMatching(/IAM says key .* belongs to/),
      });
      await untouched(named, owner);
    });
  });

  describe('FINDING_TYPES: findings about other resources, and mixed types', () => {
    function s3Finding(user: Seeded) {
      const event = loadEvent('guardduty-s3-finding.json');
      event.account = accountId;
      event.detail.accountId = accountId;
      event.detail.id = uniqueName('s3-finding');
      event.detail.resource.accessKeyDetails = {
        accessKeyId: user.accessKeyIds[0],
        principalId: user.userId,
        userName: user.userName,
        userType: 'IAMUser',
      };
      return event;
    }

    it('a GuardDuty S3 finding naming a key, default FINDING_TYPES: skipped, nothing changed', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onFinding(s3Finding(user), context, deps());

      expect(report).toMatchObject({
        outcome: 'skipped',
        actions: [],
        policy: { findingTypes: null },
        reason: expect.stringContaining(
          'no FINDING_TYPES pattern includes finding type UnauthorizedAccess:S3/TorIPCaller',
        ),
      });
      await untouched(user);
    });

    it('the same S3 finding over the findings topic: skipped, nothing changed', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onRunbook(
        snsEvent(TOPICS.findingsTopicArn, s3Finding(user), 's3-over-sns'),
        context,
        deps(),
      );

      expect(report).toMatchObject({ outcome: 'skipped', policy: { findingTypes: null } });
      await untouched(user);
    });

    it('an OCSF finding typed only as S3, default FINDING_TYPES: skipped, nothing changed', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);

      const [report] = await onFinding(
        ocsfEvent(user, { types: ['Recon:S3/Something'] }).event,
        context,
        deps(),
      );

      expect(report).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining(
          'no FINDING_TYPES pattern includes finding type Recon:S3/Something',
        ),
      });
      await untouched(user);
    });

    it.each([
      ['after', ['Recon:S3/Something', 'UnauthorizedAccess:IAMUser/X']],
      ['before', ['UnauthorizedAccess:IAMUser/X', 'Recon:S3/Something']],
    ])(
      'an IAMUser type %s an excluded S3 type: the exclusion wins across types, skipped, nothing changed',
      async (_label, types) => {
        const user = await seedUserWithKeys(endpoint.clients, 1);
        const config = { findingTypes: findingTypes('*:IAMUser/*,!*:S3/*') };

        const [report] = await onFinding(ocsfEvent(user, { types }).event, context, deps(config));

        expect(report).toMatchObject({
          outcome: 'skipped',
          actions: [],
          policy: { findingTypes: '!*:S3/*' },
          reason: expect.stringContaining(
            'FINDING_TYPES pattern !*:S3/* excludes finding type Recon:S3/Something',
          ),
        });
        await untouched(user);
      },
    );

    it('an IAMUser type after an S3 type, default FINDING_TYPES: any included type decides (dry run)', async () => {
      // decideFindingType includes a finding when ANY of its types matches an inclusion (after
      // no type matched an exclusion). OCSF types are the AWS product's own (BatchUpdateFindingsV2
      // cannot change them, and non-AWS products are refused above), so this is AWS's own
      // classification, pinned here so a change to the rule is seen.
      const user = await seedUserWithKeys(endpoint.clients, 1);
      const types = ['Recon:S3/Something', 'UnauthorizedAccess:IAMUser/X'];

      const [report] = await onFinding(
        ocsfEvent(user, { types }).event,
        context,
        deps({ dryRun: true }),
      );

      expect(report).toMatchObject({
        outcome: 'planned',
        policy: { findingTypes: '*:IAMUser/*' },
        finding: { type: 'Recon:S3/Something' },
      });
      await untouched(user);
    });
  });

  describe('sample findings in the new formats', () => {
    it('an attack sequence marked sample, naming a seeded key: skipped, nothing changed', async () => {
      const user = await seedUserWithKeys(endpoint.clients, 1);
      const { event } = sequenceEvent(user);
      event.detail.service.additionalInfo = { sample: true, type: 'default', value: '{}' };

      const [report] = await onFinding(event, context, deps());

      expect(report).toMatchObject({
        outcome: 'skipped',
        actions: [],
        reason: expect.stringMatching(/^sample finding/),
      });
      await untouched(user);
    });

    it.each([
      [
        'a GuardDuty placeholder as the actor’s name',
        (f: Record<string, any>) => {
          f.actor.user.name = 'GeneratedFindingUserName';
        },
      ],
      [
        'a GuardDuty placeholder as a type',
        (f: Record<string, any>) => {
          f.finding_info.types = [
            'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
            'GeneratedFindingType',
          ];
        },
      ],
    ])(
      'an OCSF finding with %s, naming a seeded key: skipped, nothing changed',
      async (_l, edit) => {
        const user = await seedUserWithKeys(endpoint.clients, 1);
        const { event, finding } = ocsfEvent(user);
        edit(finding);

        const [report] = await onFinding(event, context, deps());

        expect(report).toMatchObject({
          outcome: 'skipped',
          actions: [],
          reason: 'sample finding: nothing to contain',
        });
        await untouched(user);
      },
    );
  });
});

describe('attack sequences whose keys are read with guardduty:GetFindings (own stand-in)', () => {
  const ACCOUNT = '123456789012';
  const OTHER_ACCOUNT = '210987654321';
  const DETECTOR = 'exampledetector';
  const OTHER_DETECTOR = 'otherdetector';
  const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'integration-test' };

  let standIn: StandIn;
  let admin: StandInAdmin;
  let clients: AwsClients;

  beforeAll(async () => {
    standIn = await startStandIn({ port: 0 });
    admin = standInAdmin(standIn);
    clients = clientsAt(standIn.url, ADMIN);
    admin.guardDutyDetector(ACCOUNT, { id: DETECTOR });
    admin.guardDutyDetector(OTHER_ACCOUNT, { id: OTHER_DETECTOR });
  });
  afterAll(() => standIn.stop());
  beforeEach(() => standIn.resetCalls());

  function deps(config: Partial<Config> = {}): Deps {
    return {
      clients: clientsAt(standIn.url, ADMIN, 3),
      config: { ...TEST_CONFIG, ...config },
      logger: silent(),
    };
  }
  const untouched = (...users: Seeded[]) => expectUntouched(clients, ...users);
  const getFindingsCalls = () => standIn.calls.get('GetFindings') ?? 0;

  let serial = 0;
  /** A finding id no other test of the file uses (the detectors are shared). */
  const findingId = () => `underlying${String(++serial).padStart(5, '0')}`;

  const findingArn = (id: string, account = ACCOUNT, detector = DETECTOR) =>
    `arn:aws:guardduty:us-east-1:${account}:detector/${detector}/finding/${id}`;

  /** An underlying finding (GuardDuty's camelCase JSON) naming `key`, held by `holder` if given. */
  function keyFinding(id: string, key: string, holder?: Seeded, account = ACCOUNT) {
    return {
      id,
      arn: findingArn(id, account),
      accountId: account,
      region: 'us-east-1',
      type: 'Discovery:IAMUser/AnomalousBehavior',
      severity: 5,
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: holder
          ? {
              accessKeyId: key,
              principalId: holder.userId,
              userName: holder.userName,
              userType: 'IAMUser',
            }
          : { accessKeyId: key },
      },
    };
  }

  /** events/guardduty-attack-sequence-signals.json: `actor` named (no key), one FINDING signal. */
  function signalsEvent(actor: Seeded, signalUid: string) {
    const event = loadEvent('guardduty-attack-sequence-signals.json');
    event.detail.id = uniqueName('sequence');
    const sequence = event.detail.service.detection.sequence;
    sequence.actors[0].user.name = actor.userName;
    sequence.signals[0].uid = signalUid;
    return { event, sequence };
  }

  it('control: the actor’s own key in an underlying finding is planned (dry run)', async () => {
    const actor = await seedUserWithKeys(clients, 1);
    const [key = ''] = actor.accessKeyIds;
    const id = findingId();
    admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, key, actor)], { id: DETECTOR });

    const [report] = await onFinding(
      signalsEvent(actor, findingArn(id)).event,
      context,
      deps({ dryRun: true }),
    );

    expect(report).toMatchObject({ outcome: 'planned', accessKeyId: key });
    expect(getFindingsCalls()).toBe(1);
    await untouched(actor);
  });

  describe('a FINDING signal naming another account’s detector', () => {
    it.each([
      ['the event names no detector', undefined],
      ['the event names that detector too', OTHER_DETECTOR],
    ])(
      '%s: GuardDuty refuses (not owned by the caller), escalated, nothing changed',
      async (_label, detectorId) => {
        const victim = await seedUserWithKeys(clients, 1);
        const [key = ''] = victim.accessKeyIds;
        const id = findingId();
        // The other account's detector holds a finding naming a key of the responder's account.
        admin.addGuardDutyFindings(OTHER_ACCOUNT, [keyFinding(id, key, victim, OTHER_ACCOUNT)], {
          id: OTHER_DETECTOR,
        });
        const { event } = signalsEvent(victim, findingArn(id, OTHER_ACCOUNT, OTHER_DETECTOR));
        if (detectorId === undefined) delete event.detail.service.detectorId;
        else event.detail.service.detectorId = detectorId;

        const reports = await onFinding(event, context, deps());

        expect(reports).toEqual([
          expect.objectContaining({
            outcome: 'escalated',
            accessKeyId: null,
            actions: [],
            errorCode: 'BadRequest',
            reason: expect.stringContaining(
              `GetFindings on detector ${OTHER_DETECTOR} failed (BadRequest)`,
            ),
          }),
        ]);
        expect(getFindingsCalls()).toBe(1);
        await untouched(victim);
      },
    );

    it('the event names the responder’s detector: the id is looked up there only, escalated, nothing changed', async () => {
      const victim = await seedUserWithKeys(clients, 1);
      const [key = ''] = victim.accessKeyIds;
      const id = findingId();
      admin.addGuardDutyFindings(OTHER_ACCOUNT, [keyFinding(id, key, victim, OTHER_ACCOUNT)], {
        id: OTHER_DETECTOR,
      });
      const { event } = signalsEvent(victim, findingArn(id, OTHER_ACCOUNT, OTHER_DETECTOR));

      const reports = await onFinding(event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: null,
          actions: [],
          reason: expect.stringContaining(
            'none of the 1 findings its signals name carries an access key id',
          ),
        }),
      ]);
      await untouched(victim);
    });
  });

  describe('an underlying finding naming a key of a user the sequence’s actors do not include', () => {
    it('named, and IAM agrees on the owner: escalated, neither touched', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const owner = await seedUserWithKeys(clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;
      const id = findingId();
      admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, theirKey, owner)], { id: DETECTOR });

      const reports = await onFinding(signalsEvent(actor, findingArn(id)).event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: theirKey,
          actions: [],
          reason: expect.stringContaining(
            `names ${theirKey} of IAMUser ${owner.userName}, who is not among the sequence's actors (IAMUser ${actor.userName})`,
          ),
        }),
      ]);
      await untouched(actor, owner);
    });

    it('with no holder named: escalated, neither touched', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const owner = await seedUserWithKeys(clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;
      const id = findingId();
      admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, theirKey)], { id: DETECTOR });

      const reports = await onFinding(signalsEvent(actor, findingArn(id)).event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: theirKey,
          actions: [],
          reason: expect.stringContaining(`names ${theirKey} of an unnamed principal`),
        }),
      ]);
      await untouched(actor, owner);
    });

    it('naming the actor but holding another user’s key: escalated, neither touched', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const owner = await seedUserWithKeys(clients, 1);
      const [theirKey = ''] = owner.accessKeyIds;
      const id = findingId();
      admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, theirKey, actor)], { id: DETECTOR });

      const reports = await onFinding(signalsEvent(actor, findingArn(id)).event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: theirKey,
          actions: [],
          reason: expect.stringContaining(
            `the finding names user ${actor.userName} but IAM says key ${theirKey} belongs to ${owner.userName}`,
          ),
        }),
      ]);
      await untouched(actor, owner);
    });
  });

  describe('a sequence with very many FINDING signals', () => {
    it('5000 signals: refused as invalid without a GetFindings call, nothing changed', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const { event, sequence } = signalsEvent(actor, findingId());
      sequence.signals = Array.from({ length: 5000 }, (_, i) => ({
        uid: `many${i}`,
        type: 'FINDING',
      }));

      const reports = await onFinding(event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          accessKeyId: null,
          actions: [],
          errorCode: null,
          reason: expect.stringContaining('not a valid attack sequence'),
        }),
      ]);
      expect(getFindingsCalls()).toBe(0);
      await untouched(actor);
    });

    it(`the most the schema takes (500): at most ${MAX_SIGNAL_FINDINGS} ids read, a key beyond them is not acted on`, async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const [key = ''] = actor.accessKeyIds;
      const ids = Array.from({ length: 500 }, () => findingId());
      // Only a finding past the cap names a key (the actor's own: it would be contained if read).
      const beyond = ids[450] ?? '';
      admin.addGuardDutyFindings(ACCOUNT, [keyFinding(beyond, key, actor)], { id: DETECTOR });
      const { event, sequence } = signalsEvent(actor, findingArn(ids[0] ?? ''));
      sequence.signals = ids.map((id) => ({ uid: findingArn(id), type: 'FINDING' }));

      const reports = await onFinding(event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: null,
          actions: [],
          reason: expect.stringContaining(
            `none of the ${MAX_SIGNAL_FINDINGS} findings its signals name carries an access key id`,
          ),
        }),
      ]);
      // The stand-in refuses more than 50 ids a call, so this many calls read at most the cap.
      expect(getFindingsCalls()).toBeGreaterThan(0);
      expect(getFindingsCalls()).toBeLessThanOrEqual(Math.ceil(MAX_SIGNAL_FINDINGS / 50));
      await untouched(actor);
    });
  });

  describe('samples', () => {
    it('a sequence marked sample whose underlying finding names the actor’s key: skipped unread, nothing changed', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const [key = ''] = actor.accessKeyIds;
      const id = findingId();
      admin.addGuardDutyFindings(ACCOUNT, [keyFinding(id, key, actor)], { id: DETECTOR });
      const { event } = signalsEvent(actor, findingArn(id));
      event.detail.service.additionalInfo = { sample: true };

      const reports = await onFinding(event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'skipped',
          actions: [],
          reason: expect.stringMatching(/^sample finding/),
        }),
      ]);
      expect(getFindingsCalls()).toBe(0);
      await untouched(actor);
    });

    it('an underlying finding with GuardDuty placeholders beside a real key: ignored, escalated, nothing changed', async () => {
      const actor = await seedUserWithKeys(clients, 1);
      const [key = ''] = actor.accessKeyIds;
      const id = findingId();
      const placeholder = keyFinding(id, key, actor);
      placeholder.resource.accessKeyDetails = {
        accessKeyId: key,
        principalId: 'GeneratedFindingPrincipalId',
        userName: 'GeneratedFindingUserName',
        userType: 'IAMUser',
      };
      admin.addGuardDutyFindings(ACCOUNT, [placeholder], { id: DETECTOR });

      const reports = await onFinding(signalsEvent(actor, findingArn(id)).event, context, deps());

      expect(reports).toEqual([
        expect.objectContaining({
          outcome: 'escalated',
          accessKeyId: null,
          actions: [],
          reason: expect.stringContaining('none of the 1 findings its signals name carries'),
        }),
      ]);
      expect(getFindingsCalls()).toBe(1);
      await untouched(actor);
    });
  });
});
