// Diagnoses for WireGuard on Windows: the WireGuardNT driver and the wireguard-windows tunnel service.
// Handshake and cryptokey-routing problems are the same on every implementation and use the shared
// diagnoses in common.ts; what lives here is either Windows-only (the tunnel service, NDIS, the driver's own
// log limiter) or needs Windows commands to check. Ids start with "windows-" so that they can never collide
// with another implementation's table when the lead merges them.
import type { DiagnosisDef } from '../types.ts';

export const WINDOWS_DIAGNOSES = [
  {
    id: 'windows-cookie-reply-invalid',
    summary: 'A cookie reply (the "I am busy, retry with this cookie" answer) arrived but could not be decrypted, so it was ignored.',
    causes: [
      { text: 'The reply answers an older handshake attempt that a retry has already replaced; harmless when a later handshake succeeds.', likelihood: 'likely' },
      { text: 'The peer sits behind an address that is also used by something else answering on the WireGuard port, or the reply was forged.', likelihood: 'possible' },
      { text: 'The peer is under heavy handshake load and answers many attempts with cookies at once.', likelihood: 'possible' },
    ],
    checks: [
      'Look for "Receiving handshake response" or "Keypair N created" for the same tunnel shortly after: if they follow, nothing needs doing.',
      'If these lines repeat for minutes, check the responder side for handshake load (cookie and "Dropping handshake packet" lines) and capture the traffic: `pktmon start --capture --pkt-size 0` then `pktmon stop` and `pktmon etl2pcap PktMon.etl`.',
    ],
  },
  {
    id: 'windows-data-replay',
    summary: 'A data packet was authenticated but refused because its counter was already seen or is too old: a duplicate, a replay, or very late reordering.',
    causes: [
      { text: 'The network duplicated packets (some Wi-Fi drivers, link bonding, load balancers or mirrored ports).', likelihood: 'likely' },
      { text: 'Heavy reordering on the path, so that packets arrive more than about 8000 packets late.', likelihood: 'possible' },
      { text: 'Someone on the path is re-sending captured packets; they are dropped, so this is an attempt, not a breach.', likelihood: 'rare' },
    ],
    checks: [
      'Compare the two numbers in the line: a small gap means duplicates or reordering, a huge gap means a very old packet was injected again.',
      'Check whether the lines cluster on one network (a particular Wi-Fi or VPN-over-VPN setup) and test from another uplink.',
      'Counts are minimums: the driver rate-limits these lines (see "log lines swallowed by rate limiting").',
    ],
  },
  {
    id: 'windows-local-bad-packet',
    summary: 'Windows handed the WireGuard adapter an outgoing frame that is not a valid IPv4/IPv6 packet; the driver dropped it.',
    causes: [
      { text: 'A third-party NDIS filter or lightweight filter driver bound to the WireGuard adapter (VPN clients, endpoint security, packet shapers, virtual switch extensions) passes on malformed or empty buffers.', likelihood: 'likely' },
      { text: 'An application or driver writing non-IP frames (for example ARP or raw Ethernet) into the tunnel adapter.', likelihood: 'possible' },
      { text: 'A bug in an offload path (checksum or segmentation offload) of another driver on the same host.', likelihood: 'rare' },
    ],
    checks: [
      'List what is bound to the tunnel adapter: `Get-NetAdapterBinding -Name <tunnel> -AllBindings` and disable unexpected filters for a test.',
      'Note recently installed security or VPN software; check the System event log for NDIS warnings at the same time.',
      'Which destinations are routed into the tunnel: `route print` / `Get-NetRoute -InterfaceAlias <tunnel>`. Packets to destinations outside every peer\'s AllowedIPs are dropped silently on Windows, so they do not produce this line.',
    ],
  },
  {
    id: 'windows-socket-bind-failed',
    summary: 'The WireGuardNT driver could not bind its UDP socket to the listen port, so the tunnel cannot receive (and usually cannot come up).',
    causes: [
      { text: 'The ListenPort is already taken by another tunnel, another VPN product or some other program (0xc0000043 sharing violation, 0xc000020a address already exists).', likelihood: 'likely' },
      { text: 'The port falls inside a range reserved by Windows for Hyper-V, WSL, Docker or WinNAT (often reported as access denied, 0xc0000022).', likelihood: 'likely' },
      { text: 'The address family is unavailable: the IPv6 stack is disabled or not ready yet during early boot.', likelihood: 'possible' },
    ],
    checks: [
      'Who holds the port: `Get-NetUDPEndpoint -LocalPort <port> | Select-Object LocalAddress, OwningProcess`, then `Get-Process -Id <pid>`; or `netstat -ano -p udp | findstr :<port>`.',
      'Reserved ranges: `netsh int ipv4 show excludedportrange protocol=udp` and the same with `ipv6`; move ListenPort outside them.',
      'Two active tunnels with the same ListenPort cannot coexist: check the [Interface] sections of all active tunnels.',
      'Look the NTSTATUS code up (`certutil -error 0x<code>`) to see which case it is.',
    ],
  },
  {
    id: 'windows-log-lines-swallowed',
    summary: 'The WireGuardNT driver dropped log lines for this tunnel to protect itself: counts of WireGuard events around this time are minimums.',
    causes: [
      { text: 'More than about ten rate-limited driver lines within 5 seconds for this adapter: usually a burst of handshakes, invalid packets or a peer retrying fast.', likelihood: 'likely' },
      { text: 'A handshake flood or scan against the listen port, producing one invalid-MAC or invalid-initiation line per packet.', likelihood: 'possible' },
    ],
    checks: [
      'Read the lines just before this one: the burst they belong to is bigger than what the log shows, by the number printed.',
      'The limiter is per tunnel and cannot be switched off. Timer lines (retrying, giving up, stopped hearing back) are not limited and remain reliable.',
      'The driver also keeps only 64 pending lines per adapter, and the service log holds 2048 lines (`wireguard.exe /dumplog` to save them): ship the log continuously rather than reading it after the fact.',
    ],
  },
  {
    id: 'windows-service-failed',
    summary: 'The WireGuard tunnel service hit a fatal error and is stopping: the tunnel is down. The text before the colon says which step failed, the text after it says why.',
    causes: [
      { text: '"Unable to resolve one or more DNS hostname endpoints": an Endpoint uses a host name that could not be resolved when the tunnel started (no network yet, captive portal, DNS blocked, a typo).', likelihood: 'likely' },
      { text: '"Unable to create network adapter": the WireGuardNT driver could not be installed or started (pending reboot, a half-removed older version, driver blocked by security software or policy).', likelihood: 'likely' },
      { text: '"Unable to enable firewall rules": the kill-switch rules could not be added to the Windows Filtering Platform (Base Filtering Engine service stopped, third-party firewall interfering).', likelihood: 'possible' },
      { text: '"Unable to set device configuration" / "Unable to bring up adapter" / "Unable to configure adapter network settings": the configuration was refused (bad value, address already used by another adapter) or the adapter disappeared.', likelihood: 'possible' },
      { text: '"An error occurred while running a configuration script command": a PreUp/PostUp script failed (see the "Command error exit status" line before it).', likelihood: 'possible' },
      { text: '"Unable to load configuration from path" or "Unable to open log file": the configuration file is missing, unreadable or corrupt, or the data directory has wrong permissions.', likelihood: 'rare' },
    ],
    checks: [
      'Read the whole line and the lines just before it: `wireguard.exe /dumplog > wg.log` saves the service log.',
      'DNS: `Resolve-DnsName <endpoint host>`; if it works now, the tunnel started before the network was ready: use an IP address as Endpoint or restart the tunnel.',
      'Adapter: `Get-NetAdapter -IncludeHidden | Where-Object InterfaceDescription -like "WireGuard*"`, `pnputil /enum-drivers | findstr /i wireguard`; reboot if an update is pending, then reinstall WireGuard.',
      'Firewall: `Get-Service BFE, mpssvc` must be running.',
      'Service state: `sc.exe query "WireGuardTunnel$<tunnel>"`; configurations live in `C:\\Program Files\\WireGuard\\Data\\Configurations\\` (encrypted as `.conf.dpapi`).',
    ],
  },
  {
    id: 'windows-service-deadlock',
    summary: 'The tunnel service did not finish stopping within 30 seconds; it dumps its goroutine stacks into the log and kills itself (exit code 777).',
    causes: [
      { text: 'A bug in wireguard-windows or WireGuardNT: a routine waiting forever while the tunnel is torn down.', likelihood: 'likely' },
      { text: 'A call into Windows networking (adapter removal, route or firewall changes) hanging because another driver or service holds it.', likelihood: 'possible' },
    ],
    checks: [
      'Save the log right away (`wireguard.exe /dumplog > wg.log`): the stack lines that follow this one are what the developers need.',
      'Check that the tunnel can be started again (`sc.exe query "WireGuardTunnel$<tunnel>"`); a leftover adapter may need a reboot.',
      'Update WireGuard for Windows; if it repeats, report it upstream with the stack dump and the Windows version from the "Starting WireGuard/…" line.',
    ],
  },
  {
    id: 'windows-driver-version-unknown',
    summary: 'The tunnel service could not read the version of the running WireGuard driver; the tunnel may still work, but the driver installation is suspicious.',
    causes: [
      { text: 'The driver was just installed or updated and is not fully loaded yet, or an old and a new driver are both present.', likelihood: 'likely' },
      { text: 'Security software or policy blocks access to the driver.', likelihood: 'possible' },
    ],
    checks: [
      '`pnputil /enum-drivers | findstr /i wireguard` and `driverquery /v | findstr /i wireguard`: one driver expected.',
      'If tunnels misbehave after this line, reboot, then reinstall WireGuard for Windows.',
    ],
  },
  {
    id: 'windows-boot-race',
    summary: 'A tunnel started at boot could not yet create or configure its adapter; the service retries for a few seconds before giving up.',
    causes: [
      { text: 'Windows networking, the driver store or Plug and Play is not ready yet in the first minute after boot; a later attempt usually succeeds.', likelihood: 'likely' },
      { text: 'A persistent problem (driver not installable, address already used by another adapter) that only shows up at boot because that is when the tunnel starts.', likelihood: 'possible' },
    ],
    checks: [
      'See whether "Startup complete" follows: if so, nothing to do.',
      'If the tunnel ends with "Unable to …" instead, treat the error after the colon as the real cause and check the System event log for driver or PnP errors at boot.',
    ],
  },
  {
    id: 'windows-forwarding-enabled',
    summary: 'Another network interface on this host forwards packets or uses weak-host sending, which can make tunnel traffic loop back into the physical network.',
    causes: [
      { text: 'Internet Connection Sharing, a Hyper-V or WSL virtual switch, or Docker enabled forwarding on that interface.', likelihood: 'likely' },
      { text: 'Someone enabled routing deliberately (registry IPEnableRouter, `Set-NetIPInterface -Forwarding Enabled`).', likelihood: 'possible' },
    ],
    checks: [
      '`Get-NetIPInterface | Where-Object { $_.Forwarding -eq "Enabled" -or $_.WeakHostSend -eq "Enabled" }` lists the interfaces concerned.',
      'If the host is not meant to route, disable it: `Set-NetIPInterface -InterfaceAlias "<name>" -Forwarding Disabled -WeakHostSend Disabled`; check whether the SharedAccess (ICS) service is running.',
    ],
  },
  {
    id: 'windows-dnscache-disabled',
    summary: 'The Windows DNS Client service is disabled, so the DNS servers of the tunnel configuration will not be used: name resolution may leak outside the tunnel or fail.',
    causes: [
      { text: 'A hardening script or "debloat" tool disabled the DNS Client (Dnscache) service.', likelihood: 'likely' },
      { text: 'Other DNS software replaced it on purpose.', likelihood: 'possible' },
    ],
    checks: [
      '`Get-Service Dnscache` (status and start type).',
      'Re-enable it: set `HKLM\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Start` to 2 and reboot (the service cannot be started from the Services console on recent Windows).',
    ],
  },
  {
    id: 'windows-netkvm-outdated',
    summary: 'This Windows machine is a VM with an old VirtIO network driver (NetKVM) that is known to corrupt or drop tunnel traffic.',
    causes: [
      { text: 'The virtio-win guest drivers were installed years ago and never updated.', likelihood: 'likely' },
    ],
    checks: [
      '`Get-NetAdapter | Where-Object InterfaceDescription -like "*VirtIO*" | Select-Object Name, DriverVersion`.',
      'Install a current virtio-win driver package (version 100.85.104.20800 or later) and reboot.',
    ],
  },
  {
    id: 'windows-script-failed',
    summary: 'A PreUp/PostUp/PreDown/PostDown script of the tunnel exited with an error; for PreUp and PostUp this makes the tunnel service stop.',
    causes: [
      { text: 'The script or a command in it failed (wrong path, missing program, a command that needs interaction).', likelihood: 'likely' },
      { text: 'The script assumes a user context: it runs as LocalSystem through `cmd /c`, without the user\'s drive mappings, PATH or profile.', likelihood: 'possible' },
    ],
    checks: [
      'The "Executing:" line before this one shows the exact command and "cmd>" lines show its output.',
      'Test it as SYSTEM, e.g. with `psexec -s cmd /c "<command>"`, and fix the exit code.',
    ],
  },
  {
    id: 'windows-script-disabled',
    summary: 'The tunnel configuration contains PreUp/PostUp/PreDown/PostDown scripts, but script execution is disabled on this machine, so they were not run.',
    causes: [
      { text: 'The default: WireGuard for Windows ignores scripts unless an administrator enables DangerousScriptExecution.', likelihood: 'likely' },
      { text: 'Someone imported a configuration that carries commands; if it came from outside, review what it would have run.', likelihood: 'possible' },
    ],
    checks: [
      '`reg query HKLM\\Software\\WireGuard /v DangerousScriptExecution` (1 enables scripts for every tunnel, run as LocalSystem).',
      'If routes or DNS settings depend on the script, they are missing now; prefer doing that work outside the tunnel configuration.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
