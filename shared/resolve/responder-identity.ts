import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsCall } from '../errors';

export interface ResponderIdentity {
  accountId: string;
  arn: string;
}

// Who the responder is does not change within a container: asked once, then reused.
const cache = new WeakMap<STSClient, Promise<ResponderIdentity>>();
const known = new WeakMap<STSClient, ResponderIdentity>();

/** The identity if it is already known (warm container), without waiting. */
export function knownResponderIdentity(sts: STSClient): ResponderIdentity | undefined {
  return known.get(sts);
}

export function responderIdentity(sts: STSClient): Promise<ResponderIdentity> {
  let identity = cache.get(sts);
  if (!identity) {
    identity = awsCall('sts:GetCallerIdentity', () =>
      sts.send(new GetCallerIdentityCommand({})),
    ).then((out) => ({
      accountId: out.Account ?? '',
      arn: out.Arn ?? '',
    }));
    identity.then((value) => known.set(sts, value)).catch(() => undefined);
    // A failed lookup is not cached: the next incident asks again.
    identity.catch(() => cache.delete(sts));
    cache.set(sts, identity);
  }
  return identity;
}
