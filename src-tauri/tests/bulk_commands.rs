//! The bulk send commands driven through Tauri's mock runtime, headless:
//! picking and checking a file, starting, previewing, running and reporting
//! a job, as the wizard calls them.

mod support;

use invoicer_desktop::AppState;
use serde_json::json;
use support::*;
use tauri::ipc::InvokeResponseBody;
use tauri::Manager;

/// A CRM export of three deals (two rows for the first) whose dates leave
/// the day/month order open, and a fourth deal with a bad email on line 5.
const BULK_CSV: &str = "Deal ID,Contact Name,Contact Email,Street,City,State,Zip,Country,Close Date,Line Item Name,Quantity,Unit Price\n\
D-1,Ann Archer,ann@buyer.example,1 Market St,San Francisco,CA,94105,US,03/02/2026,Consulting,2,1250.00\n\
D-1,Ann Archer,ann@buyer.example,1 Market St,San Francisco,CA,94105,US,03/02/2026,Travel,1,99.50\n\
D-2,Bo Baker,bo@buyer.example,2 Main St,Los Angeles,CA,90012,US,03/04/2026,Workshop,1,800.00\n\
D-3,Cy Cole,not-an-email,3 Pine St,San Diego,CA,92101,US,03/05/2026,Support,3,45.00\n\
D-4,Di Dunn,di@buyer.example,4 Oak St,Fresno,CA,93721,US,04/01/2026,Licence,1,300.00\n";

#[test]
fn the_bulk_commands_are_registered_and_ask_for_a_session() {
    let h = Harness::new();
    h.set_up();
    h.ok("sign_out", json!({}));
    let input = json!({"path": "/nowhere.csv"});
    for (cmd, args) in [
        // Refused before any dialog opens: a signed-out window never shows one.
        ("pick_bulk_file", json!({})),
        ("check_bulk_file", json!({ "input": input })),
        ("bulk_profiles", json!({})),
        (
            "start_bulk_job",
            json!({"input": {"check": input, "sha256": "00", "send": true}}),
        ),
        ("bulk_jobs", json!({})),
        ("bulk_job_report", json!({"query": {"job_id": 1}})),
        ("resume_bulk_job", json!({"jobId": 1})),
        ("cancel_bulk_job", json!({"jobId": 1})),
        ("save_bulk_check_problems", json!({ "input": input })),
        ("save_bulk_job_problems", json!({"jobId": 1})),
        ("bulk_preview_pdf", json!({"input": input, "index": 0})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
    }
}

#[test]
fn a_picked_file_is_checked_through_its_command_until_nothing_is_open() {
    let h = Harness::new();
    h.set_up();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deals.csv");
    std::fs::File::create(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, BULK_CSV.as_bytes()))
        .expect("write the file");
    let path = path.display().to_string();

    // As the picker sends it: nothing confirmed. The dates' order is asked for.
    let first = h.ok("check_bulk_file", json!({"input": {"path": path}}));
    assert_eq!(first["file_name"], "deals.csv");
    assert_eq!(first["needs_confirmation"], json!(["dates"]));
    assert_eq!(
        first["rows"], 0,
        "no row is read before everything is settled"
    );
    assert_eq!(
        first["columns"][0],
        json!({"header": "Deal ID", "field": "invoice_key"})
    );

    // Confirmed: every row read, the bad one named by its line.
    let settled = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "month_day_year"}}),
    );
    assert_eq!(settled["needs_confirmation"], json!([]));
    assert_eq!(settled["rows"], 5);
    assert_eq!(settled["invoices"], 3);
    assert_eq!(settled["refused_invoices"], 1);
    let problems = settled["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["line"], 5);
    assert_eq!(problems[0]["value"], "not-an-email");

    // Another delimiter reads the headers and the preview again: the mapping
    // screen shows the file as a run with that choice would read it.
    let semicolons = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "delimiter": ";"}}),
    );
    assert_eq!(semicolons["delimiter"], ";");
    assert_eq!(semicolons["columns"].as_array().expect("columns").len(), 1);
    assert_eq!(
        semicolons["preview"][0].as_array().expect("a row").len(),
        1,
        "{semicolons}"
    );

    // What a check settled is saved as a named profile, offered to the next file.
    assert_eq!(h.ok("bulk_profiles", json!({})), json!([]));
    let saved = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "month_day_year",
                         "save_profile_as": "CRM deals"}}),
    );
    assert_eq!(saved["profile"], "CRM deals");
    assert_eq!(h.ok("bulk_profiles", json!({})), json!(["CRM deals"]));
    let reused = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "profile": "CRM deals"}}),
    );
    assert_eq!(reused["needs_confirmation"], json!([]), "{reused}");
    let e = h.err(
        "check_bulk_file",
        json!({"input": {"path": path, "profile": "Nobody's"}}),
    );
    assert_eq!(fields(&e), ["profile"]);

    // A malformed input is refused on its argument; a bad choice on its field.
    let e = h.err("check_bulk_file", json!({"input": {"path": 7}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["input"]);
    let e = h.err(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "sometimes"}}),
    );
    assert_eq!(fields(&e), ["date_style"]);
}

#[test]
fn a_checked_file_is_started_previewed_run_and_reported_through_the_commands() {
    let h = Harness::new();
    h.set_up();
    h.ok(
        "set_tax_rate",
        json!({"input": {"country": "US", "region": "CA", "name": "CA sales tax",
                         "rate": "8.25", "inclusive": false}}),
    );
    // Every email is sent from the company's address.
    let mut company = h.ok("get_company", json!({}));
    company["email"] = json!("billing@acme.example");
    h.ok("update_company", json!({ "input": company }));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deals.csv");
    std::fs::File::create(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, BULK_CSV.as_bytes()))
        .expect("write the file");
    let input = json!({"path": path.display().to_string(), "date_style": "month_day_year"});
    let report = h.ok("check_bulk_file", json!({ "input": input }));

    // The first valid invoice as a draft PDF, as raw bytes rather than a JSON array.
    match h
        .call_body("bulk_preview_pdf", json!({"input": input, "index": 0}))
        .expect("a preview")
    {
        InvokeResponseBody::Raw(bytes) => assert!(bytes.starts_with(b"%PDF-")),
        InvokeResponseBody::Json(j) => panic!("the PDF crossed as JSON: {}", &j[..j.len().min(80)]),
    }

    // A file changed since its check is refused: what runs is what the person saw.
    let e = h.err(
        "start_bulk_job",
        json!({"input": {"check": input, "sha256": "0".repeat(64), "send": false}}),
    );
    assert_eq!(code(&e), "conflict", "{e}");
    assert_eq!(fields(&e), ["sha256"]);

    let job = h.ok(
        "start_bulk_job",
        json!({"input": {"check": input, "sha256": report["sha256"], "send": true,
                         "throttle_per_minute": 120}}),
    );
    let id = job["id"].as_i64().expect("job id");
    assert_eq!(job["throttle_per_minute"], 120);
    let jobs = h.ok("bulk_jobs", json!({}));
    assert_eq!(jobs[0]["id"], id, "{jobs}");

    // The job runner's pass (the shell starts it; this harness runs it once).
    let state = h.webview.state::<AppState>();
    state.invoicer().run_bulk_jobs().expect("one pass");
    let done = h.ok("bulk_job_report", json!({"query": {"job_id": id}}));
    assert_eq!(done["job"]["status"], "finished", "{done}");
    assert_eq!(done["job"]["counts"]["queued_for_sending"], 3);
    assert_eq!(done["job"]["counts"]["invalid"], 1);
    assert_eq!(done["invoices"].as_array().expect("invoices").len(), 4);
    // One page at a time, filtered by state.
    let invalid = h.ok(
        "bulk_job_report",
        json!({"query": {"job_id": id, "status": "invalid", "limit": 10}}),
    );
    assert_eq!(invalid["invoices"].as_array().expect("invoices").len(), 1);
    assert_eq!(invalid["invoices"][0]["invoice_key"], "D-3");
    // Over: nothing to cancel or resume.
    assert_eq!(done["job"]["can_cancel"], false);
    assert_eq!(
        code(&h.err("resume_bulk_job", json!({ "jobId": id }))),
        "invalid_state"
    );
}
