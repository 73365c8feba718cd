#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, run and test Invoicer.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Tauri 2 on Linux.
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
  # End-to-end tests: a virtual display and WebKit's WebDriver.
  xvfb webkit2gtk-driver
  # PDF checks in tests: qpdf --check and pdftotext / pdftoppm.
  qpdf poppler-utils
  # A real OS keychain for tests (scripts/with-keychain.sh): D-Bus and
  # gnome-keyring's Secret Service.
  dbus dbus-x11 gnome-keyring
  # Python for the end-to-end test runner and the test SMTP server
  # (tests/smtp, aiosmtpd).
  python3 python3-venv
  # Postfix's smtp-sink, a fast SMTP server for the mail benchmark. Preseeded
  # below with "No configuration": installing it never configures or starts a
  # mail system on the machine.
  postfix
  # The openssl command makes the test SMTP server's throwaway TLS certificates
  # (crates/test-smtp); the app itself links no OpenSSL.
  openssl
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is required; install it with rustup (https://rustup.rs)" >&2
  exit 1
fi

# The end-to-end tests drive the real window through tauri-driver.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

if [ -f ui/package.json ] && { [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; }; then
  echo "setup: installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

# The real SMTP server the mail tests start (crates/test-smtp runs
# tests/smtp/server.py with this Python); rebuilt when its pins change.
smtp_venv=tests/smtp/.venv
if [ ! -x "$smtp_venv/bin/python" ] || ! cmp -s tests/smtp/requirements.txt "$smtp_venv/requirements.txt"; then
  echo "setup: creating $smtp_venv (aiosmtpd)"
  python3 -m venv "$smtp_venv"
  "$smtp_venv/bin/pip" install --quiet --disable-pip-version-check -r tests/smtp/requirements.txt
  cp tests/smtp/requirements.txt "$smtp_venv/requirements.txt"
fi
