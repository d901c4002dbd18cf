// Records real wireguard-go debug logs of both ends of one lab scenario (src/dev/lab), for lab/recordings/:
//   node_modules/.bin/node scripts/lab-capture.ts SCENARIO SECONDS OUTDIR [NET] [--ipv6]
// SCENARIO: one of LAB_FAULTS in src/dev/lab/lab.ts. NET: third octet of the 10.99.NET.0/24 underlay (default 0), so
// recordings of several scenarios can be told apart by address as real clients would be; --ipv6 puts the underlay
// on fd99:0:NET::/64 instead. Needs root and wireguard-go/wireguard-tools; writes OUTDIR/SCENARIO.server.log and OUTDIR/SCENARIO.client.log.
import { LAB_SCENARIOS, Lab, isLabScenario, labAvailable } from '../src/dev/lab/lab.ts';

const args = process.argv.slice(2);
const ipv6 = args.includes('--ipv6');
const [scenario = '', seconds = '', out = '', net = '0'] = args.filter((a) => a !== '--ipv6');
const usage = `usage: lab-capture.ts SCENARIO SECONDS OUTDIR [NET] [--ipv6]\n  SCENARIO: ${LAB_SCENARIOS.join(' | ')}\n`;
if (!isLabScenario(scenario) || !/^\d+$/.test(seconds) || out === '' || !/^\d+$/.test(net)) {
  process.stderr.write(usage);
  process.exit(2);
}
const avail = labAvailable();
if (!avail.ok) {
  process.stderr.write(`${avail.why}\n`);
  process.exit(1);
}
const lab = await Lab.start({ scenario, net: Number(net), ...(ipv6 ? { ipv6: true } : {}), logDir: out });
try {
  // Pings from the client through the tunnel start the handshake and keep it retrying, as real traffic would.
  await lab.traffic(Number(seconds));
} finally {
  await lab.stop();
}
process.stderr.write(`wrote ${lab.server.logFile} and ${lab.client.logFile}\n`);
