import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * Every setting the responder reads from its environment, validated once. A bad value fails
 * the invocation with the variable's name rather than acting on a guess.
 */
const configSchema = z.object({
  REVOCATION_MARGIN_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
});

export interface Config {
  /** Seconds added to "now" for a revocation cutoff, to cover IAM's propagation delay. */
  revocationMarginSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return { revocationMarginSeconds: parsed.data.REVOCATION_MARGIN_SECONDS };
}
