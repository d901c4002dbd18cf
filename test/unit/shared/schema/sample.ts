// A complete, valid logs-wireguard.log document, typed with the generated type: if the types and the schema
// drift apart, either this file stops compiling or the validation test fails.
import type { WgAlertDoc } from '../../../../src/shared/schema/generated/alert.ts';
import type { WgEventDoc } from '../../../../src/shared/schema/generated/event.ts';

export function sampleEvent(): WgEventDoc {
  return {
    '@timestamp': '2025-03-04T05:06:07.123456789+01:00',
    ecs: { version: '9.4.0' },
    message: 'wg0: Invalid handshake initiation from 203.0.113.7:51820',
    tags: ['wireguard'],
    labels: { site: 'fra1' },
    event: {
      kind: 'event',
      category: ['network', 'authentication'],
      type: ['connection', 'denied'],
      action: 'wireguard-handshake-initiation-invalid',
      outcome: 'failure',
      dataset: 'wireguard.log',
      module: 'wireguard',
      provider: 'kernel',
      id: 'b7f0c1d2',
      severity: 4,
      risk_score: 21.5,
      original: '<4>[12345.678] wireguard: wg0: Invalid handshake initiation from 203.0.113.7:51820',
      created: '2025-03-04T04:06:07.200Z',
      ingested: '2025-03-04T04:06:07.300Z',
      sequence: 42,
      duration: 0,
    },
    host: { name: 'gw1', hostname: 'gw1.example.net' },
    observer: { type: 'vpn', vendor: 'WireGuard', product: 'wireguard-linux', ingress: { interface: { name: 'wg0' } } },
    source: { ip: '203.0.113.7', port: 51820, address: '203.0.113.7' },
    related: { ip: ['203.0.113.7', '2001:db8::1'], hosts: ['gw1'] },
    network: { transport: 'udp', type: 'ipv4', protocol: 'wireguard', direction: 'inbound' },
    log: { level: 'warning', logger: 'kernel', syslog: { facility: { code: 0, name: 'kern' }, severity: { code: 4, name: 'warning' } } },
    process: { name: 'kernel', pid: 0 },
    service: { type: 'wireguard', version: '1.0.20220627' },
    error: { code: '-22' },
    data_stream: { type: 'logs', dataset: 'wireguard.log', namespace: 'default' },
    wireguard: {
      implementation: 'kernel',
      envelope: 'dmesg',
      message: { id: 'kernel.handshake.initiation_invalid', family: 'handshake-failure' },
      peer: { id: '7', key_fragment: 'xTIB…p8Dg', endpoint: '203.0.113.7:51820' },
      handshake: { attempt: 3, sender_index: 4294967295, receiver_index: 1, initiator_time: '2025-03-04T05:06:00+01:00', clock_skew_s: -7.5 },
      inner: { source: { ip: '10.0.0.2' }, destination: { ip: 'fd00:0000:0000:0000:0000:0000:0000:0001' } },
      rate_limited: true,
      packet: { counter: 123, counter_max: 456 },
      detail: 'x',
      uptime_s: 12345.678,
      diagnosis: { id: 'handshake.invalid' },
    },
  };
}

export function sampleAlert(): WgAlertDoc {
  return {
    '@timestamp': '2025-03-04T05:10:00Z',
    ecs: { version: '9.4.0' },
    message: '5 invalid handshakes from 203.0.113.7 in 5 minutes',
    event: { kind: 'alert', category: ['intrusion_detection'], type: ['indicator'], dataset: 'wireguard.alert' },
    rule: { id: 'wg-handshake-flood', name: 'Handshake flood', author: ['wg-siem'], description: 'Many invalid handshakes from one source.' },
    data_stream: { type: 'logs', dataset: 'wireguard.alert', namespace: 'default' },
    wireguard: { alert: { count: 5, status: 'open', group_key: '203.0.113.7', sample_event_ids: ['b7f0c1d2'] } },
  };
}
