#!/usr/bin/env bash
# Runs the end-to-end suite against the built debug binary. Builds nothing
# (`make e2e` builds, then runs this; by hand: `cd ui && npm ci && npm run build`,
# then `cargo build -p invoicer-desktop --features e2e`, whose test hook the
# suite needs). Needs: xvfb, webkit2gtk-driver, tauri-driver on PATH, python3.
#
#   INVOICER_APP   the binary to test (default: <repo>/target/debug/invoicer-desktop)
#   E2E_VENV       where the Python environment lives (default: tests/e2e/.venv)
#   E2E_LANG       the app's LANG (default: en_US.UTF-8)
#   extra arguments go to pytest, e.g. ./run.sh -k payment
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export INVOICER_APP="${INVOICER_APP:-$repo/target/debug/invoicer-desktop}"

if [[ ! -x "$INVOICER_APP" ]]; then
  echo "no app binary at $INVOICER_APP; build it first: cargo build -p invoicer-desktop --features e2e" >&2
  exit 2
fi
for tool in tauri-driver WebKitWebDriver Xvfb; do
  command -v "$tool" >/dev/null || { echo "$tool is not on PATH" >&2; exit 2; }
done

venv="${E2E_VENV:-$here/.venv}"
if [[ ! -x "$venv/bin/pytest" ]] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

xvfb_pid=""
cleanup() { [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [[ -z "${DISPLAY:-}" ]]; then
  n=99; while [[ -e "/tmp/.X$n-lock" ]]; do n=$((n + 1)); done
  display=":$n"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do [[ -e "/tmp/.X11-unix/X${display#:}" ]] && break; sleep 0.1; done
  export DISPLAY="$display"
fi

mkdir -p "$here/artifacts"
cd "$here"
"$venv/bin/pytest" -v --durations=0 -W ignore::DeprecationWarning "$@"
