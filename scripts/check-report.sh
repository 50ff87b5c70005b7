#!/usr/bin/env bash
# Renders the example report in Danish and English to PNG with headless Chromium, so the
# pages can be looked at as a leader group would see them.
#   scripts/check-report.sh [OUT]      (default OUT: target/report-check)
# Installs Debian's chromium the first time if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/report-check}
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
for lang in da en; do
  cargo run --quiet -- report --example --lang "$lang" --quiet --out "$out/$lang"
  html="$(readlink -f "$out/$lang/report.html")"
  # A tall window captures the whole page; the print PDF shows the A4 page breaks.
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" \
    --window-size=1240,9000 --screenshot="$out/$lang/report.png" "file://$html" >/dev/null 2>&1
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" \
    --no-pdf-header-footer --print-to-pdf="$out/$lang/report.pdf" "file://$html" >/dev/null 2>&1
  echo "$out/$lang/report.png  $out/$lang/report.pdf"
done
