import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../shared/lambda-credentials';

/** What the deployed functions sign with: the role credentials Lambda puts in the environment. */
afterEach(() => vi.unstubAllEnvs());

describe("the functions' credentials", () => {
  it('are the Lambda role credentials from the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLELAMBDA001');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'lambda-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'lambda-session-token');

    expect(await defaultProvider()()).toMatchObject({
      accessKeyId: 'ASIAEXAMPLELAMBDA001',
      secretAccessKey: 'lambda-secret',
      sessionToken: 'lambda-session-token',
    });
  });

  it('fail clearly when the environment has none (no profile, SSO or IMDS is tried)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    await expect(defaultProvider()()).rejects.toThrow(
      /Unable to find environment variable credentials/,
    );
  });
});
