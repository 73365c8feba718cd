//! Files Invoicer writes outside its database: the audit export goes through a
//! temporary file that is renamed into place, and the file name suggested for a
//! saved PDF is safe on every file system.

use invoicer_tests::Fixture;
use std::collections::BTreeSet;
use std::path::Path;

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn an_audit_export_leaves_a_bystander_with_a_temporary_looking_name_alone() {
    let f = Fixture::new();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("audit.csv");
    // A file the person keeps, under the name a hand-made temporary file
    // would have had.
    let bystander = out_dir.path().join("audit.csv.partial");
    #[allow(clippy::disallowed_methods)] // A bystander file the test checks, not a data file.
    std::fs::write(&bystander, "keep me").unwrap();

    let n = f.app.export_audit(&f.admin, &out).unwrap();

    assert!(n > 0);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("seq,at,actor,action"), "{csv}");
    assert_eq!(std::fs::read_to_string(&bystander).unwrap(), "keep me");
    assert_eq!(
        names_in(out_dir.path()),
        BTreeSet::from(["audit.csv".to_string(), "audit.csv.partial".to_string()])
    );
}

#[test]
fn a_failed_audit_export_leaves_no_partial_file_behind() {
    let f = Fixture::new();
    let out_dir = tempfile::tempdir().unwrap();
    // The target is a folder, so the export cannot be put in its place.
    let out = out_dir.path().join("audit.csv");
    std::fs::create_dir(&out).unwrap();

    let err = f.app.export_audit(&f.admin, &out).unwrap_err();

    assert!(err.message.contains("audit.csv"), "{err:?}");
    assert_eq!(
        names_in(out_dir.path()),
        BTreeSet::from(["audit.csv".to_string()])
    );
    assert!(names_in(&out).is_empty());
}

/// The file name the save dialog suggests for the first invoice issued with
/// `number_format`.
fn suggested_name(number_format: &str) -> (String, i64) {
    let f = Fixture::new();
    f.app
        .set_setting(&f.admin, "number_format", number_format)
        .unwrap();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    (
        f.app.invoice_pdf(&f.admin, draft.id).unwrap().file_name,
        draft.id,
    )
}

#[test]
fn a_number_with_path_separators_suggests_a_plain_file_name() {
    let (name, _) = suggested_name("../{YYYY}/{SEQ:3}");
    assert_eq!(name, "2026-001.pdf");
}

#[test]
fn a_number_that_is_a_windows_device_name_is_not_suggested_as_one() {
    // "COM1" names a serial port on Windows: a file cannot be saved under it.
    let (name, id) = suggested_name("COM{SEQ:1}");
    assert_eq!(name, format!("invoice-{id}.pdf"));
}
