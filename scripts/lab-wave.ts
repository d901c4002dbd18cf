// Records the concurrency wave (src/dev/lab/wave.ts) for lab/recordings/wave/:
//   node_modules/.bin/node scripts/lab-wave.ts SECONDS OUTDIR [NET]
// Brings every host of the wave up, pings through every tunnel at once for SECONDS (≤ 100), and writes
//   OUTDIR/<host>.log          each host's wireguard-go debug log (LOG_LEVEL=debug), as wireguard-go wrote it
//   OUTDIR/<host>.peers.jsonl  what `wg-siem collect` published for that host every 5 s (src/source/collect: `wg show all
//                              dump` without private or preshared keys), one record a line
//   OUTDIR/manifest.json       each tunnel: client host, server host, fault, the root cause a diagnosis should state
// then checks that no private or preshared key of the run appears in any file written (and removes them if one
// does). NET: third octet of the 10.99.NET.0/24 underlay (default 10). Needs root and wireguard-go/wireguard-tools.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { PeerCollector } from '../src/source/collect/collector.ts';
import { labAvailable } from '../src/dev/lab/lab.ts';
import { Wave } from '../src/dev/lab/wave.ts';

// wireguard-go stamps its lines in local time; the recordings are read as UTC.
process.env.TZ = 'UTC';
const [seconds = '', out = '', net = '10'] = process.argv.slice(2);
if (!/^\d+$/.test(seconds) || Number(seconds) > 100 || out === '' || !/^\d+$/.test(net)) {
  process.stderr.write('usage: lab-wave.ts SECONDS OUTDIR [NET]   (SECONDS ≤ 100)\n');
  process.exit(2);
}
const avail = labAvailable();
if (!avail.ok) {
  process.stderr.write(`${avail.why}\n`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f.endsWith('.log') || f.endsWith('.peers.jsonl') || f === 'manifest.json') rmSync(join(out, f));

const INTERVAL_MS = 5000;
const log = pino({ level: 'warn' });
const started = new Date();
const wave = await Wave.start({ net: Number(net), logDir: out });
let secrets: string[] = [];
try {
  secrets = wave.secrets();
  const stop = new AbortController();
  const collectors = wave.hosts.map((h) => new PeerCollector({
    command: [...h.wg, 'show', 'all', 'dump'], host: h.host, timeoutMs: 5000, staleAfterMs: 300_000, log,
    publish: (_record, snapshot) => { appendFileSync(join(out, `${h.host}.peers.jsonl`), `${JSON.stringify(snapshot)}\n`); return Promise.resolve(); },
  }));
  const running = collectors.map((c) => c.run(INTERVAL_MS, stop.signal));
  // Pings from every client at once start the handshakes at the same moment and keep them retrying.
  await wave.traffic(Number(seconds));
  stop.abort();
  await Promise.all(running);
  // One last snapshot of each host as the traffic ends.
  await Promise.all(collectors.map((c) => c.poll()));
} finally {
  await wave.stop();
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(wave.manifest({ recorded_at: started.toISOString(), traffic_seconds: Number(seconds) }), null, 2)}\n`);

// No private or preshared key may be in the recording.
const files = readdirSync(out).filter((f) => f.endsWith('.log') || f.endsWith('.peers.jsonl') || f === 'manifest.json');
const leaked = files.filter((f) => { const text = readFileSync(join(out, f), 'utf8'); return secrets.some((k) => text.includes(k)); });
if (secrets.length === 0 || leaked.length > 0) {
  for (const f of files) rmSync(join(out, f));
  process.stderr.write(secrets.length === 0 ? 'no keys were read to check against: nothing kept\n' : `a private or preshared key is in ${leaked.join(', ')}: removed the recording\n`);
  process.exit(1);
}
process.stderr.write(`wrote ${files.length} files to ${out} (${wave.hosts.length} hosts, ${wave.tunnels.length} tunnels); none holds any of the ${secrets.length} private or preshared keys of the run\n`);
