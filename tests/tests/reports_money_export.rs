//! The money reports' CSV export and refusals on the hand-computed fixture
//! of `tests/reports_money_fixture.rs`: rows streamed with a formula-like
//! customer name neutralised, refused filters naming their field, and every
//! role reading the same figures. (The figures themselves are asserted in
//! `reports_money.rs`.)

#[path = "../reports_money_fixture.rs"]
mod fixture;

use fixture::{day, ReportsFixture};
use invoicer_app::api::*;

fn fx() -> (tempfile::TempDir, ReportsFixture) {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture::build(dir.path());
    (dir, f)
}

fn aging(f: &ReportsFixture, filter: ReportFilter, bounds: Option<Vec<u32>>) -> AgingReport {
    match f
        .app
        .report(
            &f.admin,
            &ReportRequest::Aging {
                filter,
                bucket_bounds: bounds,
            },
        )
        .unwrap()
    {
        Report::Aging(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn csv_export_streams_rows_and_neutralises_formulas() {
    let (_d, f) = fx();
    let mut out = Vec::new();
    let rows = f
        .app
        .export_report_csv(
            &f.admin,
            &ReportRequest::Aging {
                filter: ReportFilter::default(),
                bucket_bounds: None,
            },
            &mut out,
        )
        .unwrap();
    assert_eq!(rows, 5);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "as_of,customer_id,customer,currency,Current,1–30,31–60,61–90,91+,total,invoices"
    );
    assert_eq!(
        lines[3],
        format!(
            "2026-11-21,{},\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",USD,250.00,0.00,0.00,0.00,0.00,250.00,1",
            f.formula
        )
    );
    assert!(!text.contains(",=HYPERLINK"), "{text}");
    assert_eq!(
        lines[5],
        "2026-11-21,,Total,USD,700.00,2350.00,0.00,500.00,600.00,4150.00,16"
    );

    // Collection: a negative amount would start with '-', so it is quoted
    // as text too; every period row is there.
    let mut out = Vec::new();
    let rows = f
        .app
        .export_report_csv(
            &f.admin,
            &ReportRequest::Collection {
                filter: ReportFilter {
                    from: Some(day(6, 1)),
                    to: Some(day(11, 21)),
                    currency: Some("USD".into()),
                    ..ReportFilter::default()
                },
                period: ReportPeriod::Month,
            },
            &mut out,
        )
        .unwrap();
    assert_eq!(rows, 6);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("2026-11,2026-11-01,2026-11-30,USD,700.00,750.00,107.1\n"),
        "{text}"
    );
}

#[test]
fn refused_filters_name_their_field_and_every_role_may_read() {
    let (_d, f) = fx();
    let refused = |filter: ReportFilter| {
        f.app
            .report(&f.admin, &ReportRequest::Dso { filter })
            .unwrap_err()
            .details
            .unwrap()[0]
            .field
            .clone()
    };
    assert_eq!(
        refused(ReportFilter {
            currency: Some("XYZ".into()),
            ..ReportFilter::default()
        }),
        "currency"
    );
    assert_eq!(
        refused(ReportFilter {
            source: Some("fax".into()),
            ..ReportFilter::default()
        }),
        "source"
    );
    assert_eq!(
        refused(ReportFilter {
            from: Some(day(11, 2)),
            to: Some(day(11, 1)),
            ..ReportFilter::default()
        }),
        "from"
    );
    let e = f
        .app
        .report(
            &f.admin,
            &ReportRequest::Forecast {
                filter: ReportFilter::default(),
                weeks: Some(0),
            },
        )
        .unwrap_err();
    assert_eq!(e.details.unwrap()[0].field, "weeks");
    // A billing specialist sees the same aging as the admin.
    f.app
        .add_user(
            &f.admin,
            &NewUserInput {
                email: "sam@acme.test".into(),
                name: "Sam".into(),
                role: invoicer_domain::authorization::Role::Specialist,
                password: "password-123".into(),
            },
        )
        .unwrap();
    let sam = f
        .app
        .sign_in(&SignInInput {
            email: "sam@acme.test".into(),
            password: "password-123".into(),
        })
        .unwrap();
    let request = ReportRequest::Aging {
        filter: ReportFilter::default(),
        bucket_bounds: None,
    };
    assert_eq!(
        f.app.report(&sam, &request).unwrap(),
        f.app.report(&f.admin, &request).unwrap()
    );
    // Only the source filter's known names are taken, and one narrows.
    let manual = aging(
        &f,
        ReportFilter {
            source: Some("manual".into()),
            template: Some("no-such-template".into()),
            ..ReportFilter::default()
        },
        None,
    );
    assert!(manual.totals.is_empty());
}
