#!/usr/bin/env python3
"""Fails when a workspace crate depends on a crate its layer may not use.

The rules are ARCHITECTURE.md's invariants: the domain depends on no other
workspace crate and on nothing that does I/O; store, documents and mail depend
only on the domain; only the app composes them; the CLI and the desktop shell
depend on the app (and the domain for types). Only the store may use SQLite,
only documents PDF, only mail SMTP, only the shell Tauri.

`--self-test` plants a violation of each kind in a made-up package set and
fails unless every one is caught.
"""
import json
import subprocess
import sys

ALLOWED_WORKSPACE_DEPS = {
    "invoicer-domain": set(),
    "invoicer-store": {"invoicer-domain"},
    "invoicer-documents": {"invoicer-domain"},
    "invoicer-mail": {"invoicer-domain"},
    # Reading bulk-import CSV files: pure, from bytes it is given.
    "invoicer-import": {"invoicer-domain"},
    "invoicer-keychain": set(),
    "invoicer-app": {"invoicer-domain", "invoicer-store", "invoicer-documents", "invoicer-mail", "invoicer-keychain", "invoicer-import"},
    # The local integration API: an HTTP face over the app's use cases.
    "invoicer-api": {"invoicer-app", "invoicer-domain"},
    "invoicer-cli": {"invoicer-app", "invoicer-domain", "invoicer-api"},
    "invoicer-desktop": {"invoicer-app", "invoicer-domain", "invoicer-api"},
    "invoicer-tests": {"invoicer-app", "invoicer-domain", "invoicer-api"},
    # Real SMTP servers for tests; other crates may use it as a
    # dev-dependency only (see DEV_ONLY).
    "invoicer-test-smtp": set(),
}
# Workspace crates that exist for tests: any crate may have them as a
# dev-dependency, none as a normal one.
DEV_ONLY = {"invoicer-test-smtp"}
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



def check(packages):
    """The layering violations of `packages` (cargo metadata's package list)."""
    errors = []
    for pkg in packages:
        name = pkg["name"]
        if name not in ALLOWED_WORKSPACE_DEPS:
            errors.append(f"{name}: not a known layer; add it to scripts/check_layers.py and ARCHITECTURE.md")
            continue
        for dep in pkg["dependencies"]:
            d, kind = dep["name"], dep.get("kind")
            if d in DEV_ONLY:
                if kind != "dev":
                    errors.append(f"{name} may use {d} only as a dev-dependency")
                continue
            if d.startswith("invoicer-") and kind is None and d not in ALLOWED_WORKSPACE_DEPS[name]:
                errors.append(f"{name} may not depend on {d}")
            if kind is None and d in OWNED and OWNED[d] != name:
                errors.append(f"{name} may not use {d}; only {OWNED[d]} does")
            if name == "invoicer-domain" and kind is None and d in DOMAIN_FORBIDDEN:
                errors.append(f"invoicer-domain may not use {d}: the domain does no I/O")
    return errors


def self_test():
    """Plants one violation of each kind in a clean package set and fails
    unless each is caught and the clean set passes."""

    def pkg(name, *deps, kind=None):
        return {"name": name, "dependencies": [{"name": d, "kind": kind} for d in deps]}

    clean = [
        pkg("invoicer-domain", "serde", "rust_decimal"),
        pkg("invoicer-store", "invoicer-domain", "rusqlite"),
        pkg("invoicer-documents", "invoicer-domain", "printpdf"),
        pkg("invoicer-app", "invoicer-domain", "invoicer-store", "invoicer-documents"),
        pkg("invoicer-desktop", "invoicer-app", "tauri"),
        # Dev-dependencies may reach further: tests open the file directly.
        pkg("invoicer-tests", "rusqlite", "invoicer-store", kind="dev"),
        pkg("invoicer-mail", "invoicer-test-smtp", kind="dev"),
    ]
    planted = [
        ("the domain depends on the store", pkg("invoicer-domain", "invoicer-store")),
        ("the CLI skips the app", pkg("invoicer-cli", "invoicer-store")),
        ("documents use SQLite", pkg("invoicer-documents", "rusqlite")),
        ("the importer uses the store", pkg("invoicer-import", "invoicer-store")),
        ("the app knows Tauri", pkg("invoicer-app", "tauri")),
        ("the domain does I/O", pkg("invoicer-domain", "tokio")),
        ("an unknown crate", pkg("invoicer-extra")),
        ("the app ships the test SMTP servers", pkg("invoicer-app", "invoicer-test-smtp")),
    ]
    failures = [f"the clean set was refused: {e}" for e in check(clean)]
    for what, bad in planted:
        if not check(clean + [bad]):
            failures.append(f"a planted violation passed: {what}")
    if failures:
        print("check_layers self-test failed:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"check_layers self-test ok: clean set passes, {len(planted)} planted violations caught")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"]))
    errors = check(meta["packages"])
    if errors:
        print("layering violations:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    print(f"layers ok: {len(meta['packages'])} workspace crates checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
