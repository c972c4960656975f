#!/usr/bin/env bash
# A/B of the working tree against a git revision, in alternating short JMH runs.
#
#   scripts/bench-ab.sh REV ROUNDS 'JMH include regex' [more JMH arguments ...]
#   scripts/bench-ab.sh main 3 'StoreScaleBenchmark.read' -f 1 -wi 3 -w 2s -i 5 -r 2s
#
# Builds REV's benchmark jar (git archive into target/ab/base-src, so no checkout is touched) and
# the working tree's, then runs base, head, base, head ... ROUNDS times each with the same
# arguments, and prints per benchmark the median of every score of each side and head/base.
# Alternating rounds spread the noise of a shared machine over both sides; quote the ratio.
# AB_DIR=dir puts the jars and results there (default target/ab); AB_SKIP_BUILD=1 reuses the
# jars already in it (base.jar, head.jar).
set -euo pipefail
rev=${1:?usage: scripts/bench-ab.sh REV ROUNDS REGEX [JMH args]}
rounds=${2:?rounds}
shift 2
root=$(git rev-parse --show-toplevel)
out=${AB_DIR:-$root/target/ab}
mkdir -p "$out"
if [ "${AB_SKIP_BUILD:-0}" != 1 ]; then
    rm -rf "$out/base-src"
    mkdir -p "$out/base-src"
    git -C "$root" archive "$rev" | tar -x -C "$out/base-src"
    (cd "$out/base-src" && mvn -B -q -Pjmh -DskipTests package)
    cp "$out/base-src/target/jmh/runlog-benchmarks.jar" "$out/base.jar"
    (cd "$root" && mvn -B -q -Pjmh -DskipTests package)
    cp "$root/target/jmh/runlog-benchmarks.jar" "$out/head.jar"
fi
for r in $(seq 1 "$rounds"); do
    for side in base head; do
        echo "== round $r: $side"
        java -jar "$out/$side.jar" "$@" -rf json -rff "$out/$side-$r.json"
    done
done
python3 - "$out" "$rounds" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
scores = {}
for side in ("base", "head"):
    for r in range(1, rounds + 1):
        for b in json.load(open("%s/%s-%d.json" % (out, side, r))):
            name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
            unit = b["primaryMetric"]["scoreUnit"]
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            scores.setdefault((name, unit), {}).setdefault(side, []).extend(raw)
print("| benchmark | unit | base median | head median | head/base |")
print("|---|---|---|---|---|")
for (name, unit), s in sorted(scores.items()):
    if "base" in s and "head" in s:
        b, h = statistics.median(s["base"]), statistics.median(s["head"])
        print("| %s | %s | %.2f | %.2f | %.3f |" % (name, unit, b, h, h / b))
EOF
