// Diagnoses for the messages of src/parse/catalog/messages/platforms.ts: FreeBSD's if_wg, router firmware (OPNsense,
// OpenWrt, Keenetic) and wireguard-tools' own complaints (wg-quick, wg).
import type { DiagnosisDef } from '../types.ts';

export const PLATFORM_DIAGNOSES = [
  {
    id: 'keenetic-config-invalid-value',
    summary: 'The Keenetic router refused a WireGuard interface setting: the value is outside what its firmware accepts, so the interface keeps its old configuration.',
    causes: [
      { text: 'An AmneziaWG obfuscation value (H1–H4 header ranges, S1/S2 padding, Jc/Jmin/Jmax junk packets) copied from a client or generator that uses ranges or limits this firmware does not support.', likelihood: 'likely' },
      { text: 'Firmware older than the configuration: range syntax ("a-b") for H1–H4 only exists in newer NDMS releases.', likelihood: 'possible' },
      { text: 'A typo or stray character in the value (quotes, spaces) after editing the configuration by hand.', likelihood: 'rare' },
    ],
    checks: [
      'In the CLI: `show running-config` and look at the `wireguard asc` line of the interface named in the message.',
      'Compare the value with the server\'s configuration: H1–H4 must match on both ends and must not overlap each other.',
      'Check the NDMS version (`show version`) against the release notes for AmneziaWG parameter support; update the firmware or use single values.',
    ],
  },
  {
    id: 'freebsd-send-failed',
    summary: 'FreeBSD\'s WireGuard driver could not send a packet to a peer; the number is the system\'s error code.',
    causes: [
      { text: 'No route to the peer\'s endpoint or the outside interface is down (51 ENETUNREACH, 65 EHOSTUNREACH, 50 ENETDOWN), e.g. while the WAN reconnects.', likelihood: 'likely' },
      { text: 'The endpoint\'s address family is not usable on this host (47 EAFNOSUPPORT): an IPv6 endpoint without IPv6 connectivity, or the interface\'s socket bound to one family only.', likelihood: 'possible' },
      { text: 'The source address the driver remembered is gone (49 EADDRNOTAVAIL) after a WAN address change; it is cleared on the next handshake retry.', likelihood: 'possible' },
      { text: 'Out of mbufs (55 ENOBUFS) under heavy load.', likelihood: 'rare' },
    ],
    checks: [
      'Decode the number: `grep -w <N> /usr/include/sys/errno.h`.',
      '`wg show <iface> endpoints` and `route -n get <endpoint address>`: is there a route, over which interface?',
      'On OPNsense: System > Gateways — is the WAN gateway up; was the WAN address renewed at that time?',
      'For ENOBUFS: `netstat -m` for denied mbuf requests.',
    ],
  },
  {
    id: 'opnsense-gateway-address-invalid',
    summary: 'OPNsense set up the WireGuard instance but found no usable gateway address for it, so it could not configure the gateway (routing through this tunnel or gateway monitoring may not work).',
    causes: [
      { text: 'The instance\'s gateway in System > Gateways has no address or "dynamic" and the tunnel has none to offer; WireGuard interfaces never learn a gateway by themselves.', likelihood: 'likely' },
      { text: 'The instance has no Tunnel Address, or the WireGuard interface is not assigned, so there is no address to derive a gateway from.', likelihood: 'possible' },
      { text: 'Harmless when nothing routes through this tunnel by gateway (road-warrior server): the message is then informational.', likelihood: 'possible' },
    ],
    checks: [
      'VPN > WireGuard > Instances: does the instance have a Tunnel Address (and Gateway when routing through it)?',
      'System > Gateways > Configuration: the gateway on this WireGuard interface should have the far end\'s tunnel address as its IP.',
      'After fixing: restart the instance and look for "ROUTING: entering configure" without the complaint.',
    ],
  },
  {
    id: 'opnsense-interface-address-missing',
    summary: 'OPNsense could not find an address of the needed family on the WireGuard interface while configuring its gateway, and skipped that gateway.',
    causes: [
      { text: 'The instance has no Tunnel Address of that family (an IPv4 gateway on an IPv6-only tunnel, or the reverse).', likelihood: 'likely' },
      { text: 'The interface was still coming up when the gateway code ran (boot, instance restart); the next reconfigure finds the address.', likelihood: 'possible' },
      { text: 'The assigned interface is set to an IPv4/IPv6 configuration type that removes the address the instance gave it.', likelihood: 'rare' },
    ],
    checks: [
      '`ifconfig <wgN>`: does the interface have an address of the family named in the message?',
      'VPN > WireGuard > Instances: Tunnel Address of the instance; Interfaces > [assigned name]: IPv4/IPv6 Configuration Type should be None.',
      'System > Gateways: remove or fix the gateway of the missing family if it is not needed.',
    ],
  },
  {
    id: 'openwrt-proto-handler-failed',
    summary: 'A command in OpenWrt\'s WireGuard protocol handler failed while bringing the interface up, so the interface may not come up or may miss part of its configuration.',
    causes: [
      { text: 'A ubus object the handler calls is missing ("Not found"): the wireguard-tools or kmod-wireguard package is missing or out of step with netifd after an upgrade.', likelihood: 'likely' },
      { text: 'The WireGuard kernel module is not loaded, so the device could not be created and later calls find nothing.', likelihood: 'possible' },
      { text: 'An invalid option in /etc/config/network for this interface (private key, peer section) made an earlier step fail.', likelihood: 'possible' },
    ],
    checks: [
      '`opkg list-installed | grep -i wireguard` and `lsmod | grep wireguard`.',
      '`ifup <iface>; logread -e netifd` for the lines right before this one.',
      '`uci show network.<iface>` and its wireguard_<iface> peer sections.',
    ],
  },
  {
    id: 'wg-quick-userspace-fallback',
    summary: 'wg-quick found no WireGuard in the kernel and started the userspace implementation (wireguard-go) instead: the tunnel works, but slower and with more CPU, and it needs wireguard-go installed.',
    causes: [
      { text: 'The kernel has no WireGuard: a kernel older than 5.6 without the wireguard-dkms module, a container without the host\'s module, or a NAS/router kernel without it.', likelihood: 'likely' },
      { text: 'The module exists but did not load: not built for the running kernel after an upgrade (DKMS failed), or Secure Boot refused an unsigned module.', likelihood: 'possible' },
      { text: 'On FreeBSD before 13.2: no if_wg; the error in parentheses is ifconfig\'s.', likelihood: 'possible' },
    ],
    checks: [
      '`modprobe wireguard` (Linux) or `kldload if_wg` (FreeBSD), and read the error.',
      '`uname -r` and `dkms status` (Linux), `dmesg | grep -i wireguard`.',
      'In a container: load the module on the host, or accept userspace and make sure wireguard-go is installed (`WG_QUICK_USERSPACE_IMPLEMENTATION`).',
    ],
  },
  {
    id: 'wg-quick-config-world-readable',
    summary: 'The WireGuard configuration file, which holds the interface\'s private key, can be read by every user of the host.',
    causes: [
      { text: 'The file was created with the default umask (editor, copy, config generator, Docker volume) and never restricted.', likelihood: 'likely' },
      { text: 'A volume or network filesystem (SMB, Docker bind mount from Windows/macOS) that cannot store Unix permissions and shows every file as 0644/0777.', likelihood: 'possible' },
    ],
    checks: [
      '`ls -l <file>`, then `chmod 600 <file>` (and `chown root:`).',
      'For a mount that ignores permissions: keep the configuration on a filesystem that honours them, or set the mount\'s file mode.',
      'If other users could read it: consider the private key exposed and generate a new key pair.',
    ],
  },
  {
    id: 'wg-quick-interface-missing',
    summary: 'wg-quick was asked to take down (or save, or strip) an interface that is not a WireGuard interface right now, so it did nothing.',
    causes: [
      { text: 'The tunnel was already down: `wg-quick down` run twice, or a service manager stopping a tunnel that failed to come up.', likelihood: 'likely' },
      { text: 'The interface name differs from the configuration file\'s name (renamed file, another path passed to wg-quick up).', likelihood: 'possible' },
      { text: 'The interface exists but is of another kind (a leftover tun device of the same name), or wg cannot talk to the kernel or wireguard-go\'s socket.', likelihood: 'rare' },
    ],
    checks: [
      '`wg show interfaces` and `ip link` / `ifconfig`: which WireGuard interfaces exist?',
      'The earlier lines of the same start: did `wg-quick up` fail (then this is its clean-up)?',
    ],
  },
  {
    id: 'wg-quick-interface-exists',
    summary: 'wg-quick up refused to start because an interface of that name already exists.',
    causes: [
      { text: 'The tunnel is already up (started by hand and again by the service, or two service managers).', likelihood: 'likely' },
      { text: 'A previous run died before cleaning up and left the interface behind.', likelihood: 'possible' },
      { text: 'Another program (NetworkManager, a VPN app) created an interface of the same name.', likelihood: 'rare' },
    ],
    checks: [
      '`wg show <iface>` — is it configured and handshaking? Then nothing needs doing.',
      'Otherwise `wg-quick down <iface>` (or `ip link del <iface>`) and start it again.',
      '`systemctl status wg-quick@<iface>` for a second starter.',
    ],
  },
  {
    id: 'wg-quick-config-missing',
    summary: 'wg-quick could not find the configuration file for the tunnel it was asked to start.',
    causes: [
      { text: 'The file is not where wg-quick looks: /etc/wireguard/<iface>.conf (or /usr/local/etc/wireguard on the BSDs and Homebrew), or another path was meant.', likelihood: 'likely' },
      { text: 'A typo in the interface name, or a service enabled for a tunnel whose file was removed or renamed.', likelihood: 'possible' },
      { text: 'The file is on a filesystem not mounted yet at boot.', likelihood: 'rare' },
    ],
    checks: [
      '`ls -l /etc/wireguard/` (sudo): is the file there under exactly that name?',
      '`systemctl list-units \'wg-quick@*\'` for services of tunnels that no longer exist.',
    ],
  },
  {
    id: 'wg-quick-command-failed',
    summary: 'A command wg-quick ran failed (a PreUp/PostUp/PreDown/PostDown hook, or a helper such as resolvconf); wg-quick up then tears the interface down again.',
    causes: [
      { text: 'A hook script that does not exist, is not executable, or fails (a path that is only valid inside another container or host).', likelihood: 'likely' },
      { text: 'A helper wg-quick needs is missing: resolvconf (for DNS =), iptables / nft, or the ip / ifconfig tools.', likelihood: 'possible' },
      { text: 'A hook command that is wrong for this system (iptables rules on an nftables-only host, interface names that differ).', likelihood: 'possible' },
    ],
    checks: [
      'Run the failing command from the message by hand as root.',
      'For resolvconf: install openresolv / resolvconf, or remove DNS = from the configuration.',
      'Check the hook lines (PreUp/PostUp/…) of the configuration file; `bash -n` a hook script.',
    ],
  },
  {
    id: 'wg-config-parse-failed',
    summary: '`wg` rejected a configuration file: a line or a key in it is not something `wg setconf` understands, so nothing was applied.',
    causes: [
      { text: 'wg-quick-only keys (Address, DNS, MTU, Table, PreUp/PostUp…) given straight to `wg setconf` / `wg syncconf` instead of through wg-quick or `wg-quick strip`.', likelihood: 'likely' },
      { text: 'A typo in a key or a value (misspelt key name, a section header missing), or a PrivateKey / PublicKey / PresharedKey that is not 44 characters of base64 (cut short when copied, quotes or spaces around it).', likelihood: 'possible' },
      { text: 'Windows line endings or a byte-order mark from editing the file on another system.', likelihood: 'rare' },
    ],
    checks: [
      'Look at the line quoted in "Line unrecognized"; for Address/DNS lines use `wg syncconf <iface> <(wg-quick strip <iface>)`.',
      'For a key: `wc -c` on it (44 characters with the trailing "="), and `echo <private key> | wg pubkey` to see that it is valid.',
      '`cat -A <file> | head` for ^M or a BOM.',
    ],
  },
  {
    id: 'wg-tool-device-error',
    summary: '`wg` could not read or configure the WireGuard interface: the kernel (or wireguard-go) refused or the interface is not there.',
    causes: [
      { text: 'No WireGuard in the kernel ("Protocol not supported"): the module is missing or not loaded, so the interface could not be created.', likelihood: 'likely' },
      { text: 'The interface does not exist ("No such device"): its creation failed earlier, or a script configures it before creating it.', likelihood: 'possible' },
      { text: 'Not enough privileges ("Operation not permitted"): run as a user without CAP_NET_ADMIN, or a container without it.', likelihood: 'possible' },
      { text: 'An invalid value the kernel refused ("Invalid argument"), e.g. an unusable listen port or fwmark.', likelihood: 'rare' },
    ],
    checks: [
      '`modprobe wireguard` / `lsmod | grep wireguard` (Linux), `kldstat | grep if_wg` (FreeBSD).',
      '`ip link show <iface>` or `ifconfig <iface>`: does the interface exist?',
      'Run the same `wg` command as root; in a container check that it has NET_ADMIN.',
    ],
  },
  {
    id: 'wg-endpoint-resolve-failed',
    summary: 'The host name of a peer\'s Endpoint could not be resolved when the configuration was applied, so that peer has no endpoint and this side cannot start a handshake with it.',
    causes: [
      { text: 'DNS is not available yet when the tunnel starts (boot before the WAN or resolver is up, DNS that itself goes through the tunnel).', likelihood: 'likely' },
      { text: 'The name does not exist or is misspelt, or it is a local name (no domain) that only another network\'s DNS knows.', likelihood: 'possible' },
      { text: 'A dynamic DNS name that has not been updated or has expired.', likelihood: 'rare' },
    ],
    checks: [
      '`nslookup <host>` (or `getent hosts <host>`) on this machine, at the time the tunnel starts.',
      'Use a fully qualified name; on OpenWrt make the interface wait for the WAN, or re-resolve periodically (the wireguard_watchdog script).',
      'Re-apply once DNS works: `ifup <iface>` (OpenWrt) or `wg set <iface> peer <key> endpoint <host:port>`.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
