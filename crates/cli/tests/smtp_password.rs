//! The SMTP password goes to the OS keychain (a real Secret Service in CI,
//! through scripts/with-keychain.sh) and nowhere else: not the database
//! file, not its WAL, not the logs at trace level, not an audit export. With
//! no keychain it is refused, and still written nowhere.

mod common;

use common::{cli, init, json, refused};
use std::path::Path;

const PASSWORD: &str = "Zq7-unlikely-Smtp-Passw0rd";

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn assert_nowhere(dir: &Path, extra: &[&[u8]]) {
    for f in files(dir) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes
                .windows(PASSWORD.len())
                .any(|w| w == PASSWORD.as_bytes()),
            "the password is in {}",
            f.display()
        );
    }
    for (i, bytes) in extra.iter().enumerate() {
        assert!(
            !bytes
                .windows(PASSWORD.len())
                .any(|w| w == PASSWORD.as_bytes()),
            "the password is in output {i}"
        );
    }
}

#[test]
fn the_smtp_password_lives_only_in_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme", "US", Some("CA"), "USD");
    json(
        d,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            "2525",
            "--security",
            "none",
            "--username",
            "billing",
        ],
    );
    let out = cli(d)
        .env("INVOICER_LOG", "trace")
        .args(["--json", "smtp", "set-password"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "a keychain is needed (make test runs under scripts/with-keychain.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = json(d, &["smtp", "show"]);
    assert_eq!(shown["password_stored"], true);
    assert_eq!(shown["username"], "billing");
    let export = d.join("audit.csv");
    let exported = cli(d)
        .args(["audit", "export", "--out"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(exported.status.success());
    let audit = std::fs::read_to_string(&export).unwrap();
    assert!(audit.contains("settings.smtp_changed"), "{audit}");
    assert_nowhere(
        d,
        &[&out.stdout, &out.stderr, &exported.stdout, &exported.stderr],
    );
    // Clearing the server forgets the password too.
    let cleared = json(d, &["smtp", "clear"]);
    assert_eq!(cleared["smtp_configured"], false);
    assert_eq!(cleared["password_stored"], false);
}

#[test]
fn without_a_keychain_the_password_is_refused_and_written_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme", "US", Some("CA"), "USD");
    json(
        d,
        &[
            "smtp",
            "set",
            "--host",
            "smtp.example.com",
            "--username",
            "billing",
        ],
    );
    let mut c = cli(d);
    c.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .write_stdin(format!("{PASSWORD}\n"));
    let (code, err) = refused(&mut c, &["smtp", "set-password"]);
    assert_eq!(code, 1);
    assert_eq!(err["code"], "keychain_unavailable", "{err}");
    assert_eq!(err["details"][0]["field"], "password");
    let shown = json(d, &["smtp", "show"]);
    assert_eq!(shown["password_stored"], false);
    assert_nowhere(d, &[]);
}
