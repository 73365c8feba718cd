#!/usr/bin/env bash
# Runs a command with a real, throwaway OS keychain: a private D-Bus session
# with gnome-keyring's Secret Service, unlocked, its keyring files in a
# temporary folder (never the user's own keyrings). Tests that check the
# keyed audit chain need it; without it the app runs unkeyed.
#   scripts/with-keychain.sh cargo test --workspace
set -euo pipefail
if [ "${INVOICER_IN_KEYCHAIN_SESSION:-}" = 1 ]; then
  exec "$@"
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keychain: dbus-run-session or gnome-keyring-daemon is missing (scripts/setup.sh installs them)" >&2
  exit 1
fi
keyrings="$(mktemp -d)"
trap 'rm -rf "$keyrings"' EXIT
export XDG_DATA_HOME="$keyrings" INVOICER_IN_KEYCHAIN_SESSION=1
# The inner shell starts the daemon with a fixed password on the throwaway
# keyring, then replaces itself with the command.
dbus-run-session -- sh -c 'echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
