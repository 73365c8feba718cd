//! What every CLI test needs: the real `invoicer` binary on a data folder of
//! its own, signed in as the first admin, and the first-run setup.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// The first admin every test signs in as.
pub const ADMIN_EMAIL: &str = "admin@acme.test";
/// That admin's password.
pub const ADMIN_PASSWORD: &str = "correct-horse-1";

/// The `invoicer` binary on `dir`, signed in as the admin. Variables from the
/// developer's shell that would change what a test sees are removed.
pub fn cli(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("invoicer").unwrap();
    c.env("INVOICER_DATA_DIR", dir)
        .env("INVOICER_USER", ADMIN_EMAIL)
        .env("INVOICER_PASSWORD", ADMIN_PASSWORD)
        .env_remove("INVOICER_LOG")
        .env_remove("INVOICER_RENDER_BUDGET_MS");
    c
}

/// Runs a command that must succeed and returns its `--json` output.
pub fn json(dir: &Path, args: &[&str]) -> Value {
    let out = cli(dir).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a command that must fail; returns its exit code and the JSON error.
pub fn refused(c: &mut Command, args: &[&str]) -> (i32, Value) {
    let out = c.arg("--json").args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} must fail");
    let err = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), err)
}

/// First-run setup: the company (in `country`, optionally `region`, invoicing
/// in `currency`) and its admin.
pub fn init(dir: &Path, company: &str, country: &str, region: Option<&str>, currency: &str) {
    let mut args = vec!["init", "--company-name", company, "--country", country];
    if let Some(r) = region {
        args.extend(["--region", r]);
    }
    args.extend([
        "--currency",
        currency,
        "--admin-email",
        ADMIN_EMAIL,
        "--admin-name",
        "Ada Admin",
    ]);
    json(dir, &args);
}

/// The California sales tax of 8.25 % that the US scenarios charge.
pub fn ca_sales_tax(dir: &Path) {
    json(
        dir,
        &[
            "tax",
            "set",
            "--country",
            "US",
            "--region",
            "CA",
            "--name",
            "CA sales tax",
            "--rate",
            "8.25",
        ],
    );
}

/// Customer 1: Zoë Müller in San Francisco, taxed by [`ca_sales_tax`].
pub fn zoe_in_california(dir: &Path) {
    json(
        dir,
        &[
            "customer",
            "add",
            "--name",
            "Zoë Müller",
            "--email",
            "zoe@globex.test",
            "--address",
            "1 Market St",
            "--city",
            "San Francisco",
            "--region",
            "CA",
            "--postal-code",
            "94105",
            "--country",
            "US",
        ],
    );
}

/// Sends the company's mail from billing@acme.test through the SMTP server
/// on 127.0.0.1:`port`, unencrypted, as a local relay is set up.
pub fn mail_through(dir: &Path, port: u16) {
    json(dir, &["settings", "set", "email", "billing@acme.test"]);
    let port = port.to_string();
    json(
        dir,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
        ],
    );
}

/// The `invoicer` command `args`, signed in as the admin, frozen at the
/// fault point `point` (`INVOICER_FREEZE_AT`, e.g. `bulk_rendering#4`),
/// once it got there: the crash tests kill it with [`sigkill`].
pub fn frozen(dir: &Path, args: &[&str], point: &str) -> std::process::Child {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let marker = dir.join(format!("frozen-at-{}", point.replace('#', "-")));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("invoicer"))
        .arg("--json")
        .args(args)
        .env("INVOICER_DATA_DIR", dir)
        .env("INVOICER_USER", ADMIN_EMAIL)
        .env("INVOICER_PASSWORD", ADMIN_PASSWORD)
        .env(
            "INVOICER_FREEZE_AT",
            format!("{point}:{}", marker.display()),
        )
        .env_remove("INVOICER_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A guard against a test that never gets there, not a measurement.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !marker.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{args:?} ended ({status}) before reaching {point}");
        }
        assert!(Instant::now() < deadline, "{args:?} never reached {point}");
        std::thread::park_timeout(Duration::from_millis(20));
    }
    child
}

/// Kills `child` with SIGKILL (what `Child::kill` sends on Unix): no
/// destructor, no rollback, no flush, no unlock runs.
pub fn sigkill(mut child: std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}
