// What the peer directory answers.

/** How the peer was identified. */
export type AttributionMethod = 'kernel-peer-id' | 'key-fragment' | 'public-key' | 'address' | 'dump' | 'inventory';

export interface Attribution {
  publicKey?: string;
  fragment?: string;
  peerId?: string;
  name?: string;
  owner?: string;
  device?: string;
  /** ip:port, [v6]:port. */
  endpoint?: string;
  /** Event time (epoch ms) the peer was last seen, or its latest handshake from a dump. */
  lastSeen?: number;
  method: AttributionMethod;
}

/** A peer as one host's logs name it. Without `iface`, every interface of the host is searched. */
export interface PeerRef {
  readonly host: string;
  readonly iface?: string;
  readonly id?: string;
  readonly fragment?: string;
  readonly publicKey?: string;
}

/** A host interface whose own key is the peer's key: the other end of the tunnel. */
export interface Counterpart {
  readonly host: string;
  readonly iface: string;
  readonly endpoint?: string;
  readonly source: 'inventory' | 'dump';
}
