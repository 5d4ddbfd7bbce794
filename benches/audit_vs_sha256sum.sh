#!/usr/bin/env bash
# Times `infusion-vitals audit` against sha256sum over the same folder of 2,000 sealed
# two-hour session logs nested by chair and month (examples/audit_folder.rs), each as a
# whole process; sha256sum gets the paths in batches of 500, as `find | xargs -n 500`.
#
# Usage: benches/audit_vs_sha256sum.sh   (ROUNDS=N, default 7; LOGS=N, default 2000)
# Target: audit median wall time <= 1.5 x sha256sum's. Exit: 0 met, 1 not met, 2 could not run.
set -u

ROUNDS=${ROUNDS:-7}
LOGS=${LOGS:-2000}
cd "$(dirname "$0")/.."

die() { echo "audit_vs_sha256sum: $*" >&2; exit 2; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, not '$ROUNDS'"
[[ $LOGS =~ ^[1-9][0-9]*$ ]] || die "LOGS must be a positive whole number, not '$LOGS'"
command -v sha256sum >/dev/null || die "sha256sum is missing (coreutils)"
cargo build --release --quiet --bin infusion-vitals --example audit_folder || die "cargo build --release failed"

work=$(mktemp -d) || die "cannot make a temp dir"
trap 'rm -rf "$work"' EXIT
target/release/examples/audit_folder "$work/logs" "$LOGS" || die "writing the logs failed"
bytes=$(du -sb "$work/logs" | cut -f1)
# The new files go to the disk now, not in the background of the timed runs.
sync

now() { date +%s.%N; }

# timed NAME CMD...: appends the command's wall seconds to $work/NAME.times.
timed() {
    local name=$1; shift
    local t0 t1
    t0=$(now)
    "$@" >/dev/null 2>"$work/$name.stderr"
    local rc=$?
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$work/$name.times"
    return $rc
}

hash_all() { find "$work/logs" -name '*.csv' -print0 | xargs -0 -n 500 sha256sum; }

# Once each to warm the page cache, so both read from memory, not from the disk.
hash_all >/dev/null
target/release/infusion-vitals audit "$work/logs" --json >/dev/null
rm -f "$work"/*.times
for ((i = 1; i <= ROUNDS; i++)); do
    timed sha256sum hash_all || die "sha256sum failed: $(tail -n 3 "$work/sha256sum.stderr")"
    timed audit target/release/infusion-vitals audit "$work/logs" --json
    rc=$?
    ((rc == 0)) || die "the audit exited with $rc on logs that all follow the protocol: $(tail -n 3 "$work/audit.stderr")"
done

median() { sort -n "$work/$1.times" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
sha=$(median sha256sum)
audit=$(median audit)
ratio=$(awk -v a="$audit" -v s="$sha" 'BEGIN {print a / s}')
printf '%d rounds, %d logs, %.1f MB\n' "$ROUNDS" "$LOGS" "$(awk -v b="$bytes" 'BEGIN {print b / 1048576}')"
printf 'sha256sum (500 paths a call)  %.3f s\n' "$sha"
printf 'infusion-vitals audit --json  %.3f s\n' "$audit"
if awk -v r="$ratio" 'BEGIN {exit !(r <= 1.5)}'; then
    printf 'audit/sha256sum: %.2f (target <= 1.5): met\n' "$ratio"
else
    printf 'audit/sha256sum: %.2f (target <= 1.5): NOT met\n' "$ratio"
    exit 1
fi
