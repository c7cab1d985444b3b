#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real, unlocked
# gnome-keyring Secret Service, in a throwaway HOME, then stops the daemon.
# Used for the tests that talk to the real OS keyring.
set -euo pipefail

if [[ "${CHANCERY_IN_KEYRING_SESSION:-}" != 1 ]]; then
  if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
    echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing; running without a keyring" >&2
    exec "$@"
  fi
  export CHANCERY_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

# Keep Go's caches where they are: only the keyring gets a fresh HOME.
if command -v go >/dev/null; then
  GOPATH=$(go env GOPATH) GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE)
  export GOPATH GOCACHE GOMODCACHE
fi
home=$(mktemp -d)
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config"
# The newline on stdin makes the daemon create and unlock a login keyring
# with an empty password.
echo "" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
cleanup() { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  if dbus-send --session --dest=org.freedesktop.DBus --type=method_call --print-reply \
      /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done
export CHANCERY_REAL_KEYRING=1
"$@"
