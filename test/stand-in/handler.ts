import type { Caller } from './auth';
import type { Params } from './params';
import type { Account, StandInState } from './state';
import type { XmlObject } from './xml';

export interface RequestContext {
  params: Params;
  caller: Caller;
  state: StandInState;
  /** The caller's own account: where IAM actions read and write. */
  account: Account;
  now: Date;
  /** The request's `Host` header (STS refuses AssumeRoot on its global endpoint). */
  host?: string;
}

/** Returns the `<Action>Result` content, or undefined for actions that answer metadata only. */
export type Handler = (ctx: RequestContext) => XmlObject | undefined;

export interface Service {
  namespace: string;
  version: string;
  handlers: Record<string, Handler>;
}
