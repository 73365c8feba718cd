//! Reads the `#[tauri::command]` functions out of the shell's source and
//! writes the TypeScript that calls them.
//!
//! The source is the contract: a command's name, its arguments and its result
//! type are taken from the Rust function as written, so renaming any of them
//! changes the generated file, and the committed copy no longer matches.

use std::collections::{BTreeMap, BTreeSet};
use syn::punctuated::Punctuated;
use syn::{Attribute, FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Token, Type};

/// Argument types Tauri fills in itself; the page never sends them.
const INJECTED: [&str; 7] = [
    "State",
    "AppHandle",
    "Window",
    "Webview",
    "WebviewWindow",
    "Request",
    "Invoke",
];

/// One IPC command as the page calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The file (module) under `src/commands/` that holds it.
    pub module: String,
    /// The Rust function name, which is also the command name on the wire.
    pub name: String,
    /// The function's doc comment, one line per entry.
    pub doc: Vec<String>,
    /// The arguments the page sends: (key on the wire, TypeScript type).
    pub args: Vec<(String, String)>,
    /// The TypeScript type the call resolves to.
    pub returns: String,
    /// The binding files the types above refer to.
    pub imports: BTreeSet<String>,
}

/// Every command in `files` ((module name, Rust source) pairs), in source
/// order. `has_binding(name)` says whether ts-rs exported a type `name`.
pub fn commands(
    files: &[(String, String)],
    has_binding: &dyn Fn(&str) -> bool,
) -> Result<Vec<Command>, String> {
    let mut found = Vec::new();
    for (module, source) in files {
        let file = syn::parse_file(source).map_err(|e| format!("commands/{module}.rs: {e}"))?;
        for item in file.items {
            let Item::Fn(function) = item else { continue };
            let Some(attr) = function.attrs.iter().find(|a| is_command_attr(a)) else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let at = format!("commands/{module}.rs: {name}");
            let camel_args = camel_case_arguments(attr).map_err(|e| format!("{at}: {e}"))?;
            let mut imports = BTreeSet::new();
            let mut args = Vec::new();
            for input in &function.sig.inputs {
                let FnArg::Typed(typed) = input else {
                    return Err(format!("{at}: a command cannot take self"));
                };
                if is_injected(&typed.ty) {
                    continue;
                }
                let Pat::Ident(ident) = typed.pat.as_ref() else {
                    return Err(format!("{at}: an argument must be a plain name"));
                };
                let rust_name = ident.ident.to_string();
                let key = if camel_args {
                    lower_camel(&rust_name)
                } else {
                    rust_name.clone()
                };
                let ty = typescript(&typed.ty, has_binding, &mut imports)
                    .map_err(|e| format!("{at}, argument {rust_name}: {e}"))?;
                args.push((key, ty));
            }
            let returns = result_type(&function.sig.output)
                .ok_or_else(|| format!("{at}: a command must return AppResult<T>"))
                .and_then(|t| {
                    typescript(t, has_binding, &mut imports)
                        .map_err(|e| format!("{at}, result: {e}"))
                })?;
            found.push(Command {
                module: module.clone(),
                name,
                doc: doc_lines(&function.attrs),
                args,
                returns,
                imports,
            });
        }
    }
    Ok(found)
}

/// The `module::function` paths listed in `generate_handler![...]` in the
/// shell's `lib.rs`.
pub fn registered(lib_source: &str) -> Result<Vec<String>, String> {
    let file = syn::parse_file(lib_source).map_err(|e| format!("lib.rs: {e}"))?;
    let mut finder = HandlerFinder(None);
    syn::visit::Visit::visit_file(&mut finder, &file);
    let mac = finder
        .0
        .ok_or("lib.rs has no tauri::generate_handler![...]")?;
    let paths = mac
        .parse_body_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        .map_err(|e| format!("generate_handler!: {e}"))?;
    Ok(paths
        .iter()
        .map(|p| {
            let parts: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            parts.join("::")
        })
        .collect())
}

/// Why the commands defined and the commands registered differ, if they do.
pub fn registration_mismatch(defined: &[Command], registered: &[String]) -> Option<String> {
    let defined: BTreeSet<String> = defined
        .iter()
        .map(|c| format!("{}::{}", c.module, c.name))
        .collect();
    let registered: BTreeSet<String> = registered.iter().cloned().collect();
    let unregistered: Vec<_> = defined.difference(&registered).collect();
    let undefined: Vec<_> = registered.difference(&defined).collect();
    if unregistered.is_empty() && undefined.is_empty() {
        return None;
    }
    Some(format!(
        "generate_handler! in src-tauri/src/lib.rs and the #[tauri::command] functions differ: \
         not registered {unregistered:?}, registered but not defined {undefined:?}"
    ))
}

/// The TypeScript module: one typed function per command, all sent through
/// the `call` the UI passes in.
pub fn render(commands: &[Command]) -> Result<String, String> {
    let mut names = BTreeMap::new();
    for c in commands {
        if let Some(other) = names.insert(c.name.clone(), c.module.clone()) {
            return Err(format!(
                "two commands named {} (in {other} and {})",
                c.name, c.module
            ));
        }
    }
    let imports: BTreeSet<&String> = commands.iter().flat_map(|c| &c.imports).collect();
    let mut out = String::from(
        "// Generated from the #[tauri::command] functions in src-tauri/src/commands by\n\
         // `cargo test -p invoicer-desktop --test command_contract`. Do not edit this file manually.\n",
    );
    for name in imports {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str(
        "\n/** Sends one command with its arguments to the backend and resolves to its result. */\n\
         export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** The backend's IPC commands, each a typed function over `call`. */\n\
         export function commands(call: Call) {\n  return {\n",
    );
    for c in commands {
        if !c.doc.is_empty() {
            out.push_str("    /**\n");
            for line in &c.doc {
                out.push_str(format!("     * {line}").trim_end());
                out.push('\n');
            }
            out.push_str("     */\n");
        }
        let params: Vec<String> = c.args.iter().map(|(k, t)| format!("{k}: {t}")).collect();
        let keys: Vec<&str> = c.args.iter().map(|(k, _)| k.as_str()).collect();
        let sent = if keys.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", keys.join(", "))
        };
        out.push_str(&format!(
            "    {}: ({}) => call<{}>(\"{}\"{sent}),\n",
            lower_camel(&c.name),
            params.join(", "),
            c.returns,
            c.name
        ));
    }
    out.push_str("  };\n}\n");
    Ok(out)
}

/// The TypeScript for a Rust argument or result type; an error for any type
/// it cannot vouch for, rather than a guess.
fn typescript(
    ty: &Type,
    has_binding: &dyn Fn(&str) -> bool,
    imports: &mut BTreeSet<String>,
) -> Result<String, String> {
    let shown = || quote::ToTokens::to_token_stream(ty).to_string();
    match ty {
        Type::Tuple(t) if t.elems.is_empty() => Ok("null".into()),
        Type::Reference(r) => typescript(&r.elem, has_binding, imports),
        Type::Path(p) => {
            let last = p
                .path
                .segments
                .last()
                .ok_or_else(|| format!("empty type {}", shown()))?;
            let name = last.ident.to_string();
            let only_arg = match &last.arguments {
                PathArguments::AngleBracketed(a) if a.args.len() == 1 => match &a.args[0] {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                },
                _ => None,
            };
            let inner = |imports: &mut BTreeSet<String>| match only_arg {
                Some(t) => typescript(t, has_binding, imports),
                None => Err(format!("cannot map {}", shown())),
            };
            match name.as_str() {
                "Arg" => inner(imports),
                "String" | "str" => Ok("string".into()),
                "bool" => Ok("boolean".into()),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f64" => {
                    Ok("number".into())
                }
                "Option" => Ok(format!("{} | null", inner(imports)?)),
                "Vec" if only_arg.is_some_and(|t| is_named(t, "u8")) => Err(
                    "bytes must cross as a raw tauri::ipc::Response, not a JSON array".into(),
                ),
                "Vec" => Ok(format!("Array<{}>", inner(imports)?)),
                // A raw IPC response: Tauri resolves the invoke to an ArrayBuffer.
                "Response" => Ok("ArrayBuffer".into()),
                _ if last.arguments.is_empty() && has_binding(&name) => {
                    imports.insert(name.clone());
                    Ok(name)
                }
                _ => Err(format!(
                    "cannot map {} to TypeScript: no ts-rs binding named {name} in ui/src/lib/bindings",
                    shown()
                )),
            }
        }
        _ => Err(format!("cannot map {} to TypeScript", shown())),
    }
}

/// `T` of a `-> AppResult<T>` or `-> Result<T, ApiError>` signature.
fn result_type(output: &ReturnType) -> Option<&Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != "AppResult" && last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    match a.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// True for the plain type `name` (e.g. `u8`).
fn is_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident(name))
}

fn is_command_attr(attr: &Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["tauri", "command"] || segments == ["command"]
}

/// Tauri sends argument keys in camelCase unless the command says otherwise.
fn camel_case_arguments(attr: &Attribute) -> Result<bool, String> {
    let syn::Meta::List(list) = &attr.meta else {
        return Ok(true);
    };
    let options = list
        .parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
        .map_err(|e| format!("#[tauri::command(...)]: {e}"))?;
    let mut camel = true;
    for option in options {
        match &option {
            syn::Meta::Path(p) if p.is_ident("async") => {}
            syn::Meta::NameValue(nv) if nv.path.is_ident("rename_all") => {
                camel = match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => match s.value().as_str() {
                        "camelCase" => true,
                        "snake_case" => false,
                        other => return Err(format!("unknown rename_all = {other:?}")),
                    },
                    _ => return Err("rename_all takes a string".into()),
                }
            }
            // `rename` and `root` change the wire name or the crate path;
            // the function's own name is the contract, so they are refused.
            other => {
                let shown = quote::ToTokens::to_token_stream(other).to_string();
                return Err(format!(
                    "the contract does not support #[tauri::command({shown})]"
                ));
            }
        }
    }
    Ok(camel)
}

fn is_injected(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())),
        Type::Reference(r) => is_injected(&r.elem),
        _ => false,
    }
}

fn doc_lines(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// `issue_invoice` → `issueInvoice`, with the same crate (heck) Tauri's
/// command macro converts argument names with.
pub fn lower_camel(snake: &str) -> String {
    heck::ToLowerCamelCase::to_lower_camel_case(snake)
}

/// Finds the `generate_handler!` macro call.
struct HandlerFinder(Option<syn::Macro>);

impl<'ast> syn::visit::Visit<'ast> for HandlerFinder {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "generate_handler")
        {
            self.0 = Some(mac.clone());
        }
        syn::visit::visit_macro(self, mac);
    }
}
