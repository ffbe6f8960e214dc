/**
 * Runs the stand-in until killed, for the demo or for pointing any AWS tool at it:
 *   tsx test/stand-in/main.ts [--port 4599] [--latency-ms 20] [--seed-demo]
 * --seed-demo creates the demo account that the files in events/ name (see demo-account.ts).
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
  },
});

const port = Number(values.port);
const latencyMs = Number(values['latency-ms']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !(latencyMs >= 0)) {
  console.error('usage: tsx test/stand-in/main.ts [--port 4599] [--latency-ms 0] [--seed-demo]');
  process.exit(2);
}

// No top-level await: the package is CommonJS to tsx.
void startStandIn({ port, latencyMs }).then((standIn) => {
  if (values['seed-demo']) {
    seedDemoAccount(standInAdmin(standIn));
    console.log(
      `seeded demo account ${DEMO.accountId}: the files in events/ name its keys and role`,
    );
  }
  console.log(`stand-in listening on ${standIn.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void standIn.stop().then(() => process.exit(0));
    });
  }
});
