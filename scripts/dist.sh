#!/usr/bin/env bash
# make dist: builds, into bin/dist/, the packages users install:
#   chancery-VERSION-linux-amd64.tar.xz    fyne package: the binary, the icon, a .desktop
#                                          entry and a Makefile (sudo make install)
#   chancery-VERSION-windows-amd64.exe     cross-compiled with MinGW-w64, carrying the icon
#                                          and the version from FyneApp.toml
# VERSION is FyneApp.toml's; the commit and the build date are linked in
# (chancery/version) so that chancery --version and Help → About name them.
#
# fyne package increments Build in FyneApp.toml each time it runs, and writes
# a resource file beside the sources for Windows: it runs on a copy of the
# tree in a temporary folder, so the tracked FyneApp.toml never changes.
#
# DIST_TARGETS=linux or DIST_TARGETS=windows builds only one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fyne=${FYNE:-$(go env GOPATH)/bin/fyne}
mingw=${MINGW_CC:-x86_64-w64-mingw32-gcc}
targets=${DIST_TARGETS:-linux windows}
out=$root/bin/dist

version=$(sed -n 's/^Version *= *"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
[[ -n "$version" ]] || { echo "dist: no Version in FyneApp.toml" >&2; exit 1; }
commit=$(git rev-parse HEAD)
if [[ -n "${SOURCE_DATE_EPOCH:-}" ]]; then
  built=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
  built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi
if ! git diff --quiet HEAD -- . 2>/dev/null; then
  echo "dist: warning: the tree has uncommitted changes; they are built, under commit ${commit:0:12}" >&2
fi

[[ -x "$fyne" ]] || { echo "dist: $fyne is missing: run make tools" >&2; exit 1; }
if [[ " $targets " == *" windows "* ]] && ! command -v "$mingw" >/dev/null; then
  echo "dist: $mingw is missing: install gcc-mingw-w64-x86-64 (scripts/deps.sh dist)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/chancery-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

# copy lists the tracked and new (not ignored) files of the working tree into
# a fresh folder: what make dist builds is what git status shows.
copy() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$1"
}

# The linker flags travel in GOFLAGS: fyne package passes its -ldflags=
# entries on to go build (each one without spaces, hence -X=name=value).
pkg=chancery/version
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-ldflags=-X=$pkg.version=$version -ldflags=-X=$pkg.commit=$commit -ldflags=-X=$pkg.date=$built"

mkdir -p "$out"
fyneApp=$(sha256sum FyneApp.toml)

for target in $targets; do
  src=$work/$target
  copy "$src"
  start=$SECONDS
  case $target in
  linux)
    (cd "$src" && "$fyne" package -os linux --release)
    mv "$src/Chancery.tar.xz" "$out/chancery-$version-linux-amd64.tar.xz"
    file=$out/chancery-$version-linux-amd64.tar.xz
    ;;
  windows)
    # fyne package builds for Windows twice (before and after adding the
    # icon and version resource) and forgets GOFLAGS' -ldflags after the
    # first: an existing --executable skips the first build, so the one
    # build left links the version in.
    : >"$src/chancery.exe"
    (cd "$src" && CC=$mingw CXX=${mingw%gcc}g++ GOARCH=amd64 \
      "$fyne" package -os windows --release --executable chancery.exe)
    mv "$src/Chancery.exe" "$out/chancery-$version-windows-amd64.exe"
    file=$out/chancery-$version-windows-amd64.exe
    ;;
  *)
    echo "dist: unknown target $target (linux, windows)" >&2
    exit 2
    ;;
  esac
  printf 'dist: %s (%s bytes) in %ds\n' "${file#"$root"/}" "$(stat -c %s "$file")" $((SECONDS - start))
done

if [[ "$(sha256sum FyneApp.toml)" != "$fyneApp" ]]; then
  echo "dist: FyneApp.toml changed while packaging" >&2
  exit 1
fi
