// Records real wireguard-go debug logs of both ends of one lab scenario (src/lab), for lab/recordings/:
//   node_modules/.bin/node scripts/lab-capture.ts SCENARIO SECONDS OUTDIR [NET]
// SCENARIO: one of LAB_FAULTS in src/lab/lab.ts. NET: third octet of the 10.99.NET.0/24 underlay (default 0), so
// recordings of several scenarios can be told apart by address as real clients would be. Needs root and
// wireguard-go/wireguard-tools; writes OUTDIR/SCENARIO.server.log and OUTDIR/SCENARIO.client.log.
import { LAB_SCENARIOS, Lab, labAvailable, type LabScenario } from '../src/lab/lab.ts';

const [scenario = '', seconds = '', out = '', net = '0'] = process.argv.slice(2);
const usage = `usage: lab-capture.ts SCENARIO SECONDS OUTDIR [NET]\n  SCENARIO: ${LAB_SCENARIOS.join(' | ')}\n`;
if (!LAB_SCENARIOS.includes(scenario as LabScenario) || !/^\d+$/.test(seconds) || out === '') {
  process.stderr.write(usage);
  process.exit(2);
}
const avail = labAvailable();
if (!avail.ok) {
  process.stderr.write(`${avail.why}\n`);
  process.exit(1);
}
const lab = await Lab.start({ scenario: scenario as LabScenario, net: Number(net), logDir: out });
try {
  // Pings from the client through the tunnel start the handshake and keep it retrying, as real traffic would.
  await lab.traffic(Number(seconds));
} finally {
  await lab.stop();
}
process.stderr.write(`wrote ${lab.server.logFile} and ${lab.client.logFile}\n`);
