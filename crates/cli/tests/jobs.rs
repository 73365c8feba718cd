//! `invoicer jobs run --once`: the real binary on a real data folder, with
//! no one signed in (jobs act as the system principal).

mod common;

use assert_cmd::Command;
use common::{cli, init, refused};
use serde_json::Value;
use std::path::Path;

/// The binary on `dir` with nobody's credentials in its environment.
fn system(dir: &Path) -> Command {
    let mut c = cli(dir);
    c.env_remove("INVOICER_USER")
        .env_remove("INVOICER_PASSWORD");
    c
}

fn report(dir: &Path, args: &[&str]) -> Value {
    let out = system(dir).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn one_pass_runs_without_a_sign_in_and_prints_its_report() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Acme Billing", "US", Some("CA"), "USD");

    let r = report(dir.path(), &["jobs", "run", "--once"]);
    let ran_at = r["ran_at"].as_str().expect("ran_at");
    chrono::DateTime::parse_from_rfc3339(ran_at).expect("an RFC 3339 instant");
    let jobs = r["jobs"].as_array().expect("a list of jobs");
    // Schedules, thresholds, bulk send and the reminder scheduler run first, so the
    // emails they queue go out in the same run.
    let names: Vec<&str> = jobs.iter().filter_map(|j| j["job"].as_str()).collect();
    assert_eq!(
        names,
        [
            "recurring_schedules",
            "usage_thresholds",
            "bulk_send",
            "reminder_scheduler",
            "outbox_sender"
        ],
        "{r}"
    );
    for job in jobs {
        assert!(job["job"].is_string(), "{job}");
        assert!(job["done"].is_u64() && job["failed"].is_u64(), "{job}");
        assert!(job["error"].is_null(), "{job}");
    }

    let out = system(dir.path())
        .args(["jobs", "run", "--once", "--now", "2026-12-01T09:30:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("jobs ran at 2026-12-01T09:30:00+00:00\n"),
        "{text}"
    );
}

#[test]
fn now_as_a_day_is_its_first_instant_in_the_company_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Acme Billing", "US", Some("CA"), "USD");
    common::json(
        dir.path(),
        &["settings", "set", "timezone", "America/Los_Angeles"],
    );

    let r = report(
        dir.path(),
        &["jobs", "run", "--once", "--now", "2026-12-01"],
    );
    assert_eq!(r["ran_at"], "2026-12-01T08:00:00+00:00");
    let r = report(
        dir.path(),
        &[
            "jobs",
            "run",
            "--once",
            "--now",
            "2026-12-01T10:30:00+01:00",
        ],
    );
    assert_eq!(r["ran_at"], "2026-12-01T09:30:00+00:00");
}

#[test]
fn a_now_that_is_no_date_is_refused_on_its_field() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Acme Billing", "US", Some("CA"), "USD");
    let (code, err) = refused(
        &mut system(dir.path()),
        &["jobs", "run", "--once", "--now", "next tuesday"],
    );
    assert_eq!(code, 1);
    assert_eq!(err["code"], "validation");
    assert_eq!(err["details"][0]["field"], "now");
    assert_eq!(err["details"][0]["value"], "next tuesday");
}

#[test]
fn without_once_it_points_to_the_desktop_app() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = refused(&mut system(dir.path()), &["jobs", "run"]);
    assert_eq!(code, 1);
    assert_eq!(err["code"], "validation");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("--once") && message.contains("desktop app"),
        "{message}"
    );
}
