import { applyTags, tagsXml } from './entities';
import {
  deleteConflict,
  entityAlreadyExists,
  invalidInput,
  limitExceeded,
  malformedPolicy,
  noSuchEntity,
} from './errors';
import type { Handler, RequestContext } from './handler';
import { uniqueId } from './ids';
import { RULES } from './params';
import { parsePolicy, policySize } from './policy';
import type { ManagedPolicy, PolicyVersion } from './state';
import type { XmlObject } from './xml';

/** IAM's quotas for customer managed policies ("IAM and AWS STS quotas", IAM User Guide). */
const MAX_DOCUMENT_SIZE = 6144;
const MAX_VERSIONS = 5;

/** A policy ARN of any partition and account (`aws` for AWS managed ones), else InvalidInput. */
const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/./;

export const attachmentCount = (policy: ManagedPolicy) =>
  policy.attachedRoles.size + policy.attachedUsers.size;

/**
 * The policy `PolicyArn` names in the caller's account. Attach words a missing policy its own
 * way, hence `missing`. AWS managed policies are not modelled: their ARNs are never found.
 */
export function findPolicy(
  ctx: RequestContext,
  missing = (arn: string) => `Policy ${arn} was not found.`,
): ManagedPolicy {
  const arn = ctx.params.required('PolicyArn', RULES.policyArn);
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const policy = ctx.account.managedPolicies.get(arn);
  if (!policy) throw noSuchEntity(missing(arn));
  return policy;
}

/** Managed policy documents must be JSON and count at most 6,144 characters besides white space. */
function documentOf(ctx: RequestContext): string {
  const document = ctx.params.required('PolicyDocument', RULES.policyDocument);
  if (!parsePolicy(document)) throw malformedPolicy('Syntax errors in policy.');
  if (policySize(document) > MAX_DOCUMENT_SIZE) {
    throw limitExceeded(`Cannot exceed quota for PolicySize: ${MAX_DOCUMENT_SIZE}`);
  }
  return document;
}

/** ListPolicies leaves out the description and tags; CreatePolicy and GetPolicy give them. */
function policyXml(policy: ManagedPolicy, detail: 'list' | 'full'): XmlObject {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(policy),
    // Permissions boundaries are not modelled.
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: detail === 'full' ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: detail === 'full' ? tagsXml(policy.tags) : undefined,
  };
}

/** Only GetPolicyVersion returns the document, URL-encoded (RFC 3986) as IAM returns all. */
function versionXml(policy: ManagedPolicy, version: PolicyVersion, withDocument: boolean) {
  return {
    Document: withDocument ? encodeURIComponent(version.document) : undefined,
    VersionId: version.id,
    IsDefaultVersion: version.id === policy.defaultVersionId,
    CreateDate: version.createDate,
  };
}

function findVersion(ctx: RequestContext, policy: ManagedPolicy): PolicyVersion {
  const id = ctx.params.required('VersionId', RULES.policyVersionId);
  const version = policy.versions.get(id);
  if (!version) {
    throw noSuchEntity(`Policy ${policy.arn} version ${id} does not exist or is not attachable.`);
  }
  return version;
}

const createPolicy: Handler = (ctx) => {
  const { params, account, now } = ctx;
  const name = params.required('PolicyName', RULES.policyName);
  const path = params.string('Path', RULES.path) ?? '/';
  const description = params.string('Description', RULES.description);
  const tags = applyTags([], params.tags(), 'Policy');
  const document = documentOf(ctx);
  // Unique in the account whatever the path, and not distinguished by case.
  const lower = name.toLowerCase();
  if ([...account.managedPolicies.values()].some((p) => p.name.toLowerCase() === lower)) {
    throw entityAlreadyExists(
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
    );
  }
  const policy: ManagedPolicy = {
    name,
    path,
    id: uniqueId('ANPA'),
    arn: `arn:aws:iam::${account.id}:policy${path}${name}`,
    description,
    tags,
    createDate: now,
    updateDate: now,
    versions: new Map([['v1', { id: 'v1', document, createDate: now }]]),
    defaultVersionId: 'v1',
    nextVersion: 2,
    attachedRoles: new Set(),
    attachedUsers: new Set(),
  };
  account.managedPolicies.set(policy.arn, policy);
  return { Policy: policyXml(policy, 'full') };
};

const getPolicy: Handler = (ctx) => ({ Policy: policyXml(findPolicy(ctx), 'full') });

/** IAM deletes only a bare policy: detached, with its default version left alone. */
const deletePolicy: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  if (attachmentCount(policy) > 0) {
    throw deleteConflict('Cannot delete a policy attached to entities.');
  }
  if (policy.versions.size > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  ctx.account.managedPolicies.delete(policy.arn);
  return undefined;
};

/** The stand-in holds no AWS managed policies, so `Scope=AWS` lists none. */
const listPolicies: Handler = ({ params, account }) => {
  const scope = params.string('Scope', { values: ['All', 'AWS', 'Local'] }) ?? 'All';
  const onlyAttached = params.string('OnlyAttached', RULES.boolean) === 'true';
  const prefix = params.string('PathPrefix', RULES.path) ?? '/';
  const policies = [...account.managedPolicies.values()]
    .filter((p) => scope !== 'AWS' && p.path.startsWith(prefix))
    .filter((p) => !onlyAttached || attachmentCount(p) > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { Policies: policies.map((p) => policyXml(p, 'list')), IsTruncated: false };
};

const createPolicyVersion: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  const document = documentOf(ctx);
  const setAsDefault = ctx.params.string('SetAsDefault', RULES.boolean) === 'true';
  if (policy.versions.size >= MAX_VERSIONS) {
    throw limitExceeded(
      `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
  const version = { id: `v${policy.nextVersion}`, document, createDate: ctx.now };
  policy.nextVersion += 1;
  policy.versions.set(version.id, version);
  policy.updateDate = ctx.now;
  if (setAsDefault) policy.defaultVersionId = version.id;
  return { PolicyVersion: versionXml(policy, version, false) };
};

const getPolicyVersion: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  return { PolicyVersion: versionXml(policy, findVersion(ctx, policy), true) };
};

/** Newest first, as in the CLI reference's example output (the API promises no order). */
const listPolicyVersions: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  const versions = [...policy.versions.values()].reverse();
  return { Versions: versions.map((v) => versionXml(policy, v, false)), IsTruncated: false };
};

/** The default version goes only with the policy itself (DeletePolicy). */
const deletePolicyVersion: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  const version = findVersion(ctx, policy);
  if (version.id === policy.defaultVersionId) {
    throw deleteConflict('Cannot delete the default version of a policy.');
  }
  policy.versions.delete(version.id);
  return undefined;
};

const setDefaultPolicyVersion: Handler = (ctx) => {
  const policy = findPolicy(ctx);
  policy.defaultVersionId = findVersion(ctx, policy).id;
  return undefined;
};

export const managedPolicyHandlers: Record<string, Handler> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  DeletePolicy: deletePolicy,
  ListPolicies: listPolicies,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
};
