#!/usr/bin/env bash
# Real-window keyboard check: starts the binary under Xvfb at 1024×700 on a
# fresh profile, presses Tab once (the New post button) and then until the
# first column's posts have the keyboard, and fails unless each press
# visibly changes the window where the focus went (the focus colour).
# Screenshots: OUT-0.png (no focus), OUT-1.png (New post), OUT-2.png (a post).
# Usage: scripts/focus.sh BIN OUT
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
Xvfb -displayfd 3 -screen 0 1024x700x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 1 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
export DISPLAY=":$(tr -d '[:space:]' <"$work/display")" LANG=C.UTF-8 HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"
"$bin" --profile "$work/profile" >"$work/app.log" 2>&1 &
app=$!
window=""
for _ in $(seq 1 600); do
  window=$(xdotool search --name '^Chancery$' 2>/dev/null | head -n1 || true)
  [[ -n "$window" ]] && break
  sleep 0.1
done
[[ -n "$window" ]] || { echo "focus: no window" >&2; cat "$work/app.log" >&2; exit 1; }
xdotool windowsize "$window" 1024 700
xdotool windowmove "$window" 0 0
sleep 3
import -window root "$out-0.png"
# changed A B X Y W H: how many pixels of the region differ between A and B.
changed() {
  convert "$1" -crop "$5x$6+$3+$4" +repage "$work/a.png"
  convert "$2" -crop "$5x$6+$3+$4" +repage "$work/b.png"
  compare -metric AE -fuzz 5% "$work/a.png" "$work/b.png" null: 2>&1 || true
}
xdotool key --window "$window" Tab
sleep 1
import -window root "$out-1.png"
button=$(changed "$out-0.png" "$out-1.png" 0 25 120 35)   # the New post button
xdotool key --window "$window" Tab Tab Tab Tab Tab Tab Tab
sleep 1
import -window root "$out-2.png"
post=$(changed "$out-1.png" "$out-2.png" 0 150 200 120)   # the first column's first post
echo "focus: New post button: $button pixels changed; first post: $post pixels changed"
if (( ${button%.*} < 500 || ${post%.*} < 2000 )); then
  echo "focus: the focus is not visible" >&2; exit 1
fi
