//! The IPC command contract, generated from Rust: `ui/src/lib/bindings/commands.ts`
//! is written from the `#[tauri::command]` functions each time this test runs,
//! and `make bindings` fails when the result differs from the committed file.
//! So renaming a command or one of its arguments in Rust breaks `make test`
//! until the UI is regenerated and type-checks against it.

mod generator;

use generator::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bindings_dir() -> PathBuf {
    shell_dir().join("../ui/src/lib/bindings")
}

/// (module, source) of every file under `src/commands/`, sorted by name.
fn command_sources() -> Vec<(String, String)> {
    let dir = shell_dir().join("src/commands");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("src/commands")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let module = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (module, fs::read_to_string(&path).expect("a command source"))
        })
        .collect();
    files.sort();
    files
}

fn lib_source() -> String {
    fs::read_to_string(shell_dir().join("src/lib.rs")).expect("src/lib.rs")
}

fn has_binding(name: &str) -> bool {
    bindings_dir().join(format!("{name}.ts")).is_file()
}

fn contract(files: &[(String, String)], lib: &str) -> Result<String, String> {
    let defined = generator::commands(files, &has_binding)?;
    let registered = generator::registered(lib)?;
    if let Some(mismatch) = generator::registration_mismatch(&defined, &registered) {
        return Err(mismatch);
    }
    generator::render(&defined)
}

/// A command added beside the real ones, so that the tests below can rename
/// it without depending on any real command's name. Sources here are only
/// parsed, never compiled, so bodies are an empty `loop {}`.
const PROBE: &str = "/// Probes the contract.\n#[tauri::command]\n\
    pub async fn probe_invoice(state: State<'_, AppState>, probe_id: Arg<i64>) -> AppResult<String> { loop {} }";

/// The real commands plus the probe with `edit` applied to its source.
fn with_probe(edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut files = command_sources();
    files.push(("probe".into(), edit(PROBE)));
    files
}

/// The real `lib.rs` with `path` registered as well.
fn lib_registering(path: &str) -> String {
    let lib = lib_source();
    assert!(
        lib.contains("generate_handler!["),
        "lib.rs has no generate_handler!["
    );
    lib.replacen(
        "generate_handler![",
        &format!("generate_handler![\n{path},"),
        1,
    )
}

#[test]
// A generated source file in the repository, like ts-rs's bindings, not a data file: an
// interrupted write is caught by `make bindings`' drift check.
#[allow(clippy::disallowed_methods)]
fn export_command_bindings() {
    let text = contract(&command_sources(), &lib_source()).unwrap_or_else(|e| panic!("{e}"));
    let target = bindings_dir().join("commands.ts");
    // Written only when it changed, so a test run does not touch the file's time.
    if fs::read_to_string(&target).ok().as_deref() != Some(text.as_str()) {
        fs::write(&target, &text).expect("write ui/src/lib/bindings/commands.ts");
    }
}

#[test]
fn every_command_is_in_the_contract_with_its_arguments_and_result() {
    let text = contract(&command_sources(), &lib_source()).expect("contract");
    // Every registered command, by its wire name, exactly once.
    let registered = generator::registered(&lib_source()).expect("generate_handler!");
    for path in &registered {
        let name = path.rsplit("::").next().expect("a command name");
        assert_eq!(text.matches(&format!("(\"{name}\"")).count(), 1, "{name}");
    }
    assert_eq!(text.matches(") => call<").count(), registered.len());
    // Shapes, on commands whose types are plain: no arguments, an optional
    // one, several, a unit result, raw bytes and an optional string.
    assert!(text.contains(r#"setupStatus: () => call<"#));
    assert!(text.contains(r#"signOut: () => call<null>("sign_out"),"#));
    assert!(text.contains(r#"listCustomers: (search: string | null) => call<Array<"#));
    assert!(text.contains(r#"updateCustomer: (id: number, input: "#));
    assert!(text.contains(r#"("update_customer", { id, input }),"#));
    // Raw bytes arrive as an ArrayBuffer; the AppHandle and State are not sent.
    assert!(text.contains(r#"previewTemplatePdf: (input: "#));
    assert!(text.contains(r#") => call<ArrayBuffer>("preview_template_pdf", { input }),"#));
    // Invoice PDFs are loaded by URL (the `invoicer-pdf` protocol), not sent.
    assert!(!text.contains("\"invoice_pdf\""));
    assert!(text.contains(
        r#"saveInvoicePdf: (id: number) => call<string | null>("save_invoice_pdf", { id }),"#
    ));
}

#[test]
fn a_renamed_command_breaks_the_contract() {
    let before = contract(
        &with_probe(str::to_string),
        &lib_registering("probe::probe_invoice"),
    )
    .expect("the contract with the probe");
    assert!(before.contains(
        r#"probeInvoice: (probeId: number) => call<string>("probe_invoice", { probeId }),"#
    ));
    let renamed = with_probe(|s| s.replace("fn probe_invoice(", "fn probe_draft("));
    // Still registered under its old name: the handler list no longer matches.
    let error = contract(&renamed, &lib_registering("probe::probe_invoice"))
        .expect_err("a stale handler list is refused");
    assert!(
        error.contains(r#"not registered ["probe::probe_draft"]"#)
            && error.contains(r#"registered but not defined ["probe::probe_invoice"]"#),
        "{error}"
    );
    // Renamed in both places: another contract, so the committed file drifts
    // and the UI's `probeInvoice` no longer type-checks.
    let after = contract(&renamed, &lib_registering("probe::probe_draft")).expect("renamed");
    assert!(after
        .contains(r#"probeDraft: (probeId: number) => call<string>("probe_draft", { probeId }),"#));
    assert!(!after.contains("probeInvoice"));
}

#[test]
fn a_renamed_argument_is_sent_under_its_new_camel_case_key() {
    let lib = lib_registering("probe::probe_invoice");
    let before = contract(&with_probe(str::to_string), &lib).expect("contract");
    let renamed = with_probe(|s| s.replace("probe_id: Arg<i64>", "draft_id: Arg<i64>"));
    let after = contract(&renamed, &lib).expect("contract");
    assert!(after.contains(
        r#"probeInvoice: (draftId: number) => call<string>("probe_invoice", { draftId }),"#
    ));
    assert_ne!(before, after);
}

#[test]
fn a_changed_result_type_changes_the_contract() {
    let lib = lib_registering("probe::probe_invoice");
    let changed = with_probe(|s| s.replace("AppResult<String>", "AppResult<Vec<Option<String>>>"));
    let text = contract(&changed, &lib).expect("contract");
    assert!(text.contains(r#"call<Array<string | null>>("probe_invoice", { probeId })"#));
}

#[test]
fn a_command_missing_from_the_handler_list_is_refused() {
    let error = contract(&with_probe(str::to_string), &lib_source()).expect_err("unregistered");
    assert!(
        error.contains(r#"not registered ["probe::probe_invoice"]"#),
        "{error}"
    );
    let error = contract(
        &command_sources(),
        &lib_registering("invoices::no_such_command"),
    )
    .expect_err("registered but not defined");
    assert!(
        error.contains(r#"registered but not defined ["invoices::no_such_command"]"#),
        "{error}"
    );
}

fn one_command(source: &str) -> Result<Vec<Command>, String> {
    generator::commands(&[("probe".into(), source.into())], &has_binding)
}

#[test]
fn a_type_without_a_typescript_form_is_refused_by_name() {
    for (source, says) in [
        (
            "#[tauri::command] pub async fn odd(x: Arg<std::collections::HashMap<String, i64>>) -> AppResult<()> { loop {} }",
            "argument x: cannot map",
        ),
        (
            "#[tauri::command] pub async fn odd() -> AppResult<NoSuchView> { loop {} }",
            "no ts-rs binding named NoSuchView",
        ),
        (
            "#[tauri::command] pub async fn odd() -> AppResult<Vec<u8>> { loop {} }",
            "raw tauri::ipc::Response",
        ),
        (
            "#[tauri::command] pub async fn odd() -> String { loop {} }",
            "must return AppResult<T>",
        ),
        (
            "#[tauri::command(rename = \"even\")] pub async fn odd() -> AppResult<()> { loop {} }",
            "does not support #[tauri::command(rename = \"even\")]",
        ),
    ] {
        let error = one_command(source).expect_err(source);
        assert!(error.contains("probe.rs: odd") && error.contains(says), "{error}");
    }
}

#[test]
fn injected_arguments_are_not_sent_and_snake_case_commands_keep_their_keys() {
    let commands = one_command(
        "#[tauri::command] pub async fn a<R: Runtime>(app: AppHandle<R>, window: tauri::WebviewWindow<R>, \
         state: State<'_, AppState>, due_on: Arg<Option<Vec<String>>>) -> AppResult<bool> { loop {} }\n\
         #[tauri::command(rename_all = \"snake_case\")] pub fn b(due_on: &str) -> AppResult<u32> { loop {} }",
    )
    .expect("two commands");
    assert_eq!(
        commands[0].args,
        [("dueOn".to_string(), "Array<string> | null".to_string())]
    );
    assert_eq!(commands[0].returns, "boolean");
    assert_eq!(
        commands[1].args,
        [("due_on".to_string(), "string".to_string())]
    );
    assert_eq!(commands[1].returns, "number");
}

#[test]
fn the_generated_file_is_where_the_ui_imports_it_from() {
    let api =
        fs::read_to_string(shell_dir().join("../ui/src/lib/api.ts")).expect("ui/src/lib/api.ts");
    assert!(api.contains("from \"./bindings/commands\""));
    assert!(Path::new(&bindings_dir()).is_dir());
}
