#!/usr/bin/env bash
# What the live screen costs while nobody touches it: the release binary in a real window
# (Xvfb, software rendering), its CPU time read from /proc over 30 s, as a percentage of
# one core. Two cases: a live session with a normal reading (nothing flashes), and the
# same with an unacknowledged high alarm (flashing at 2 Hz).
#
# usage: bash benches/idle_cpu.sh [SECONDS]   (after cargo build --release)
# Needs: xvfb openbox xdotool (apt-get install -y xvfb openbox xdotool)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
app=target/release/infusion-vitals
[ -x "$app" ] || { echo "build first: cargo build --release" >&2; exit 2; }
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"
disp=:$((150 + RANDOM % 50))
Xvfb "$disp" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
data=$(mktemp -d)
trap 'kill $app_pid $wm $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1.5
export DISPLAY=$disp
openbox >/dev/null 2>&1 &
wm=$!
sleep 1

# CPU seconds (user + system) the process has used so far.
cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

measure() {
  local label=$1 before after
  sleep 3 # let the last key's frames settle
  before=$(cpu_s "$app_pid")
  sleep "$secs"
  after=$(cpu_s "$app_pid")
  awk -v a="$before" -v b="$after" -v s="$secs" -v l="$label" \
    'BEGIN { printf "%-45s %5.1f %% of one core\n", l, 100 * (b - a) / s }'
}

# A new session typed in, one reading, then nothing: the window left alone.
idle_after() {
  local label=$1 reading=$2
  rm -rf "${data:?}"/*
  "$app" --data-dir "$data" >/dev/null 2>&1 &
  app_pid=$!
  sleep 4
  win=$(xdotool search --onlyvisible --pid "$app_pid" | tail -1)
  xdotool windowactivate --sync "$win"
  xdotool type --delay 25 $'MRN-CPU\t72\tRN-CPU'
  xdotool key Return
  sleep 2
  xdotool type --delay 25 "$reading"
  xdotool key Return
  xdotool mousemove 0 0 # nothing hovered
  measure "$label (${secs} s)"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
}

idle_after "live session, no alarm" $'121\t80\t70\t98'
idle_after "live session, a flashing high alarm" $'205\t110\t88\t97'
