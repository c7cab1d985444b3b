#!/usr/bin/env bash
# Runs the benchmarks several times and prints their medians and ratios, then
# the GUI benchmarks under Xvfb (scripts/guibench.sh, up to 3 runs).
set -euo pipefail
count=${BENCH_COUNT:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -run '^$' -bench '^Benchmark(Ingest|IngestMentions|RawPut|Newest200)$' -count "$count" ./storage/ >>"$out"
go test -run '^$' -bench '^BenchmarkExportArchive$' -benchtime 3x -count "$count" ./cli/ >>"$out"
go test -run '^$' -bench '^BenchmarkRefresh15$' -benchtime 10x -count "$count" ./feeds/ >>"$out"
# One build of the index of 100,000 posts per run (about 30 s on two cores).
go test -run '^$' -bench '^BenchmarkSearch100k$' -benchtime 1x -count "$count" -timeout 30m ./search/ >>"$out"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# metric NAME UNIT: the values of UNIT reported by benchmark NAME.
metric() { awk -v name="$1" -v unit="$2" '$1 ~ "^Benchmark" name "(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i + 1) == unit) print $i }' "$out"; }

ingest=$(metric Ingest posts/s | median)
raw=$(metric RawPut posts/s | median)
newest=$(metric Newest200 ns/op | median)
refresh=$(metric Refresh15 ms/refresh-15 | median)
ratio=$(metric Refresh15 x-slowest | median)

echo "Chancery benchmarks (median of $count runs, $(nproc) cores)"
printf '  cache ingest:                 %12.0f posts/s\n' "$ingest"
printf '  raw bbolt puts, same bytes:   %12.0f posts/s\n' "$raw"
printf '  ingest / raw:                 %12.2f\n' "$(awk -v a="$ingest" -v b="$raw" 'BEGIN { print a / b }')"
printf '  newest 200 of 10,000 posts:   %12.3f ms\n' "$(awk -v n="$newest" 'BEGIN { print n / 1e6 }')"
printf '  ingest, every post a record:  %12.0f posts/s\n' "$(metric IngestMentions posts/s | median)"
printf '  records export, 2,000:        %12.1f µs/record\n' "$(metric 'ExportArchive/records=2000' ns/record | median | awk '{ print $1 / 1e3 }')"
printf '  records export, 32,000:       %12.1f µs/record\n' "$(metric 'ExportArchive/records=32000' ns/record | median | awk '{ print $1 / 1e3 }')"
printf '  refresh 15 slow accounts:     %12.1f ms\n' "$refresh"
printf '  ... / slowest single fetch:   %12.2f\n' "$ratio"
printf '  search index, 100,000 posts:  %12.0f posts/s\n' "$(metric Search100k posts/s | median)"
printf '  search p95, one word:         %12.1f ms\n' "$(metric Search100k ms-p95-1word | median)"
printf '  search p95, two words:        %12.1f ms\n' "$(metric Search100k ms-p95-2words | median)"
printf '  search index size:            %12.1f MB (cached text %.1f MB, x%.1f)\n' "$(metric Search100k MB-index | median)" "$(metric Search100k MB-text | median)" "$(metric Search100k index/text | median)"

echo
scripts/guibench.sh "$(( count < 3 ? count : 3 ))"
