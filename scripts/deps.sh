#!/usr/bin/env bash
# Installs the system packages Chancery needs to build, test and run on
# Debian or Ubuntu, when any is missing. Elsewhere it says what to install.
set -euo pipefail

packages=(
  gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb xauth x11-utils libgl1-mesa-dri xdotool imagemagick
  dbus dbus-x11 gnome-keyring libsecret-tools
  fonts-noto-cjk git ca-certificates
  postgresql-15  # the team review tests start their own PostgreSQL 15 (team/pgtest)
  systemd util-linux  # a private systemd --user for the real timer test (timer/systemdtest)
)
# make dist also packs a tar.xz and cross-compiles for Windows.
if [[ "${1:-}" == dist ]]; then
  packages+=(xz-utils file icoutils gcc-mingw-w64-x86-64)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install a C compiler, the OpenGL and X11 development headers," >&2
  echo "and Go 1.26 yourself (see README.md, 'Other systems')." >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
