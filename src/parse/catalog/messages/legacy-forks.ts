// Texts that only old releases or forks of the kernel module and of wireguard-go print, and that show up in
// pasted logs: AmneziaWG's kernel module (a WireGuard fork that adds junk packets before the handshake),
// wireguard-go's UAPI operation lines before 2020 and its pre-2021 stderr banner.
//
// The conventions are those of linux-kernel.ts and wireguard-go.ts: the kernel body follows "<iface>: "
// (`ifacePrefix`), the module name ("wireguard: ", "amneziawg: ") is stripped by the recogniser; wireguard-go's
// logger prefix is the envelope.
import { action } from '../presets.ts';
import type { MessageDef } from '../types.ts';

export const LEGACY_FORK_MESSAGES: readonly MessageDef[] = [
  {
    ...action('wireguard-junk-packets-sent'),
    id: 'kernel.handshake.junk_packets_sent',
    impl: 'linux-kernel',
    // As printed by amneziawg (format string inferred from the printed text: the peer number without "peer").
    format: '%s: Sending dummy junk packets to %llu (%pISpfsc)\n',
    pattern: String.raw`Sending dummy junk packets to {int:peer_id} \({endpoint}\)`,
    ifacePrefix: true,
    level: 'debug',
    direction: 'outbound',
    examples: [
      '[Thu Jan  8 02:32:29 2026] amneziawg: awg1: Sending dummy junk packets to 6 (IP1:52000)',
      '[ 8312.401877] amneziawg: awg0: Sending dummy junk packets to 3 (198.51.100.23:51820)',
    ],
    versions: 'AmneziaWG kernel module (amneziawg-linux-kernel-module); the upstream module has no junk packets.',
    notes: 'Printed right before each "Sending handshake initiation" when junk packets (Jc > 0) are configured: it is the obfuscation, not a failure. Both ends must agree on the junk and header parameters, or the peer drops the initiation without a word.',
  },
  {
    ...action('wireguard-config-queried'),
    id: 'go.legacy.uapi_get',
    impl: 'wireguard-go',
    format: 'UAPI: Get operation / UAPI: Processing get operation',
    // Both lines come from one `wg show`: ipcHandle logs "Get operation", ipcGetOperation "Processing get operation".
    pattern: 'UAPI: (?:Processing get|Get) operation',
    level: 'debug',
    direction: 'none',
    examples: [
      '2019-03-26 09:33:40.389338: [NET] UAPI: Processing get operation',
      'DEBUG: (wg0) 2018/12/19 00:14:21 UAPI: Get operation',
    ],
    versions: 'Releases of 2018 and early 2019, when the UAPI code was still in package main; later releases log no get operation.',
    notes: 'Someone or something read the configuration (wg show, a monitoring agent polling every few seconds).',
  },
  {
    ...action('wireguard-config-set-requested'),
    id: 'go.legacy.uapi_set',
    impl: 'wireguard-go',
    format: 'UAPI: Set operation',
    pattern: 'UAPI: Set operation',
    level: 'debug',
    direction: 'none',
    examples: ['DEBUG: (wg0) 2018/12/19 00:14:21 UAPI: Set operation'],
    versions: 'Releases of 2018 and early 2019; the "UAPI: Updating …" lines that follow say what was set.',
  },
  {
    ...action('wireguard-userspace-banner'),
    id: 'go.legacy.alpha_banner',
    unenveloped: true,
    impl: 'wireguard-go',
    format: 'WARNING WARNING WARNING WARNING WARNING WARNING WARNING / W   This is alpha software. It will very likely not   G / W   You are running this software on a Linux kernel,  G / ... / W                                                     G',
    // Every row of the box is 55 characters: "W", 53 characters that start with three spaces, "G"; the texts
    // changed between releases (alpha warning, "Furthermore, you are running…", "You are running…").
    pattern: String.raw`WARNING(?: WARNING){6}|W {3}[\x20-\x7e]{49} G`,
    level: 'warn',
    direction: 'none',
    examples: [
      'WARNING WARNING WARNING WARNING WARNING WARNING WARNING',
      'W                                                     G',
      'W   You are running this software on a Linux kernel,  G',
      'W   This is alpha software. It will very likely not   G',
      'W           https://www.wireguard.com/install         G',
      '>W   You are running this software on a Linux kernel,  G',
    ],
    versions: 'Releases up to 0.0.20201118 (2018: the alpha warning on every OS; 2019–2020: the Linux-kernel warning only); later releases print the box of go.main.kernel_banner.',
    notes: 'Written to stderr when wireguard-go runs on Linux in the background, so it has no log envelope: the host could use the kernel module instead.',
  },
];
