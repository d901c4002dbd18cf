#!/bin/sh
# Installs the Debian packages that some tests use, when they are missing and this is a root shell with apt-get
# (CI's machines): real wireguard-go peers for the live-lab tests, and a real Alertmanager for the paging tests.
# Elsewhere it only says what is missing: those tests then skip with the same hint, and every other test runs.
set -eu
need=""
command -v wireguard-go >/dev/null 2>&1 || need="$need wireguard-go"
command -v wg >/dev/null 2>&1 || need="$need wireguard-tools"
command -v ip >/dev/null 2>&1 || need="$need iproute2"
command -v ping >/dev/null 2>&1 || need="$need iputils-ping"
command -v prometheus-alertmanager >/dev/null 2>&1 || need="$need prometheus-alertmanager"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "not installing$need (needs root and apt-get): the tests that use them will skip" >&2
  exit 0
fi
echo "installing$need for the lab and paging tests..." >&2
# policy-rc.d 101: the packages' maintainer scripts must not start services (Alertmanager) behind our back.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.wg-siem && chmod +x /usr/sbin/policy-rc.d.wg-siem
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ "$had_policy" = 0 ] && mv /usr/sbin/policy-rc.d.wg-siem /usr/sbin/policy-rc.d || rm -f /usr/sbin/policy-rc.d.wg-siem
status=0
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need; } >/dev/null 2>&1 || status=$?
[ "$had_policy" = 0 ] && rm -f /usr/sbin/policy-rc.d
[ "$status" = 0 ] || echo "could not install$need (apt-get exit $status): the tests that use them will skip" >&2
exit 0
