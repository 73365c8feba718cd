#!/usr/bin/env bash
# Checks the throwaway keychain session scripts/with-keychain.sh gives the
# tests: its keyring is unlocked, and when gnome-keyring-daemon aborts (it does
# under bursts of short-lived clients, see with-keychain.sh) the next caller is
# answered by a fresh daemon with the same keyring, still unlocked, rather than
# by a locked one that can only prompt. `make test-rust` runs it first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2016 # expanded by the inner shell, inside the session
"$here/with-keychain.sh" bash -c '
  set -euo pipefail
  default_collection() {
    dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.Secret.Service.ReadAlias string:default | awk "/object path/ { gsub(/\"/, \"\", \$3); print \$3 }"
  }
  locked() {
    dbus-send --session --print-reply --dest=org.freedesktop.secrets "$1" \
      org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked |
      awk "/boolean/ { print \$3 }"
  }
  expect_unlocked() {
    local path
    path="$(default_collection)"
    [ -n "$path" ] && [ "$path" != / ] || { echo "check_keychain_session: no default keyring $1" >&2; exit 1; }
    [ "$(locked "$path")" = false ] || { echo "check_keychain_session: the keyring is locked $1" >&2; exit 1; }
  }
  # The daemon answering on this session bus (other sessions may run their own).
  daemon_pid() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk "/uint32/ { print \$2 }"
  }
  expect_unlocked "at the start"
  before="$(daemon_pid)"
  kill -ABRT "$before"
  while kill -0 "$before" 2>/dev/null; do sleep 0.05; done
  expect_unlocked "after the daemon aborted"
  after="$(daemon_pid)"
  [ "$after" != "$before" ] || { echo "check_keychain_session: the daemon was not started again" >&2; exit 1; }
'
echo "check_keychain_session: the keyring stays unlocked across a daemon abort"
