#!/usr/bin/env python3
"""Fails when a workspace crate depends on a crate its layer may not use.

The rules are ARCHITECTURE.md's invariants: the domain depends on no other
workspace crate and on nothing that does I/O; store, documents and mail depend
only on the domain; only the app composes them; the CLI and the desktop shell
depend on the app (and the domain for types). Only the store may use SQLite,
only documents PDF, only mail SMTP, only the shell Tauri.
"""
import json
import subprocess
import sys

ALLOWED_WORKSPACE_DEPS = {
    "invoicer-domain": set(),
    "invoicer-store": {"invoicer-domain"},
    "invoicer-documents": {"invoicer-domain"},
    "invoicer-mail": {"invoicer-domain"},
    "invoicer-keychain": set(),
    "invoicer-app": {"invoicer-domain", "invoicer-store", "invoicer-documents", "invoicer-mail", "invoicer-keychain"},
    "invoicer-cli": {"invoicer-app", "invoicer-domain"},
    "invoicer-desktop": {"invoicer-app", "invoicer-domain"},
    "invoicer-tests": {"invoicer-app", "invoicer-domain"},
}
# Libraries that belong to exactly one crate (normal dependencies only).
OWNED = {
    "rusqlite": "invoicer-store",
    "rusqlite_migration": "invoicer-store",
    "printpdf": "invoicer-documents",
    "lopdf": "invoicer-documents",
    "lettre": "invoicer-mail",
    "keyring": "invoicer-keychain",
    "tauri": "invoicer-desktop",
}
# The domain must stay free of anything that touches the outside world.
DOMAIN_FORBIDDEN = {"rusqlite", "tokio", "reqwest", "lettre", "printpdf", "tauri", "keyring", "directories", "tracing"}

meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"]))
errors = []
for pkg in meta["packages"]:
    name = pkg["name"]
    if name not in ALLOWED_WORKSPACE_DEPS:
        errors.append(f"{name}: not a known layer; add it to scripts/check_layers.py and ARCHITECTURE.md")
        continue
    for dep in pkg["dependencies"]:
        d, kind = dep["name"], dep.get("kind")
        if d.startswith("invoicer-") and kind is None and d not in ALLOWED_WORKSPACE_DEPS[name]:
            errors.append(f"{name} may not depend on {d}")
        if kind is None and d in OWNED and OWNED[d] != name:
            errors.append(f"{name} may not use {d}; only {OWNED[d]} does")
        if name == "invoicer-domain" and kind is None and d in DOMAIN_FORBIDDEN:
            errors.append(f"invoicer-domain may not use {d}: the domain does no I/O")
if errors:
    print("layering violations:\n  " + "\n  ".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"layers ok: {len(meta['packages'])} workspace crates checked")
