// WireGuard public keys and the abbreviated form wireguard-go prints for them.

/**
 * 32 bytes in base64: 43 characters and one "=". The 43rd character carries only 4 bits of the key, so it can
 * only be one whose low 2 bits are zero.
 */
export const PUBLIC_KEY_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';
const PUBLIC_KEY_RE = new RegExp(PUBLIC_KEY_PATTERN);

/** Plain words for error messages, so whoever edits the inventory knows what to paste. */
export const PUBLIC_KEY_RULE = 'not a WireGuard public key (44 base64 characters ending in "=")';

export function isPublicKey(s: string): boolean {
  return s.length === 44 && PUBLIC_KEY_RE.test(s);
}

/** wireguard-go's peer name: the first 4 characters, U+2026, the 4 before the trailing "=". */
export function keyFragment(publicKey: string): string {
  return `${publicKey.slice(0, 4)}\u2026${publicKey.slice(39, 43)}`;
}
