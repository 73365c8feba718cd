//! The template library on a real file: numbered versions, the default, and
//! the database refusing to change a saved version or an archived PDF.

use chrono::{TimeZone, Utc};
use invoicer_store::{Store, StoreError};

#[test]
fn versions_are_numbered_immutable_and_old_ones_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    let (v1, v2) = store
        .write(|tx| {
            let v1 = tx.insert_template_version(
                "standard-en",
                r#"{"title":"Invoice"}"#,
                "c1",
                "system",
                at,
            )?;
            let v2 = tx.insert_template_version(
                "standard-en",
                r#"{"title":"Tax invoice"}"#,
                "c2",
                "ada@acme.test",
                at,
            )?;
            Ok::<_, StoreError>((v1, v2))
        })
        .unwrap();
    assert_eq!((v1, v2), (1, 2));
    store
        .read(|tx| {
            assert_eq!(
                tx.template_version("standard-en", None)?.unwrap().version,
                2
            );
            assert_eq!(
                tx.template_version("standard-en", Some(1))?.unwrap().bundle,
                r#"{"title":"Invoice"}"#
            );
            assert_eq!(tx.template_history("standard-en")?.len(), 2);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let raw = rusqlite::Connection::open(dir.path().join("invoicer.db")).unwrap();
    let err = raw
        .execute(
            "UPDATE template_versions SET bundle = '{}' WHERE version = 1",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
    assert!(raw.execute("DELETE FROM template_versions", []).is_err());
}

#[test]
fn exactly_one_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    store
        .write(|tx| {
            tx.insert_template_version("standard-en", "{}", "c", "system", at)?;
            tx.insert_template_version("standard-de", "{}", "c", "system", at)?;
            assert!(tx.set_default_template("standard-en")?);
            assert!(tx.set_default_template("standard-de")?);
            assert!(!tx.set_default_template("missing")?);
            assert_eq!(tx.default_template()?.as_deref(), Some("standard-de"));
            let all = tx.templates()?;
            assert_eq!(all.iter().filter(|t| t.is_default).count(), 1);
            Ok::<_, StoreError>(())
        })
        .unwrap();
}
