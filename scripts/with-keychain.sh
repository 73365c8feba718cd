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

# gnome-keyring-daemon 42-50 aborts now and then when short-lived clients open
# and drop Secret Service sessions in a burst ("gkd_secret_service_get_pkcs11_session:
# assertion 'client' failed", upstream work items 190/196/199); the test suites
# start hundreds of CLI processes. D-Bus would then activate the system's
# service file, a daemon whose keyring is locked and can only ask for its
# password on a screen, and every later keychain call in the run would fail
# with "prompt dismissed". So this session's bus looks in a folder of its own
# first, where the Secret Service's service file starts the same unlocked
# daemon again on the same keyring files: a crash costs only the calls in
# flight at that moment.
daemon="$keyrings/keyring-daemon.sh"
printf '%s\n' '#!/bin/sh' \
  'printf throwaway | exec gnome-keyring-daemon --unlock --foreground --components=secrets >/dev/null' >"$daemon"
chmod +x "$daemon"
mkdir "$keyrings/dbus-services"
printf '%s\n' '[D-BUS Service]' 'Name=org.freedesktop.secrets' "Exec=$daemon" \
  >"$keyrings/dbus-services/org.freedesktop.secrets.service"
printf '%s\n' \
  '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"' \
  ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">' \
  '<busconfig>' \
  "  <servicedir>$keyrings/dbus-services</servicedir>" \
  '  <include>/usr/share/dbus-1/session.conf</include>' \
  '</busconfig>' >"$keyrings/session.conf"
# The inner shell starts the daemon in the foreground as its own child, with a
# fixed password on the throwaway keyring, so it lives exactly as long as the
# session (a daemonised one can be gone mid-run, and D-Bus then activates a
# fresh, locked one that can only ask for a password on a screen). It writes
# the unlocked login keyring a moment after it starts; a client asking before
# then also makes it try to prompt. So the shell waits (at most 10 s) until the
# daemon owns the Secret Service name and the keyring file is written, then
# runs the command.
dbus-run-session --config-file="$keyrings/session.conf" -- sh -c '
  "$XDG_DATA_HOME/keyring-daemon.sh" &
  dir="$XDG_DATA_HOME/keyrings"
  owned() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
  }
  i=0
  while [ "$i" -lt 100 ]; do
    if owned && [ -s "$dir/login.keyring" ] && ! ls -A "$dir" | grep -q temp; then break; fi
    sleep 0.1
    i=$((i + 1))
  done
  owned || echo "with-keychain: the keyring daemon did not start within 10 s" >&2
  "$@"' sh "$@"
