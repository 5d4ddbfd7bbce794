#!/usr/bin/env bash
# Times `infusion-vitals import` against pandas.read_csv on one generated 24-h
# IntelliVue export (benches/gen_monitor_export.py), each as a whole process, so
# start-up, parsing and (for the importer) writing the sealed log all count.
#
# Usage: benches/import_vs_pandas.sh            (ROUNDS=N to change the 5 rounds)
# Targets: import median wall time <= 0.5 x pandas median; import peak RSS < 200 MB.
# Exit: 0 targets met, 1 not met, 2 could not run.
set -u

IMPORT_FLAGS=(--tz Europe/Berlin)  # the generated file settles its date order (04/23); its times need a zone
ROUNDS=${ROUNDS:-5}
TIME=/usr/bin/time

cd "$(dirname "$0")/.."

die() { echo "import_vs_pandas: $*" >&2; exit 2; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, not '$ROUNDS'"
# GNU time, not the shell keyword: only it reports peak RSS.
[[ -x $TIME ]] || die "$TIME is missing; install it: apt-get install time"
python3 -c "import pandas" 2>/dev/null || die "pandas is missing: pip install pandas"
cargo build --release --quiet || die "cargo build --release failed"

work=$(mktemp -d) || die "cannot make a temp dir"
trap 'rm -rf "$work"' EXIT
csv=$work/monitor.csv
python3 benches/gen_monitor_export.py "$csv" || die "generating the export failed"

# run NAME CMD...: one timed run; appends "seconds kilobytes" to $work/NAME.times
# and returns the command's exit code (GNU time passes it through).
run() {
    local name=$1; shift
    "$TIME" -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/$name.stderr"
    local rc=$?
    # On a non-zero exit GNU time writes a "Command exited ..." line first.
    tail -n 1 "$work/time.txt" >>"$work/$name.times"
    return $rc
}

# Alternate the two so drift in machine load hits both alike.
for ((i = 1; i <= ROUNDS; i++)); do
    if ! run pandas python3 -c "import pandas, sys; pandas.read_csv(sys.argv[1])" "$csv"; then
        tail -n 5 "$work/pandas.stderr" >&2
        die "pandas.read_csv failed"
    fi
    run import target/release/infusion-vitals --data-dir "$work/data" import "$csv" -o "$work/out.log.csv" "${IMPORT_FLAGS[@]}"
    rc=$?
    # 1 = imported with some values rejected, which is fine; 2 or a crash is not.
    if ((rc != 0 && rc != 1)); then
        tail -n 5 "$work/import.stderr" >&2
        die "the importer exited with code $rc"
    fi
done

# stats NAME: "median_seconds max_rss_mb" (MB = 1024 KiB, as GNU time's %M is KiB).
stats() {
    local median max
    median=$(cut -d' ' -f1 "$work/$1.times" | sort -n |
        awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
    max=$(cut -d' ' -f2 "$work/$1.times" | sort -n | tail -n 1)
    awk -v m="$median" -v k="$max" 'BEGIN {printf "%.2f %.1f\n", m, k / 1024}'
}
read -r p_time p_rss < <(stats pandas)
read -r i_time i_rss < <(stats import)

awk -v pt="$p_time" -v pr="$p_rss" -v it="$i_time" -v ir="$i_rss" -v n="$ROUNDS" 'BEGIN {
    ratio = (pt > 0) ? it / pt : 0
    time_ok = (it <= 0.5 * pt); rss_ok = (ir < 200)
    printf "%d rounds, 24-h 1-Hz export\n", n
    printf "%-8s %14s %16s\n", "tool", "median wall s", "max peak RSS MB"
    printf "%-8s %14.2f %16.1f\n", "pandas", pt, pr
    printf "%-8s %14.2f %16.1f\n", "import", it, ir
    printf "import/pandas wall time: %.2f (target <= 0.50): %s\n", ratio, time_ok ? "met" : "NOT met"
    printf "import peak RSS: %.1f MB (target < 200): %s\n", ir, rss_ok ? "met" : "NOT met"
    exit !(time_ok && rss_ok)
}'
