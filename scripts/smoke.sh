#!/usr/bin/env bash
# Starts the real binary under Xvfb on a fresh profile, waits for its window,
# takes a screenshot and fails if the window never appears or the picture is
# blank. Then checks that a second instance on the same profile refuses
# clearly instead of hanging.
# Usage: scripts/smoke.sh BIN OUT.png
set -euo pipefail
bin=$(realpath "$1")
out=$2
mkdir -p "$(dirname "$out")"

work=$(mktemp -d)
cleanup() {
  [[ -n "${app:-}" ]] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null || true
  [[ -n "${xvfb:-}" ]] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display number itself and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 1 100); do
  [[ -s "$work/display" ]] && break
  kill -0 "$xvfb" 2>/dev/null || { echo "smoke: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/display" ]] || { echo "smoke: Xvfb gave no display" >&2; exit 1; }
display=":$(tr -d '[:space:]' <"$work/display")"
export DISPLAY=$display LANG=C.UTF-8 HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"

profile="$work/profile"
"$bin" --profile "$profile" >"$work/app.log" 2>&1 &
app=$!

window=""
for _ in $(seq 1 600); do   # up to 60 s, polling every 100 ms
  window=$(xdotool search --name '^Chancery$' 2>/dev/null | head -n1 || true)
  [[ -n "$window" ]] && break
  if ! kill -0 "$app" 2>/dev/null; then
    echo "smoke: chancery exited before showing a window:" >&2; cat "$work/app.log" >&2; exit 1
  fi
  sleep 0.1
done
if [[ -z "$window" ]]; then
  echo "smoke: no window titled Chancery after 60 s" >&2; cat "$work/app.log" >&2; exit 1
fi
sleep 3   # let the first frames and the demo refresh render
import -window root "$out"

# A blank capture has (almost) one colour and no contrast.
colors=$(convert "$out" -format '%k' info:)
stddev=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "smoke: window $window, screenshot $out: $colors colours, grey std-dev $stddev"
if (( colors < 50 )) || awk -v s="$stddev" 'BEGIN { exit !(s < 0.02) }'; then
  echo "smoke: the screenshot looks blank" >&2; exit 1
fi

# A second instance on the same profile must say so and exit, not hang.
set +e
second=$(timeout 20 "$bin" --profile "$profile" missions 2>&1)
code=$?
set -e
if [[ $code -ne 1 ]] || ! grep -qi 'already running' <<<"$second"; then
  echo "smoke: second instance exited $code: $second" >&2; exit 1
fi
echo "smoke: second instance refused: $(grep -i 'already running' <<<"$second" | head -n1)"
