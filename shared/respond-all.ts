import { sequenceIntakes } from './intake/sequence-findings';
import type { Report } from './report/report';
import type { Intake } from './request';
import { type Deps, respond } from './respond';

/**
 * Incidents of one event, one after another, each with its own log keys. An attack sequence whose
 * keys are only in its underlying findings becomes its incidents first.
 */
export async function respondAll(intakes: Intake[], deps: Deps): Promise<Report[]> {
  const reports: Report[] = [];
  for (const intake of intakes) {
    const resolved =
      intake.kind === 'lookup' ? await sequenceIntakes(intake.lookup, deps) : [intake];
    for (const one of resolved) {
      reports.push(await respond(one, deps));
      deps.logger.resetKeys();
    }
  }
  return reports;
}
