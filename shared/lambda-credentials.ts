import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles (serverless.yml,
 * `custom.esbuild.alias`). Lambda gives a function its role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), so the SDK's whole
 * default chain — profiles, SSO, web identity with its own STS client, IMDS — is dead weight in
 * every function: about 30 KiB of each zip and its load time. Member-account clients get their
 * credentials explicitly and never use this. `osls invoke local` bundles the same way: export
 * credentials in the environment (README, "Locally").
 */
export const defaultProvider: typeof import('@aws-sdk/credential-provider-node').defaultProvider = (
  init,
) => fromEnv(init);
