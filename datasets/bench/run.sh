#!/usr/bin/env bash
# End-to-end throughput and memory of threadlens on the bundled samples and
# the shared corpus, plus the Go micro-benchmarks. Prints one line per run:
#   NAME  threads  comments  seconds  comments/s  peak-RSS-MiB
# Usage: datasets/bench/run.sh [-n REPEAT]   (from the repository root)
# Nothing here asserts a timing; it only measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
repeat=1
[[ "${1:-}" == "-n" ]] && repeat="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/threadlens" ./cmd/threadlens
corpus=../shared/corpus

measure() { # name, sources...
  local name=$1; shift
  for ((i = 1; i <= repeat; i++)); do
    rm -rf "$tmp/out"
    local start end
    start=$(date +%s.%N)
    /usr/bin/env time -f "%M" -o "$tmp/rss" "$tmp/threadlens" --out "$tmp/out" --log-level error --progress never "$@" >"$tmp/summary" 2>/dev/null || true
    end=$(date +%s.%N)
    python3 - "$name" "$start" "$end" "$tmp/rss" "$tmp/out/_manifest.json" <<'PY'
import json, sys
name, start, end, rss, manifest = sys.argv[1:]
secs = float(end) - float(start)
try:
    m = json.load(open(manifest))
except OSError:
    print(f"{name:<22} run failed: no dataset written")
    sys.exit(0)
threads, comments = m["tables"].get("threads", 0), m["tables"].get("comments", 0)
peak = int(open(rss).read().split()[-1]) / 1024
print(f"{name:<22} {threads:>7} {comments:>9} {secs:>8.2f}s {comments/secs:>10.0f}/s {peak:>8.1f} MiB")
PY
  done
}

printf '%-22s %7s %9s %9s %12s %12s\n' run threads comments seconds comments/s peak-RSS
measure samples
if [[ -d $corpus ]]; then
  measure wordpress "$corpus/wordpress"
  measure reddit "$corpus/reddit"
  measure hackernews "$corpus/hackernews"
  measure all-corpus "$corpus/wordpress" "$corpus/reddit" "$corpus/hackernews" "$corpus/other"
fi
echo
echo "Go benchmarks:"
go test -run '^$' -bench . -benchtime 3x ./scrape/... ./nlp/... ./datasets/... 2>/dev/null | grep -E '^(Benchmark|ok|PASS)' || true
