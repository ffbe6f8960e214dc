import type { Report } from './report/report';
import type { Intake } from './request';
import { type Deps, respond } from './respond';

/** Incidents of one event, one after another, each with its own log keys. */
export async function respondAll(intakes: Intake[], deps: Deps): Promise<Report[]> {
  const reports: Report[] = [];
  for (const intake of intakes) {
    reports.push(await respond(intake, deps));
    deps.logger.resetKeys();
  }
  return reports;
}
