// The peer-directory flood that the unit test (memory, what is learned) and bench:budgets (time) both run: a
// directory that knows alice, and a handshake line naming no peer whose source address is spoofed anew each step.
import { parseInventory } from '../../../src/enrich/inventory.ts';
import { PeerDirectory } from '../../../src/enrich/peer-directory.ts';
import type { WgEventDoc } from '../../../src/shared/schema/generated/event.ts';
import { ALICE, event, kernel } from './helpers.ts';

export function floodDirectory(): PeerDirectory {
  return new PeerDirectory({ maxEntries: 1000, inventory: parseInventory(`peers:\n  - { public_key: ${ALICE}, name: alice }\n`, 'flood') });
}

export interface SpoofedHandshake {
  readonly doc: WgEventDoc;
  /** Moves the line to the i-th spoofed source address: 2^24 addresses, a new port every 1024 of them. */
  readonly spoof: (i: number) => void;
}

export function spoofedHandshake(): SpoofedHandshake {
  const doc = event(kernel('gw1', 'wg0: Invalid handshake initiation from 203.0.113.77:41641'));
  const { source } = doc;
  const peer = doc.wireguard?.peer;
  if (!source || !peer) throw new Error('the spoofed handshake line did not parse');
  return {
    doc,
    spoof: (i) => {
      const ip = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
      source.ip = ip;
      source.port = 1024 + (i >>> 10);
      peer.endpoint = ip;
    },
  };
}
