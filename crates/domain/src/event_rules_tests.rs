use super::*;
use crate::bulk_grouping::group_records;
use serde_json::{json, Value};

fn map(pairs: &[(&str, &str)]) -> Vec<FieldMapping> {
    pairs
        .iter()
        .map(|(f, p)| FieldMapping {
            field: TargetField::parse(f).unwrap(),
            path: (*p).to_string(),
        })
        .collect()
}

fn settings(pairs: &[(&str, &str)]) -> EventRuleSettings {
    EventRuleSettings {
        action: EventAction::IssueAndSend,
        template: None,
        terms_days: None,
        mapping: map(pairs),
    }
}

fn hubspot_deal() -> Value {
    json!({
        "dealId": 9001,
        "dealname": "Website redesign",
        "amount": 4800.5,
        "contact": {"email": "ana@initech.test", "firstname": "Ana", "company": "Initech",
                    "address": {"street": "9 Elm Rd", "city": "Austin", "zip": "73301", "state": "TX",
                                "country": "US"}},
        "line_items": [
            {"name": "Design", "qty": "2", "price": "1200.00"},
            {"name": "Build", "qty": 3, "price": 800}
        ]
    })
}

#[test]
fn a_crm_deal_maps_to_one_invoice_with_a_line_per_array_element() {
    let s = settings(&[
        ("invoice_key", "dealId"),
        ("customer_name", "contact.firstname"),
        ("company", "contact.company"),
        ("email", "contact.email"),
        ("address_line1", "contact.address.street"),
        ("city", "contact.address.city"),
        ("postal_code", "contact.address.zip"),
        ("region", "contact.address.state"),
        ("country", "contact.address.country"),
        ("description", "line_items[].name"),
        ("quantity", "line_items[].qty"),
        ("unit_price", "line_items[].price"),
    ])
    .validate()
    .unwrap();
    let records = records_from_data(&s, &hubspot_deal()).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].invoice_key, "9001");
    assert_eq!(records[1].item.quantity, "3");
    assert_eq!(records[1].item.unit_price, "800");
    let g = group_records(records);
    assert!(g.problems.is_empty(), "{:?}", g.problems);
    let inv = &g.invoices[0];
    assert_eq!(inv.customer.email, "ana@initech.test");
    assert_eq!(inv.customer.city, "Austin");
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.lines[0].item.description, "Design");
}

#[test]
fn a_deal_amount_is_one_line_of_quantity_one() {
    let s = settings(&[("description", "dealname"), ("unit_price", "amount")])
        .validate()
        .unwrap();
    let records = records_from_data(&s, &hubspot_deal()).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].item.quantity, "1");
    assert_eq!(records[0].item.unit_price, "4800.5");
    assert_eq!(records[0].invoice_key, EVENT_INVOICE_KEY);
}

#[test]
fn payload_problems_name_the_payload_key() {
    let s = settings(&[
        ("email", "contact"),
        ("description", "line_items[].name"),
        ("unit_price", "line_items[].price"),
    ])
    .validate()
    .unwrap();
    let e = records_from_data(&s, &hubspot_deal()).unwrap_err();
    assert_eq!(e.errors[0].field, "data.contact");
    let e = records_from_data(&s, &json!({"line_items": "none"})).unwrap_err();
    assert_eq!(e.errors[0].field, "data.line_items");
    let e = records_from_data(&s, &json!([1])).unwrap_err();
    assert_eq!(e.errors[0].field, "data");
    assert_eq!(
        s.payload_key("unit_price", 2).as_deref(),
        Some("data.line_items[1].price")
    );
    assert_eq!(s.payload_key("email", 1).as_deref(), Some("data.contact"));
    assert_eq!(s.payload_key("city", 1), None);
}

#[test]
fn bad_mappings_are_refused_by_their_path() {
    let e = settings(&[
        ("email", "contact.email"),
        ("email", "other"),
        ("customer_name", "people[].name"),
        ("description", "items[].name"),
        ("unit_price", "lines[].price"),
        ("city", "a..b"),
    ])
    .validate()
    .unwrap_err();
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "mapping[1].field",
            "mapping[2].path",
            "mapping[4].path",
            "mapping[5].path"
        ],
        "{e:?}"
    );
    let e = settings(&[("quantity", "qty")]).validate().unwrap_err();
    assert_eq!(e.errors.len(), 2, "description and unit price are needed");
    let mut long = settings(&[]);
    long.terms_days = Some(400);
    assert_eq!(long.validate().unwrap_err().errors[0].field, "terms_days");
}

#[test]
fn only_action_template_and_mapping_changes_need_a_new_test() {
    let before = settings(&[("email", "contact.email")]);
    let mut after = before.clone();
    after.terms_days = Some(14);
    assert!(!before.needs_new_test(&after));
    after.template = Some("standard-de".into());
    assert!(before.needs_new_test(&after));
    let mut other = before.clone();
    other.action = EventAction::AwaitApproval;
    assert!(before.needs_new_test(&other));
    let mut remapped = before.clone();
    remapped.mapping[0].path = "email".into();
    assert!(before.needs_new_test(&remapped));
}

#[test]
fn the_sample_data_fills_every_mapped_key() {
    let s = settings(&[
        ("email", "contact.email"),
        ("customer_name", "contact.name"),
        ("address_line1", "contact.street"),
        ("city", "contact.city"),
        ("postal_code", "contact.zip"),
        ("country", "contact.country"),
        ("description", "items[].label"),
        ("quantity", "items[].n"),
        ("unit_price", "items[].price"),
    ])
    .validate()
    .unwrap();
    let data = sample_data(&s);
    let records = records_from_data(&s, &data).unwrap();
    let g = group_records(records);
    assert!(g.problems.is_empty(), "{:?} from {data}", g.problems);
    assert_eq!(g.invoices[0].lines.len(), 1);
    assert_eq!(g.invoices[0].customer.email, "sam@sample.example");
}

#[test]
fn odd_paths_and_payloads_never_panic() {
    let s = settings(&[
        ("email", "a.99999999999"),
        ("description", "x[].ü.0"),
        ("unit_price", "x[]"),
        ("city", "0.0.0"),
    ])
    .validate()
    .unwrap();
    let sample = sample_data(&s);
    assert!(sample.is_object());
    for data in [
        json!({}),
        json!({"x": [1, null, {"ü": ["é"]}], "a": [[]], "0": {"0": {"0": 5}}}),
        json!({"x": [{"ü": {"0": "deep"}}]}),
    ] {
        let _ = records_from_data(&s, &data);
    }
}
