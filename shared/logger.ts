import { Logger } from '@aws-lambda-powertools/logger';

/** The one logger: structured JSON lines, one per decision, plus one audit line per incident. */
export const logger = new Logger({ serviceName: 'credential-responder' });
