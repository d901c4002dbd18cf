// Adversarial log lines of up to 1 MB, each shaped to make a careless pattern backtrack or a parser recurse:
// the unit test proves processLine's cost grows with their length, not its square; bench:budgets times them.
export const HOSTILE_LINES: readonly string[] = [
  `wireguard: wg0: Invalid handshake initiation from ${'1.'.repeat(200_000)}`,
  `wireguard: wg0: Handshake for peer 1 (${'['.repeat(100_000)}`,
  `DEBUG: (wg0) 2025/05/22 14:22:07 peer(${'a'.repeat(100_000)}`,
  `May 22 14:22:07 gw1 kernel: wireguard: ${'wg0: '.repeat(100_000)}`,
  `${'wireguard: '.repeat(50_000)}x`,
  'x'.repeat(1024 * 1024),
  `{"MESSAGE":"${'\\u0041'.repeat(200_000)}"}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  `peer(xTIB…p8Dg) - ${'Received handshake response '.repeat(20_000)}`,
  `2025-05-22T14:22:07.123456Z DEBUG boringtun::noise: ${'remote_idx=1 '.repeat(50_000)}`,
];
