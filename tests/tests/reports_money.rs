//! The money reports on the hand-computed fixture of
//! `tests/reports_money_fixture.rs`, through the app's API: every figure to
//! the cent, balances as of past days (a payment, a credit note and a refund
//! after the day), the dashboard equal to the reports, a moved clock, the
//! CSV export neutralising a formula-like customer name, and refused filters
//! naming their field.

#[path = "../reports_money_fixture.rs"]
mod fixture;

use fixture::{at, day, ReportsFixture, FORMULA_NAME};
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

fn as_of(d: chrono::NaiveDate) -> ReportFilter {
    ReportFilter {
        as_of: Some(d),
        ..ReportFilter::default()
    }
}

/// (currency, buckets, total, count) of the total rows.
fn totals(a: &AgingReport) -> Vec<(String, Vec<String>, String, u64)> {
    a.totals
        .iter()
        .map(|r| {
            (
                r.currency.clone(),
                r.buckets.clone(),
                r.total.clone(),
                r.invoice_count,
            )
        })
        .collect()
}

/// (customer, name, currency, buckets, total, count) of a customer row.
type CustomerRow = (
    Option<i64>,
    Option<String>,
    String,
    Vec<String>,
    String,
    u64,
);

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn aging_today_by_customer_and_in_total_to_the_cent() {
    let (_d, f) = fx();
    let a = aging(&f, ReportFilter::default(), None);
    assert_eq!(a.as_of, day(11, 21));
    let labels: Vec<&str> = a.buckets.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Current", "1–30", "31–60", "61–90", "91+"]);
    // Void (N7) and draft (N8) never count; the disputed N6 does (owed until
    // resolved); N9 is settled by its credit note and payment.
    assert_eq!(
        totals(&a),
        vec![
            (
                "EUR".into(),
                s(&["2500.00", "0.00", "1000.00", "0.00", "0.00"]),
                "3500.00".into(),
                2
            ),
            (
                "USD".into(),
                s(&["700.00", "2350.00", "0.00", "500.00", "600.00"]),
                "4150.00".into(),
                16
            ),
        ]
    );
    let rows: Vec<CustomerRow> = a
        .customers
        .iter()
        .map(|r| {
            (
                r.customer_id,
                r.customer_name.clone(),
                r.currency.clone(),
                r.buckets.clone(),
                r.total.clone(),
                r.invoice_count,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                Some(f.initech),
                Some("Initech".into()),
                "EUR".into(),
                s(&["2500.00", "0.00", "1000.00", "0.00", "0.00"]),
                "3500.00".into(),
                2
            ),
            (
                Some(f.northwind),
                Some("Northwind".into()),
                "USD".into(),
                s(&["450.00", "2350.00", "0.00", "500.00", "600.00"]),
                "3900.00".into(),
                15
            ),
            (
                Some(f.formula),
                Some(FORMULA_NAME.into()),
                "USD".into(),
                s(&["250.00", "0.00", "0.00", "0.00", "0.00"]),
                "250.00".into(),
                1
            ),
        ]
    );
}

#[test]
fn aging_as_of_a_past_day_is_the_balance_on_that_day() {
    let (_d, f) = fx();
    // 20 September: N3's payment (30 Sep) had not come; N9 was issued but
    // neither credited (20 Oct) nor paid (2 Nov); I2 was issued that day.
    let a = aging(&f, as_of(day(9, 20)), None);
    assert_eq!(
        totals(&a),
        vec![
            (
                "EUR".into(),
                s(&["1500.00", "0.00", "0.00", "0.00", "0.00"]),
                "1500.00".into(),
                1
            ),
            (
                "USD".into(),
                s(&["700.00", "800.00", "0.00", "0.00", "600.00"]),
                "2100.00".into(),
                3
            ),
        ]
    );
    // 5 November: N10 was paid (1 Nov) and not yet refunded (10 Nov), N9
    // settled; N5 and I3 not issued yet.
    let a = aging(
        &f,
        ReportFilter {
            as_of: Some(day(11, 5)),
            currency: Some("USD".into()),
            ..ReportFilter::default()
        },
        None,
    );
    assert_eq!(
        totals(&a),
        vec![(
            "USD".into(),
            s(&["1250.00", "1200.00", "500.00", "0.00", "600.00"]),
            "3550.00".into(),
            14
        )]
    );
    // One customer, issued in October only.
    let a = aging(
        &f,
        ReportFilter {
            customer_id: Some(f.northwind),
            from: Some(day(10, 1)),
            to: Some(day(10, 31)),
            ..ReportFilter::default()
        },
        None,
    );
    assert_eq!(
        totals(&a),
        vec![(
            "USD".into(),
            s(&["0.00", "2350.00", "0.00", "0.00", "0.00"]),
            "2350.00".into(),
            12
        )]
    );
}

#[test]
fn buckets_come_from_the_request_or_the_company_setting() {
    let (_d, f) = fx();
    f.app
        .set_setting(&f.admin, "aging_bucket_bounds", "[15,45]")
        .unwrap();
    let usd = ReportFilter {
        currency: Some("usd".into()),
        ..ReportFilter::default()
    };
    let a = aging(&f, usd.clone(), None);
    let labels: Vec<&str> = a.buckets.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Current", "1–15", "16–45", "46+"]);
    assert_eq!(
        a.totals[0].buckets,
        s(&["700.00", "1000.00", "1350.00", "1100.00"])
    );
    let a = aging(&f, usd, Some(vec![10]));
    assert_eq!(a.totals[0].buckets, s(&["700.00", "1000.00", "2450.00"]));
    let e = f
        .app
        .set_setting(&f.admin, "aging_bucket_bounds", "[30,20]")
        .unwrap_err();
    assert_eq!(e.details.unwrap()[0].field, "aging_bucket_bounds");
}

fn collection(f: &ReportsFixture, currency: Option<&str>) -> CollectionReport {
    match f
        .app
        .report(
            &f.admin,
            &ReportRequest::Collection {
                filter: ReportFilter {
                    from: Some(day(6, 1)),
                    to: Some(day(11, 21)),
                    currency: currency.map(Into::into),
                    ..ReportFilter::default()
                },
                period: ReportPeriod::Month,
            },
        )
        .unwrap()
    {
        Report::Collection(c) => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn collection_per_month_rates_and_days_to_pay() {
    let (_d, f) = fx();
    let c = collection(&f, Some("USD"));
    let rows: Vec<(&str, &str, &str, Option<&str>)> = c
        .periods
        .iter()
        .map(|p| {
            (
                p.label.as_str(),
                p.invoiced.as_str(),
                p.collected.as_str(),
                p.collection_rate.as_deref(),
            )
        })
        .collect();
    // Invoiced less credit notes (N9: 700.00 − 200.00), void and draft
    // left out; collected = payments less refunds by their dates.
    assert_eq!(
        rows,
        [
            ("2026-06", "1000.00", "0.00", Some("0.0")),
            ("2026-07", "2000.00", "1000.00", Some("50.0")),
            ("2026-08", "800.00", "2000.00", Some("250.0")),
            ("2026-09", "500.00", "300.00", Some("60.0")),
            ("2026-10", "2600.00", "0.00", Some("0.0")),
            ("2026-11", "700.00", "750.00", Some("107.1")),
        ]
    );
    assert_eq!(c.periods[5].period_end, day(11, 30));
    assert_eq!(
        c.overall_rate,
        [CurrencyRate {
            currency: "USD".into(),
            rate: Some("53.3".into())
        }]
    );
    // N1 40 days (10 late), N2 50 (20 late), N9 53 (23 late); N10 was
    // reopened by its refund.
    assert_eq!(
        c.customers,
        [CustomerPaymentSpeed {
            customer_id: f.northwind,
            customer_name: "Northwind".into(),
            invoices_paid: 3,
            average_days_to_pay: Some("47.7".into()),
            average_days_late: Some("17.7".into()),
        }]
    );
    let all = collection(&f, None);
    assert_eq!(
        all.overall_rate,
        [
            CurrencyRate {
                currency: "EUR".into(),
                rate: Some("50.0".into())
            },
            CurrencyRate {
                currency: "USD".into(),
                rate: Some("53.3".into())
            }
        ]
    );
    // Slowest payer first; Initech paid I1 4 days early.
    let speeds: Vec<(&str, Option<&str>, Option<&str>)> = all
        .customers
        .iter()
        .map(|c| {
            (
                c.customer_name.as_str(),
                c.average_days_to_pay.as_deref(),
                c.average_days_late.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        speeds,
        [
            ("Northwind", Some("47.7"), Some("17.7")),
            ("Initech", Some("26.0"), Some("-4.0"))
        ]
    );
}

fn dso(f: &ReportsFixture) -> DsoReport {
    match f
        .app
        .report(
            &f.admin,
            &ReportRequest::Dso {
                filter: ReportFilter::default(),
            },
        )
        .unwrap()
    {
        Report::Dso(d) => d,
        other => panic!("{other:?}"),
    }
}

#[test]
fn dso_is_receivables_over_credit_sales_times_days() {
    let (_d, f) = fx();
    let d = dso(&f);
    assert_eq!((d.from, d.to), (day(8, 24), day(11, 21)));
    assert!(d.formula.contains("receivables") && d.formula.contains("credit sales"));
    // USD: 4,150.00 open ÷ 3,800.00 sold since 24 Aug × 90 days = 98.29;
    // EUR: 3,500.00 ÷ 4,000.00 × 90 = 78.75 → 78.8.
    assert_eq!(
        d.figures,
        [
            DsoFigure {
                currency: "EUR".into(),
                receivables: "3500.00".into(),
                credit_sales: "4000.00".into(),
                days: 90,
                dso: Some("78.8".into()),
            },
            DsoFigure {
                currency: "USD".into(),
                receivables: "4150.00".into(),
                credit_sales: "3800.00".into(),
                days: 90,
                dso: Some("98.3".into()),
            }
        ]
    );
}

fn forecast(f: &ReportsFixture, weeks: Option<u32>) -> ForecastReport {
    match f
        .app
        .report(
            &f.admin,
            &ReportRequest::Forecast {
                filter: ReportFilter::default(),
                weeks,
            },
        )
        .unwrap()
    {
        Report::Forecast(r) => r,
        other => panic!("{other:?}"),
    }
}

/// (week start, currency, expected, from overdue, invoices) of the weeks
/// that expect something.
fn busy_weeks(r: &ForecastReport) -> Vec<(chrono::NaiveDate, String, String, String, u64)> {
    r.weeks
        .iter()
        .filter(|w| w.invoice_count > 0)
        .map(|w| {
            (
                w.week_start,
                w.currency.clone(),
                w.expected.clone(),
                w.from_overdue.clone(),
                w.invoice_count,
            )
        })
        .collect()
}

#[test]
fn forecast_shifts_due_dates_by_each_customers_lateness() {
    let (_d, f) = fx();
    let r = forecast(&f, None);
    // 13 weeks × 2 currencies, Monday 16 November first.
    assert_eq!(r.weeks.len(), 26);
    assert_eq!(
        (r.weeks[0].week_start, r.weeks[0].week_end),
        (day(11, 16), day(11, 22))
    );
    // Northwind pays 18 days late (53 / 3 = 17.7, rounded), Initech 4 days
    // early, the =HYPERLINK customer has no history (0).
    let lateness: Vec<(i64, i64, u64)> = r
        .lateness
        .iter()
        .map(|l| (l.customer_id, l.average_days_late, l.invoices_measured))
        .collect();
    assert_eq!(
        lateness,
        [(f.northwind, 18, 3), (f.initech, -4, 1), (f.formula, 0, 0)]
    );
    assert_eq!(
        busy_weeks(&r),
        [
            (
                day(11, 16),
                "EUR".into(),
                "1000.00".into(),
                "1000.00".into(),
                1
            ),
            (
                day(11, 16),
                "USD".into(),
                "2450.00".into(),
                "2450.00".into(),
                4
            ),
            (
                day(11, 23),
                "USD".into(),
                "100.00".into(),
                "100.00".into(),
                1
            ),
            (
                day(11, 30),
                "USD".into(),
                "950.00".into(),
                "700.00".into(),
                8
            ),
            (day(12, 7), "EUR".into(), "2500.00".into(), "0.00".into(), 1),
            (
                day(12, 7),
                "USD".into(),
                "200.00".into(),
                "200.00".into(),
                2
            ),
            (day(12, 28), "USD".into(), "450.00".into(), "0.00".into(), 1),
        ]
    );
    assert!(r.beyond.is_empty());
    assert!(r.method.contains("average lateness"));
    // Four weeks: N5 (expected 28 Dec) falls beyond.
    let r = forecast(&f, Some(4));
    assert_eq!(
        r.beyond,
        [CurrencyAmount {
            currency: "USD".into(),
            amount: "450.00".into(),
            count: 1
        }]
    );
}

#[test]
fn the_dashboard_equals_the_reports_and_follows_the_clock() {
    let (_d, f) = fx();
    let d = f.app.dashboard(&f.admin).unwrap();
    assert_eq!(d.as_of, day(11, 21));
    let amounts = |v: &[CurrencyAmount]| -> Vec<(String, String, u64)> {
        v.iter()
            .map(|a| (a.currency.clone(), a.amount.clone(), a.count))
            .collect()
    };
    assert_eq!(
        amounts(&d.outstanding),
        [
            ("EUR".into(), "3500.00".into(), 2),
            ("USD".into(), "4150.00".into(), 16)
        ]
    );
    assert_eq!(
        amounts(&d.overdue),
        [
            ("EUR".into(), "1000.00".into(), 1),
            ("USD".into(), "3450.00".into(), 14)
        ]
    );
    // November so far: N10 400.00 + N9 500.00 − 150.00 refunded; October:
    // I2's 500.00.
    assert_eq!(
        amounts(&d.collected_this_month),
        [("USD".into(), "750.00".into(), 2)]
    );
    assert_eq!(
        amounts(&d.collected_last_month),
        [("EUR".into(), "500.00".into(), 1)]
    );
    // The same numbers as the reports a click opens.
    let a = aging(&f, ReportFilter::default(), None);
    assert_eq!(d.aging.totals, a.totals);
    assert_eq!(d.aging.buckets, a.buckets);
    assert!(d.aging.customers.is_empty());
    assert_eq!(d.dso, dso(&f));
    let r = forecast(&f, None);
    assert_eq!(d.forecast, r.weeks[..12].to_vec());
    assert_eq!(d.needs_you, NeedsYouToday::default());

    // Three weeks and a bit later, nothing paid: everything is past due but
    // I3, due that very day.
    f.clock.set(at(12, 15));
    let d = f.app.dashboard(&f.admin).unwrap();
    assert_eq!(d.as_of, day(12, 15));
    assert_eq!(
        amounts(&d.overdue),
        [
            ("EUR".into(), "1000.00".into(), 1),
            ("USD".into(), "4150.00".into(), 16)
        ]
    );
    assert_eq!(
        d.aging.totals[1].buckets,
        s(&["0.00", "1300.00", "1750.00", "0.00", "1100.00"])
    );
    assert!(d.collected_this_month.is_empty());
    assert_eq!(
        amounts(&d.collected_last_month),
        [("USD".into(), "750.00".into(), 2)]
    );
}
