#!/usr/bin/env bash
# Load on one capture listener: 50 simulated monitors (examples/monitor_simulator.rs), one
# message a second each, for DURATION seconds (default 600: 10 minutes), twice:
#   recorded  every monitor sends as one device (each a millisecond apart, so no reading
#             is another's), so the capture records every message (50 readings a second,
#             each journalled and fsynced before its AA);
#   rejected  each monitor is its own device: the capture takes the first and answers the
#             other 49 AR (each message still read and answered: nearly ACK-only work).
# Prints, for each, the capture's CPU time (user + system, from /proc), its share of one
# core over the run, its peak resident memory (VmHWM), and the simulator's answer counts.
#
#   DURATION=600 bash benches/capture_load.sh        (MODES="recorded" for one of them)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-600}"
MONITORS="${MONITORS:-50}"
MODES="${MODES:-recorded rejected}"
cargo build --release --quiet --bin infusion-vitals --example monitor_simulator
BIN=target/release/infusion-vitals
SIM=target/release/examples/monitor_simulator
TICKS=$(getconf CLK_TCK)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

run() {
  local name=$1 flags=$2
  local data="$WORK/$name" out="$WORK/$name.txt"
  "$BIN" capture --listen 127.0.0.1:0 -o "$WORK/$name.log.csv" --patient P-LOAD \
    --data-dir "$data" >"$out" 2>"$WORK/$name.err" &
  local pid=$!
  local address=""
  for _ in $(seq 100); do
    address=$(sed -n 's/^listening on \([^;]*\);.*/\1/p' "$out")
    [ -n "$address" ] && break
    sleep 0.1
  done
  local started_at
  started_at=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$SIM" --to "$address" --monitors "$MONITORS" --seconds "$DURATION" --patient P-LOAD $flags \
    >"$WORK/$name.sim"
  local ended_at
  ended_at=$(date +%s.%N)
  read -r -a stat <"/proc/$pid/stat"
  local cpu_ticks=$((stat[13] + stat[14]))
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid"
  local readings
  readings=$(sed -n 's/.*: \([0-9]*\) reading(s).*/\1/p' "$out")
  awk -v n="$name" -v t="$cpu_ticks" -v hz="$TICKS" -v a="$started_at" -v b="$ended_at" \
    -v m="$hwm" -v r="$readings" 'BEGIN {
      cpu = t / hz; wall = b - a;
      printf "%-9s capture CPU %.1f s over %.0f s (%.1f %% of one core), peak memory %.1f MB, %s readings recorded\n",
        n, cpu, wall, 100 * cpu / wall, m / 1024, r }'
  awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(sent|AA|AE|AR|unanswered)$/) { gsub(",", "", $(i+1)); s[$i] += $(i+1) } }
       END { printf "          simulator: sent %d, AA %d, AE %d, AR %d, unanswered %d\n", s["sent"], s["AA"], s["AE"], s["AR"], s["unanswered"] }' \
    "$WORK/$name.sim"
}

echo "$MONITORS monitors at 1 Hz for $DURATION s against one listener ($(nproc) cores)"
for mode in $MODES; do
  case $mode in
    recorded) run recorded --same-device ;;
    rejected) run rejected "" ;;
  esac
done
