// Diagnoses for what programs embedding wireguard-go report about WireGuard in their own words.
import type { DiagnosisDef } from '../types.ts';

export const EMBEDDER_DIAGNOSES: readonly DiagnosisDef[] = [
  {
    id: 'embedder-handshake-stale',
    summary: 'The program watching this WireGuard peer saw no new handshake in time and gave up on the connection (it will try to reconnect, often through a relay).',
    causes: [
      { text: 'UDP between the two ends is blocked or the NAT mapping expired: the direct (P2P) path stopped working while the signalling path still works.', likelihood: 'likely' },
      { text: 'The remote peer went offline, slept, or restarted its client.', likelihood: 'likely' },
      { text: 'The two ends disagree on keys or allowed IPs after a configuration change, so handshakes are ignored.', likelihood: 'possible' },
      { text: 'The local WireGuard interface was reconfigured or recreated under the watcher.', likelihood: 'rare' },
    ],
    checks: [
      'Compare the last-handshake time in the message with now: minutes old means the path died, a zero time (0001-01-01) means no handshake ever completed.',
      'On both ends: `wg show` (or the client\'s status command, e.g. `netbird status -d`) for the peer\'s latest handshake, endpoint and transfer counters.',
      'Check that UDP to the peer\'s endpoint is allowed by firewalls on both sides and that no NAT drops idle mappings (persistent keepalive helps).',
      'Look at the lines that follow: a switch to a relayed connection confirms a direct-path problem.',
    ],
  },
];
