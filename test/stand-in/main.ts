/**
 * Runs the stand-in until killed, for the demo or for pointing any AWS tool at it:
 *   tsx test/stand-in/main.ts [--port 4599] [--latency-ms 20] [--seed-demo]
 *     [--iam-write-rps 10] [--throttling 0.2] [--server-error 0.05] [--dropped 0.01] [--fault-seed 1]
 * --seed-demo creates the demo account that the files in events/ name (see demo-account.ts).
 * --iam-write-rps answers IAM writes beyond that rate with Throttling; the three probabilities
 * fail every request at random (see faults.ts), reproducibly for a given --fault-seed.
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4599 aws sts get-caller-identity
 */
import { parseArgs } from 'node:util';
import { DEMO, seedDemoAccount } from './demo-account';
import { standInAdmin, startStandIn } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4599' },
    'latency-ms': { type: 'string', default: '0' },
    'seed-demo': { type: 'boolean', default: false },
    'iam-write-rps': { type: 'string' },
    throttling: { type: 'string', default: '0' },
    'server-error': { type: 'string', default: '0' },
    dropped: { type: 'string', default: '0' },
    'fault-seed': { type: 'string', default: '1' },
  },
});

const number = (name: keyof typeof values) =>
  values[name] === undefined ? undefined : Number(values[name]);
const iamWriteRps = number('iam-write-rps');
const faults = {
  throttling: number('throttling') ?? 0,
  serverError: number('server-error') ?? 0,
  dropped: number('dropped') ?? 0,
  seed: number('fault-seed') ?? 1,
};
const anyFault = faults.throttling > 0 || faults.serverError > 0 || faults.dropped > 0;

const port = Number(values.port);
const latencyMs = Number(values['latency-ms']);
const probabilities = [faults.throttling, faults.serverError, faults.dropped];
if (
  !Number.isInteger(port) ||
  port < 0 ||
  port > 65535 ||
  !(latencyMs >= 0) ||
  (iamWriteRps !== undefined && !(iamWriteRps > 0)) ||
  !probabilities.every((p) => p >= 0 && p <= 1) ||
  !Number.isInteger(faults.seed)
) {
  console.error(
    'usage: tsx test/stand-in/main.ts [--port 4599] [--latency-ms 0] [--seed-demo] [--iam-write-rps N] [--throttling P] [--server-error P] [--dropped P] [--fault-seed N]',
  );
  process.exit(2);
}

// No top-level await: the package is CommonJS to tsx.
void startStandIn({ port, latencyMs }).then((standIn) => {
  const admin = standInAdmin(standIn);
  if (values['seed-demo']) {
    seedDemoAccount(admin);
    console.log(
      `seeded demo account ${DEMO.accountId}: the files in events/ name its keys and role`,
    );
  }
  // Set after seeding, so the demo account is never throttled or failed.
  admin.setIamWriteRps(iamWriteRps);
  if (anyFault) admin.setFaults(faults);
  console.log(`stand-in listening on ${standIn.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void standIn.stop().then(() => process.exit(0));
    });
  }
});
