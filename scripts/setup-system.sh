#!/usr/bin/env bash
# Installs the Debian packages the full test suite needs, when they are missing:
#   chromium  browser tests through playwright-core (no browser download from elsewhere)
#   chromium-l10n  Chromium's own UI languages: date and time fields read as a Dane sees them
#   socat     PTY pairs that carry real reader and sensor frames into the gateway
#   influxdb  InfluxDB 1.x (influxd), the history store tests run against
#   mosquitto the external broker (broker.external) tests run against, with mosquitto_passwd
#   systemd   systemd-analyze, which verifies the installed units (test/deploy/install*.ts)
#   passwd    useradd --prefix, with which the installer test makes the user in a temporary root
#   gcc cmake make  build test/tools/osdp-peer (libosdp's PD) for the OSDP interop tests
#   iproute2  `ip netns`: the tests of several machines (TLS, the ten-site network of spaces)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/lib/chromium/locales/da.pak ] || need+=(chromium-l10n)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
# /usr/sbin is not on every user's PATH: look for the file too.
{ command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; } || need+=(mosquitto)
# Debian ships systemd-analyze in the systemd package itself (there is no systemd-analyze package).
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
[ -x /usr/sbin/useradd ] || need+=(passwd)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || need+=(iproute2)
for tool in gcc cmake make; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "missing Debian packages: ${need[*]} — install them with: apt-get install -y ${need[*]}" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
