#!/usr/bin/env bash
# CI check of make dist's packages (bin/dist/): the Linux tar.xz installs
# with its own Makefile into a temporary prefix and the installed binary
# answers --version (no display needed); the Windows file is a 64-bit PE
# GUI executable with its version resource and icon; the tracked
# FyneApp.toml was not changed by packaging. Needs file and icoutils
# (scripts/deps.sh dist).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=bin/dist

fail() { echo "distcheck: $*" >&2; exit 1; }

version=$(sed -n 's/^Version *= *"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
tarball=$dist/chancery-$version-linux-amd64.tar.xz
exe=$dist/chancery-$version-windows-amd64.exe
[[ -f "$tarball" ]] || fail "$tarball is missing"
[[ -f "$exe" ]] || fail "$exe is missing"

git diff --quiet -- FyneApp.toml || fail "FyneApp.toml was changed: $(git diff --stat -- FyneApp.toml)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp"
make -s -C "$tmp/chancery" install PREFIX="$tmp/prefix" >/dev/null
for f in bin/chancery share/applications/ca.missions.chancery.desktop share/pixmaps/ca.missions.chancery.png; do
  [[ -f "$tmp/prefix/$f" ]] || fail "the package did not install $f"
done
grep -q '^Exec=chancery' "$tmp/prefix/share/applications/ca.missions.chancery.desktop" ||
  fail "the .desktop entry does not start chancery"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY LANG=C.UTF-8 HOME="$tmp" "$tmp/prefix/bin/chancery" --version) ||
  fail "the installed chancery --version failed"
commit=$(git rev-parse HEAD)
[[ "$out" == *"Chancery $version"* && "$out" != *"-dev"* ]] || fail "installed --version says: $out"
[[ "$out" == *"Commit ${commit:0:12}"* ]] || fail "installed --version lacks commit ${commit:0:12}: $out"
[[ "$out" == *"Built 20"* ]] || fail "installed --version lacks the build date: $out"

# A PE executable: "MZ", then at the offset stored at 0x3c, "PE\0\0" and the
# AMD64 machine type 0x8664.
[[ "$(head -c 2 "$exe")" == MZ ]] || fail "$exe does not start with MZ"
peoff=$(od -An -t u4 -j 60 -N 4 "$exe" | tr -d ' ')
[[ "$(od -An -c -j "$peoff" -N 4 "$exe" | tr -d ' ')" == 'PE\0\0' ]] || fail "$exe has no PE header"
[[ "$(od -An -t x2 -j $((peoff + 4)) -N 2 "$exe" | tr -d ' ')" == 8664 ]] || fail "$exe is not for x86-64"
file -b "$exe" | grep -q 'PE32+ executable (GUI) x86-64' || fail "file says: $(file -b "$exe")"
# The resources fyne package adds: FyneApp.toml's version and build number
# (UTF-16 strings, read here without their zero bytes), and the icon.
build=$(sed -n 's/^Build *= *\([0-9]*\).*/\1/p' FyneApp.toml | head -n 1)
found=$(tr -d '\0' <"$exe" | grep -ac "ProductVersion.\{0,2\}$version\.$build" || true)
[[ "$found" -gt 0 ]] || fail "$exe has no version resource $version.$build"
[[ -n "$(wrestool -l --type=group_icon "$exe")" ]] || fail "$exe carries no icon"
echo "distcheck: $tarball installs and runs --version ($(head -n 1 <<<"$out"));" \
  "$exe is a PE32+ GUI executable with version $version.$build and an icon"
