//! The committed `docs/openapi.json` is the document generated from the
//! code; this fails when they drift. `INVOICER_WRITE_OPENAPI=1` rewrites it.

use std::path::Path;

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = invoicer_api::openapi_json();
    if std::env::var_os("INVOICER_WRITE_OPENAPI").is_some() {
        use std::io::Write;
        let folder = path.parent().unwrap();
        let mut file = tempfile::NamedTempFile::new_in(folder).unwrap();
        file.write_all(generated.as_bytes()).unwrap();
        file.persist(&path).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date: run `INVOICER_WRITE_OPENAPI=1 cargo test -p invoicer-api --test openapi` and commit it"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).unwrap();
    for path in [
        "/v1/events",
        "/v1/invoices",
        "/v1/invoices/{id}",
        "/v1/payments",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["EventInput"]["properties"]["type"].is_object());
}
