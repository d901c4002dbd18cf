// Diagnoses for the WireGuard apps' own lines (src/parse/catalog/messages/apps.ts). Ids name the app, so they cannot
// collide with an implementation's table.
import type { DiagnosisDef } from '../types.ts';

export const APP_DIAGNOSES: readonly DiagnosisDef[] = [
  {
    id: 'tunsafe-tap-unavailable',
    summary: 'TunSafe could not open its TAP network adapter, so the tunnel has no interface and carries no traffic; it keeps retrying.',
    causes: [
      { text: 'The TunSafe-TAP driver is not installed, or its adapter was removed (error 0x2: the device file does not exist), often after a Windows feature update or an uninstall of another VPN that shared the TAP driver.', likelihood: 'likely' },
      { text: 'The adapter exists but is disabled in Network Connections, or another program (OpenVPN, another TunSafe instance) holds it open.', likelihood: 'possible' },
      { text: 'TunSafe runs without the rights to open the device (started as a normal user without its service).', likelihood: 'rare' },
    ],
    checks: [
      'Look in Device Manager > Network adapters for "TunSafe-TAP" (or a TAP-Windows adapter); if it is missing, reinstall TunSafe with its TAP driver.',
      'If it is there, check that it is enabled in ncpa.cpl and that no other VPN client is connected through it; then restart TunSafe as administrator.',
      'The error code is a Windows error: 0x2 file not found, 0x5 access denied, 0x1f device not functioning.',
    ],
  },
];
