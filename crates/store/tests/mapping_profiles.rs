//! Mapping profiles on a real SQLite file: stored by unique name, saved
//! over, listed and deleted, in the store's own record shape.

mod bulk_support;

use bulk_support::*;
use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle, TargetField};

#[test]
fn profiles_round_trip_and_a_name_is_unique() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _) = setup(&dir.path().join("invoicer.db"));
    let hubspot = profile("HubSpot deals");
    let mut european = profile("Sage (DE)");
    european.delimiter = ';';
    european.encoding = "windows-1252".into();
    european.numbers = NumberStyle {
        decimal: ',',
        thousands: Some('.'),
    };
    european.dates = DateStyle::DayMonthYear;
    let id = store
        .write(|tx| tx.insert_mapping_profile(&hubspot, at()))
        .unwrap();
    store
        .write(|tx| tx.insert_mapping_profile(&european, at()))
        .unwrap();
    let taken = store
        .write(|tx| tx.insert_mapping_profile(&hubspot, at()))
        .unwrap_err();
    assert_eq!(
        taken.unique_violation_column().as_deref(),
        Some("mapping_profiles.name")
    );

    let read = store
        .read(|tx| tx.mapping_profile("HubSpot deals"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (read.id, &read.profile, read.updated_at),
        (id, &hubspot, at())
    );
    // Saving under a taken name replaces that profile.
    let mut changed = hubspot.clone();
    changed.columns[3].field = Some(TargetField::PoNumber);
    let later = at() + chrono::Duration::minutes(5);
    let same = store
        .write(|tx| tx.save_mapping_profile(&changed, later))
        .unwrap();
    assert_eq!(same, id);
    let all = store.read(|tx| tx.mapping_profiles()).unwrap();
    let names: Vec<&str> = all.iter().map(|p| p.profile.name.as_str()).collect();
    assert_eq!(names, ["HubSpot deals", "Sage (DE)"]);
    assert_eq!((&all[0].profile, all[0].updated_at), (&changed, later));
    assert_eq!(all[1].profile, european);

    assert!(store
        .write(|tx| tx.delete_mapping_profile("HubSpot deals"))
        .unwrap());
    assert!(!store
        .write(|tx| tx.delete_mapping_profile("HubSpot deals"))
        .unwrap());
    assert_eq!(
        store
            .read(|tx| tx.mapping_profile("HubSpot deals"))
            .unwrap(),
        None
    );
}

/// What the database file holds is the store's v1 record, whatever the
/// domain types' serde would write.
#[test]
fn the_stored_profile_json_is_the_v1_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let (store, user, _) = setup(&path);
    let mut p = profile("CRM");
    p.delimiter = '\t';
    p.numbers.thousands = Some(',');
    p.dates = DateStyle::MonthDayYear;
    store.write(|tx| tx.save_mapping_profile(&p, at())).unwrap();
    let job = running_job(&store, user, 0, &[]);
    let golden = r#"{"record_version":1,"name":"CRM","encoding":"utf-8","delimiter":"\t","columns":[{"header":"Deal ID","field":"invoice_key"},{"header":"Contact Email","field":"email"},{"header":"Amount","field":"unit_price"},{"header":"note","field":null}],"decimal_separator":".","thousands_separator":",","date_style":"month_day_year"}"#;
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: String = conn
        .query_row("SELECT record FROM mapping_profiles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, golden);
    let in_job: String = conn
        .query_row("SELECT profile FROM bulk_jobs WHERE id = ?1", [job], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        in_job.starts_with(
            r#"{"record_version":1,"name":"HubSpot deals","encoding":"utf-8","delimiter":",""#
        ),
        "{in_job}"
    );
}
