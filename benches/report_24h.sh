#!/usr/bin/env bash
# Times `infusion-vitals report` on the sealed log of one generated 24-h 1-Hz IntelliVue
# export (benches/gen_monitor_export.py, imported), as a whole process: reading and
# verifying the log, folding it, drawing and writing the PDF all count.
#
# Usage: benches/report_24h.sh            (ROUNDS=N to change the 5 rounds)
# Targets (issue 15, item 5): median wall time < 3 s; peak RSS < 200 MB; PDF < 2 MB.
# Exit: 0 targets met, 1 not met, 2 could not run.
set -u

ROUNDS=${ROUNDS:-5}
TIME=/usr/bin/time

cd "$(dirname "$0")/.."

die() { echo "report_24h: $*" >&2; exit 2; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, not '$ROUNDS'"
# GNU time, not the shell keyword: only it reports peak RSS.
[[ -x $TIME ]] || die "$TIME is missing; install it: apt-get install time"
cargo build --release --quiet || die "cargo build --release failed"
bin=${CARGO_TARGET_DIR:-target}/release/infusion-vitals

work=$(mktemp -d) || die "cannot make a temp dir"
trap 'rm -rf "$work"' EXIT
python3 benches/gen_monitor_export.py "$work/monitor.csv" || die "generating the export failed"
"$bin" import "$work/monitor.csv" -o "$work/day.log.csv" --tz Europe/Berlin >/dev/null 2>&1
rc=$?
# 1 = imported with some values rejected, which is fine; 2 or a crash is not.
((rc == 0 || rc == 1)) || die "the import exited with code $rc"

for ((i = 1; i <= ROUNDS; i++)); do
    "$TIME" -f '%e %M' -o "$work/time.txt" "$bin" report "$work/day.log.csv" -o "$work/day.pdf" \
        >/dev/null 2>"$work/report.stderr"
    rc=$?
    if ((rc != 0)); then
        tail -n 5 "$work/report.stderr" >&2
        die "report exited with code $rc"
    fi
    tail -n 1 "$work/time.txt" >>"$work/report.times"
done

median=$(cut -d' ' -f1 "$work/report.times" | sort -n |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
max_kb=$(cut -d' ' -f2 "$work/report.times" | sort -n | tail -n 1)
log_bytes=$(stat -c %s "$work/day.log.csv")
pdf_bytes=$(stat -c %s "$work/day.pdf")

awk -v t="$median" -v k="$max_kb" -v l="$log_bytes" -v p="$pdf_bytes" -v n="$ROUNDS" 'BEGIN {
    rss = k / 1024; pdf = p / 1048576
    time_ok = (t < 3); rss_ok = (rss < 200); pdf_ok = (pdf < 2)
    printf "%d rounds, report of a 24-h 1-Hz log (%.1f MB)\n", n, l / 1048576
    printf "median wall time: %.2f s (target < 3): %s\n", t, time_ok ? "met" : "NOT met"
    printf "max peak RSS: %.1f MB (target < 200): %s\n", rss, rss_ok ? "met" : "NOT met"
    printf "PDF: %.3f MB (target < 2): %s\n", pdf, pdf_ok ? "met" : "NOT met"
    exit !(time_ok && rss_ok && pdf_ok)
}'
