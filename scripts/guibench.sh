#!/usr/bin/env bash
# GUI benchmarks under Xvfb, as ratios against an empty Fyne window built and
# run in the same run (the app binary with CHANCERY_EMPTY_WINDOW=1). A profile of 5 missions × 3
# RSS accounts × 2,000 cached posts of English, French and Chinese text is
# seeded; its feeds are served on 127.0.0.1 and keep growing as if time ran
# 360 times as fast (a new item every 4 simulated seconds on every feed).
# The app's CHANCERY_TRACE=1 lines give the timings.
# Usage: scripts/guibench.sh [RUNS]   (default 3)
set -euo pipefail
runs=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${GUIBENCH_KEEP:-}" ]]; then echo "guibench: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

go build -o "$work/chancery" "$root"
go build -o "$work/benchtool" "$root/scripts/benchtool"

Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
[[ -s "$work/display" ]] || { echo "guibench: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$work/display")" LANG=C.UTF-8 CHANCERY_TRACE=1
export HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"

now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# trace_ms LOG EVENT [N]: the Unix time of the Nth line of EVENT (the last
# of N lines), once there are N; polls every 100 ms for up to 60 s.
trace_ms() {
  local n=${3:-1}
  for _ in $(seq 1 600); do
    local seen; seen=$(grep -c " $2" "$1" 2>/dev/null || true) # the log may not exist yet
    if (( ${seen:-0} >= n )); then
      grep " $2" "$1" | sed -n "${n}p" | sed 's/.*unix_ms=\([0-9]*\).*/\1/'
      return
    fi
    sleep 0.1
  done
  echo "guibench: no $2 in $1 after 60 s" >&2; cat "$1" >&2; return 1
}
# sleep_until MS: sleeps until the Unix time MS.
sleep_until() { local d=$(( $1 - $(now_ms) )); (( d > 0 )) && sleep "$(awk -v d="$d" 'BEGIN { print d / 1000 }')" || true; }
# stop PID: SIGTERM, and sets quit_ms to how long the process took to end.
# (Not in a subshell: only the shell that started it can wait for it.)
stop() {
  local t; t=$(now_ms)
  kill -TERM "$1"; wait "$1" || true
  quit_ms=$(( $(now_ms) - t ))
}

: >"$work/empty.txt"
for i in $(seq 1 "$runs"); do
  t0=$(now_ms)
  CHANCERY_EMPTY_WINDOW=1 "$work/chancery" 2>"$work/empty$i.log" &
  pid=$!; pids+=("$pid")
  shown=$(( $(trace_ms "$work/empty$i.log" window-shown) - t0 ))
  sleep_until $(( t0 + 10000 ))
  echo "$shown $(rss_kb "$pid")" >>"$work/empty.txt"
  stop "$pid"
done

"$work/benchtool" serve --speed 360 --every 4s >"$work/feeds.url" 2>"$work/feeds.log" &
pids+=($!)
for _ in $(seq 1 100); do [[ -s "$work/feeds.url" ]] && break; sleep 0.1; done
"$work/benchtool" seed --profile "$work/seeded" --feeds "$(cat "$work/feeds.url")" 2>/dev/null

: >"$work/app.txt"
for i in $(seq 1 "$runs"); do
  cp -r "$work/seeded" "$work/p$i"
  t0=$(now_ms)
  "$work/chancery" --profile "$work/p$i" 2>"$work/app$i.log" &
  pid=$!; pids+=("$pid")
  painted=$(( $(trace_ms "$work/app$i.log" first-cached-post-painted 5) - t0 ))
  sleep_until $(( t0 + 10000 ))
  rss=$(rss_kb "$pid")
  stop "$pid"
  echo "$painted $rss $quit_ms" >>"$work/app.txt"
done

# The long run: a refresh of all 15 accounts every second (F5) for 80 s,
# 8 simulated hours; memory after the first simulated hour and at the end.
cp -r "$work/seeded" "$work/long"
"$work/chancery" --profile "$work/long" 2>"$work/long.log" &
pid=$!; pids+=("$pid")
trace_ms "$work/long.log" first-cached-post-painted 5 >/dev/null
window=$(xdotool search --name '^Chancery$' | head -n1)
xdotool windowfocus "$window" 2>/dev/null || true
t0=$(now_ms)
hour1=""
while (( $(now_ms) - t0 < 80000 )); do
  xdotool key --window "$window" F5 2>/dev/null || xdotool key F5
  sleep 1
  if [[ -z "$hour1" ]] && (( $(now_ms) - t0 >= 10000 )); then hour1=$(rss_kb "$pid"); fi
done
hour8=$(rss_kb "$pid")
stop "$pid"
long_quit=$quit_ms
refreshes=$(grep -c "refresh-finished" "$work/long.log" || true)
callbacks=$(grep " ui-callbacks " "$work/long.log" | tail -n1 || true)

e_shown=$(awk '{ print $1 }' "$work/empty.txt" | median)
e_rss=$(awk '{ print $2 }' "$work/empty.txt" | median)
a_painted=$(awk '{ print $1 }' "$work/app.txt" | median)
a_rss=$(awk '{ print $2 }' "$work/app.txt" | median)
a_quit=$(awk '{ print $3 }' "$work/app.txt" | median)
p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$callbacks")
echo "GUI benchmarks (median of $runs runs, $(nproc) cores, Xvfb; 15 accounts × 2,000 posts)"
printf '  empty Fyne window shown:        %8.0f ms, RSS at 10 s %6.0f MB\n' "$e_shown" "$(awk -v k="$e_rss" 'BEGIN { print k / 1024 }')"
printf '  cached posts painted, 5 columns:%8.0f ms  = %5.2f × empty window shown (target ≤ 1.5)\n' "$a_painted" "$(awk -v a="$a_painted" -v b="$e_shown" 'BEGIN { print a / b }')"
printf '  RSS 10 s after start:           %8.0f MB  = %5.2f × empty window (target ≤ 1.4)\n' "$(awk -v k="$a_rss" 'BEGIN { print k / 1024 }')" "$(awk -v a="$a_rss" -v b="$e_rss" 'BEGIN { print a / b }')"
printf '  quit after SIGTERM:             %8.0f ms (target ≤ 1000); after the long run %s ms\n' "$a_quit" "$long_quit"
printf '  RSS after 8 simulated hours:    %8.0f MB  = %5.2f × after the first hour, %.0f MB (target 0.90–1.10)\n' \
  "$(awk -v k="$hour8" 'BEGIN { print k / 1024 }')" "$(awk -v a="$hour8" -v b="$hour1" 'BEGIN { print a / b }')" "$(awk -v k="$hour1" 'BEGIN { print k / 1024 }')"
printf '  UI callbacks, whole long run:   p99 %s ms (target ≤ 16); %s\n' "$p99" "$(sed 's/.* ui-callbacks //' <<<"$callbacks")"
printf '  timelines merged after refreshes in the long run: %s\n' "$refreshes"
