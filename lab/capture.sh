#!/bin/sh
# Records real wireguard-go debug logs of both ends of a tunnel, one scenario at a time, in network namespaces:
#   lab/capture.sh SCENARIO SECONDS OUTDIR [NET]
# SCENARIO: healthy | wrong-server-key | server-lacks-client | psk | unreachable
# NET (0-255, default 0): the underlay is 10.99.NET.0/24 (server .1, client .2), so recordings of several
# scenarios can be told apart by address as real clients would be.
# Needs root, iproute2, wireguard-go and wireguard-tools. Writes OUTDIR/SCENARIO.server.log and .client.log.
# Every daemon is stopped by its pid and every namespace deleted on exit.
set -eu
scenario=$1; seconds=$2; out=$3; net=${4:-0}
n=$(( $$ % 200 + 20 ))
srv="wgl${n}s"; cli="wgl${n}c"; run="/run/wg-siem-lab/$n"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns del "$srv" 2>/dev/null || true
  ip netns del "$cli" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT INT TERM
mkdir -p "$run/$srv" "$run/$cli" "$out"
ip netns add "$srv"; ip netns add "$cli"
ip link add "v${n}s" netns "$srv" type veth peer name "v${n}c" netns "$cli"
ip -n "$srv" addr add 10.99.$net.1/24 dev "v${n}s"; ip -n "$srv" link set "v${n}s" up; ip -n "$srv" link set lo up
ip -n "$cli" addr add 10.99.$net.2/24 dev "v${n}c"; ip -n "$cli" link set "v${n}c" up; ip -n "$cli" link set lo up
# The control socket folder is per namespace (bind mount inside the namespace's private mount namespace).
inns() { ns=$1; shift; ip netns exec "$ns" sh -c 'mount --bind "$0" /run/wireguard 2>/dev/null || { mkdir -p /run/wireguard; mount --bind "$0" /run/wireguard; }; exec "$@"' "$run/$ns" "$@"; }
start() {
  ns=$1; log=$2
  LOG_LEVEL=debug WG_PROCESS_FOREGROUND=1 inns "$ns" wireguard-go wg0 >"$log" 2>&1 &
  pids="$pids $!"
}
start "$srv" "$out/$scenario.server.log"
start "$cli" "$out/$scenario.client.log"
sleep 0.5
ks=$(wg genkey); kc=$(wg genkey); kx=$(wg genkey)
ps=$(echo "$ks" | wg pubkey); pc=$(echo "$kc" | wg pubkey); px=$(echo "$kx" | wg pubkey)
echo "$ks" >"$run/ks"; echo "$kc" >"$run/kc"
srv_peer=$pc; cli_peer=$ps; port=51820; psk_srv=""; psk_cli=""
case "$scenario" in
  healthy) ;;
  wrong-server-key) cli_peer=$px ;;
  server-lacks-client) srv_peer=$px ;;
  psk) wg genpsk >"$run/psk"; psk_cli="preshared-key $run/psk" ;;
  unreachable) port=51999 ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
inns "$srv" wg set wg0 private-key "$run/ks" listen-port 51820 peer "$srv_peer" $psk_srv allowed-ips 10.200.0.2/32
inns "$cli" wg set wg0 private-key "$run/kc" peer "$cli_peer" $psk_cli allowed-ips 10.200.0.1/32 endpoint "10.99.$net.1:$port"
ip -n "$srv" addr add 10.200.0.1/24 dev wg0; ip -n "$srv" link set wg0 up
ip -n "$cli" addr add 10.200.0.2/24 dev wg0; ip -n "$cli" link set wg0 up
# Traffic from the client starts the handshake and keeps it retrying for as long as there is something to send.
ip netns exec "$cli" ping -q -c "$seconds" -i 1 -W 1 10.200.0.1 >/dev/null 2>&1 || true
