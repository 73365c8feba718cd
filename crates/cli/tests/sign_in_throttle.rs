//! Throttling survives the process: each `invoicer` run is a fresh process, so
//! before failures were stored, every run could guess again at full speed.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn cli(dir: &Path, password: &str) -> Command {
    let mut c = Command::cargo_bin("invoicer").unwrap();
    c.env("INVOICER_DATA_DIR", dir)
        .env("INVOICER_USER", "admin@acme.test")
        .env("INVOICER_PASSWORD", password)
        .env_remove("INVOICER_LOG");
    c
}

/// The error code a failing run printed (the last line of stderr, in JSON).
fn error_code(dir: &Path, password: &str) -> String {
    let out = cli(dir, password)
        .args(["--json", "invoice", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let err: Value = serde_json::from_str(stderr.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stderr}"));
    err["code"].as_str().unwrap().to_string()
}

#[test]
fn five_failed_runs_make_the_next_run_wait_even_with_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    cli(d, "correct-horse-1")
        .args([
            "init",
            "--company-name",
            "Acme",
            "--country",
            "US",
            "--currency",
            "USD",
            "--admin-email",
            "admin@acme.test",
            "--admin-name",
            "Ada",
        ])
        .assert()
        .success();
    for _ in 0..5 {
        assert_eq!(error_code(d, "wrong-guess"), "auth_failed");
    }
    // The wait after the fifth failure is 30 s, far longer than this run takes.
    assert_eq!(error_code(d, "correct-horse-1"), "throttled");
}
