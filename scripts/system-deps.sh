#!/usr/bin/env bash
# Debian packages the tests and documents need: the browser for UI tests, CJK fonts for pages and PDFs,
# pango and harfbuzz for WeasyPrint, Java for Spark.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep reads the whole listing (no -q): quitting at the first match would end the lister with SIGPIPE, which
# pipefail takes for "not found" — now and then, and then every package is installed again.
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# WeasyPrint (PDF documents) lays text out with pango and subsets fonts with harfbuzz.
ldconfig -p 2>/dev/null | grep "libpangoft2-1.0.so.0" >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep "libharfbuzz-subset.so.0" >/dev/null || need+=(libharfbuzz-subset0)
# The Spark engine (PySpark, local mode in the tests) runs on a JVM: Java 17 or later.
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (install them as root: apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]} …"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
