import type { AwsClients } from '../aws-clients';

/** What an action found in place instead of writing: a sentence for the report. */
export interface FoundInPlace {
  found: string;
}

/**
 * One containment action: what it needs, what it does, how it checks itself. Declaring the IAM
 * permissions here lets a test prove the deployed role grants exactly what the actions use.
 */
export interface ContainmentAction<Params> {
  readonly name: string;
  readonly permissions: readonly string[];
  /** The resource acted on, as a person would name it in a report. */
  target(params: Params): string;
  /**
   * The containing write. Returns a sentence for the report, or what it found in place instead of
   * writing (when a check before a retry shows the write is no longer needed).
   */
  apply(params: Params, clients: AwsClients): Promise<string | FoundInPlace>;
  /** Reads the write back. IAM is eventually consistent, so a miss here is reported, not retried. */
  verify(params: Params, clients: AwsClients): Promise<{ ok: boolean; detail: string }>;
}
