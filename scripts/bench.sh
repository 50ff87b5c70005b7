#!/usr/bin/env bash
# Times the whole `relcap report` on simulated data at several sizes, next to a bare native
# CSV read of the same files and the pandas + statsmodels equivalent (scripts/bench_pandas.py),
# and prints time, throughput and peak memory. Set RELCAP_NO_PANDAS=1 to skip pandas, and
# RELCAP_RUNS=N to time the report N times at each size (the median time and the highest peak
# are printed; default 1). With two or more sizes of at least 50,000 respondents it ends with
# how time grows with respondents: the exponent b of time ∝ respondents^b, fitted by least
# squares on the logarithms (b = 1 is linear).
#   scripts/bench.sh [SIZES...]        (default: 10000 100000 1000000 respondents)
# Needs bash 5 and /usr/bin/time (Debian's `time` package; installed if missing). Results go to
# target/bench/ (with each step's time and memory in timings.txt); copy the table into BENCHMARKS.md with the machine it came from.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
[ -x /usr/bin/time ] || { apt-get update -qq >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
if [ -z "${RELCAP_NO_BUILD:-}" ]; then  # RELCAP_NO_BUILD=1: time the binaries already built
  cargo build --release --quiet
  cargo build --release --quiet --example csv_read
fi
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/relcap"
read_bin="$target_dir/release/examples/csv_read"
printf '%-10s %9s %8s %9s %8s %10s %9s %9s %8s %9s\n' respondents input_MB read_s report_s vs_read rows/s MB/s peak_MB pandas_s vs_pandas
growth=()
for n in "${sizes[@]}"; do
  dir="target/bench/$n"
  units=$(( (n + 24) / 25 ))
  munis=$(( units < 98 ? (units < 5 ? 1 : 5) : 98 ))
  per=$(( (units + munis - 1) / munis ))
  [ -f "$dir/staff.csv" ] || "$bin" simulate --out "$dir" --municipalities "$munis" --units "$per" --staff 25 --citizens 30 --seed 1 2>/dev/null
  files=("$dir/staff.csv" "$dir/citizens.csv" "$dir/leaders.csv")
  bytes=$(cat "${files[@]}" | wc -c)
  rows=$(( $(wc -l < "$dir/staff.csv") - 1 ))
  # Wall-clock times to the microsecond (bash's EPOCHREALTIME); /usr/bin/time's own are
  # whole hundredths, which rounds the bare read of the small sizes to 0. The bare read is
  # the median of three runs.
  reads=()
  for _ in 1 2 3; do
    t0=$EPOCHREALTIME; "$read_bin" "${files[@]}" >/dev/null; t1=$EPOCHREALTIME
    reads+=("$(python3 -c "print($t1 - $t0)")")
  done
  read_s=$(printf '%s\n' "${reads[@]}" | sort -g | sed -n 2p)
  runs=()
  peak_kb=0
  for _ in $(seq "${RELCAP_RUNS:-1}"); do
    t0=$EPOCHREALTIME
    RELCAP_TIMINGS=1 /usr/bin/time -f '%e %M' -o "$dir/report.time" "$bin" report --quiet --staff "${files[0]}" --citizens "${files[1]}" --leaders "${files[2]}" --out "$dir/out" 2> "$dir/timings.txt"
    runs+=("$(python3 -c "print($EPOCHREALTIME - $t0)")")
    read -r _ kb < "$dir/report.time"
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  report_s=$(printf '%s\n' "${runs[@]}" | python3 -c 'import statistics, sys; print(statistics.median(float(l) for l in sys.stdin))')
  growth+=("$rows $report_s")
  pandas_s=nan
  if [ -z "${RELCAP_NO_PANDAS:-}" ]; then
    /usr/bin/time -f '%e %M' -o "$dir/pandas.time" python3 scripts/bench_pandas.py "${files[0]}" "${files[1]}" "$dir/pandas" >/dev/null
    read -r pandas_s _ < "$dir/pandas.time"
  fi
  python3 - "$rows" "$bytes" "$read_s" "$report_s" "$peak_kb" "$pandas_s" <<'PY'
import sys
rows, size, read_s, report_s, peak_kb, pandas_s = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
mb = size / 1e6
print(f"{rows:<10} {mb:>9.1f} {read_s:>8.3f} {report_s:>9.2f} {report_s / read_s:>7.1f}x {rows / report_s:>10.0f} {mb / report_s:>9.1f} {peak_kb / 1024:>9.0f} {pandas_s:>8.2f} {pandas_s / report_s:>8.1f}x")
PY
done
printf '%s\n' "${growth[@]}" | python3 -c '
import math, sys
points = [(math.log(float(r)), math.log(float(t))) for r, t in (l.split() for l in sys.stdin) if int(r) >= 50000]
if len(points) >= 2:
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    print(f"time grows as respondents^{b:.2f} from 50,000 respondents up (1.00 is linear)")
'
