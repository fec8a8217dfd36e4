#!/usr/bin/env bash
# The real-peer interop suite (test/interop/*.interop.ts): Kontor against Debian's Postfix and
# dkimpy. As root with apt, installs postfix and python3-dkim when they are missing; without them
# (not root, no apt, no network) the tests skip themselves and say why. The last line is the
# summary `.ci/run` tallies: `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

need=()
[ -x /usr/sbin/postfix ] || need+=(postfix)
/usr/bin/python3 -c 'import dkim' 2>/dev/null || need+=(python3-dkim)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "interop: ${need[*]} missing and not root: the tests will be skipped"
  elif ! command -v apt-get >/dev/null; then
    echo "interop: ${need[*]} missing and no apt-get: the tests will be skipped"
  else
    # Postfix's own instance is configured by the test; the package's is left unconfigured.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) ||
      echo "interop: could not install ${need[*]}: the tests will be skipped"
  fi
fi

out=$(mktemp)
node --import tsx --test --test-reporter=tap --test-concurrency=1 test/interop/*.interop.ts 2>&1 | tee "$out"
count() { grep -E "^# $1 [0-9]+$" "$out" | tail -n 1 | awk '{print $3}'; }
pass=$(count pass); fail=$(count fail); skipped=$(count skipped)
rm -f "$out"
if [ -z "$pass" ]; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "${pass} passed, ${fail:-0} failed, ${skipped:-0} skipped"
[ "${fail:-0}" -eq 0 ]
