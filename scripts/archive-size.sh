#!/usr/bin/env bash
# Archive size against xz -9, on the real curves (docs/BENCHMARKS.md, "Archive size").
#
#   scripts/archive-size.sh CSV...        (default: the two files of ../shared/data/curves/)
#
# For each CSV: ingests it into a fresh store, exports the experiment to an archive, and writes
# the store's content back out as a CSV `metric,step,timestamp,value` (values as `runlog series`
# prints them: they parse back to the same bits), which is what `xz -9` compresses. Prints bytes
# and bytes/point for the archive, the xz'd store CSV, the xz'd input CSV and the raw store CSV.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runlog="$here/runlog"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$here/../shared/data/curves/gpt2-124m-llmc.csv" "$here/../shared/data/curves/rl-a2c-humanoid.csv")
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'file,points,archive_bytes,archive_B_per_pt,store_csv_bytes,store_csv_B_per_pt,store_csv_xz9_bytes,store_csv_xz9_B_per_pt,input_csv_xz9_bytes,input_csv_xz9_B_per_pt\n'
for f in "${files[@]}"; do
  name="$(basename "$f" .csv)"
  store="$work/store-$name"
  "$runlog" ingest --dir "$store" --experiment e "$f" 2>/dev/null
  "$runlog" export --dir "$store" --experiment e -o "$work/$name.rla" 2>/dev/null
  csv="$work/$name.store.csv"
  echo "metric,step,timestamp,value" > "$csv"
  # metrics in definition order, each metric's points in arrival order
  "$runlog" metrics --dir "$store" --experiment e | tail -n +2 | cut -d, -f1 | while read -r m; do
    "$runlog" series --dir "$store" --experiment e --metric "$m" | tail -n +2 | sed "s/^/$m,/"
  done >> "$csv"
  points=$(($(wc -l < "$csv") - 1))
  a=$(stat -c %s "$work/$name.rla")
  c=$(stat -c %s "$csv")
  x=$(xz -9 -c "$csv" | wc -c)
  xi=$(xz -9 -c "$f" | wc -c)
  awk -v n="$name" -v p="$points" -v a="$a" -v c="$c" -v x="$x" -v xi="$xi" 'BEGIN {
    printf "%s,%d,%d,%.3f,%d,%.3f,%d,%.3f,%d,%.3f\n", n, p, a, a/p, c, c/p, x, x/p, xi, xi/p }'
done
