//! `--check`: is a directory of generated code what the manifest generates? Writes nothing.
//!
//! - With a schema manifest: generate in memory and compare file by file (line endings
//!   normalised); report what changed per method (as below), then stale, missing and unexpected
//!   files with a unified diff.
//! - With a hash-only manifest (what the TypeScript side commits): compare the per-method hashes
//!   recorded in the generated files (`SERVICE`, `METHODS`) with the manifest's; report added,
//!   removed, params changed, result changed, and method↔notification changed.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::Path;

use crate::output::{is_generated, stale_generated};
use crate::stages::parse::{Manifest, ManifestKind, parse};
use crate::{Error, GeneratedFile, Options};

/// What [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOutcome {
    /// Whether the directory is what the manifest generates (or, for a hash-only manifest,
    /// records the manifest's hashes).
    pub current: bool,
    /// What `--check` prints: what changed per method, the files out of date with a unified diff,
    /// and how to regenerate; or one line saying the directory is current.
    pub report: String,
}

/// Whether the directory `out` is what `manifest` generates with `options` (`--check`); writes
/// nothing. A schema manifest is generated in memory and compared file by file; with a hash-only
/// manifest (what `@clamator/codegen` writes), the per-method hashes recorded in the generated
/// files are compared with the manifest's. `Err` is bad input: an unreadable manifest or
/// directory, or generated files whose recorded hashes cannot be read.
pub fn check(manifest: &Path, out: &Path, options: &Options) -> Result<CheckOutcome, Error> {
    let bytes = std::fs::read(manifest).map_err(|e| Error::Io {
        path: manifest.display().to_string(),
        message: e.to_string(),
    })?;
    let name = crate::file_name(manifest);
    let manifest_text = parse(&name, &bytes)?;
    if !out.is_dir() {
        return Err(Error::Output(format!(
            "cannot read {}: not a directory",
            out.display()
        )));
    }
    let layout = match options.layout {
        crate::Layout::Directory => "",
        crate::Layout::SingleFile => " --layout single-file",
    };
    let regenerate = format!(
        "clamator-codegen-rs --manifest {} --out {}{layout}",
        manifest.display(),
        out.display()
    );
    match manifest_text.kind {
        ManifestKind::Schema => {
            let files = crate::generate_from(&manifest_text, options)?;
            let mut outcome = check_files(&files, out, &regenerate).map_err(Error::Output)?;
            // Before the diff, what changed per method (read from the files' METHODS tables;
            // skipped when they cannot be read, as in the single-file layout).
            if !outcome.current {
                if let Ok(recorded) = read_recorded(out) {
                    let lines = method_changes(&manifest_text, &recorded);
                    if !lines.is_empty() {
                        outcome.report = format!("{}\n\n{}", lines.join("\n"), outcome.report);
                    }
                }
            }
            Ok(outcome)
        }
        ManifestKind::HashesOnly => check_hashes(&manifest_text, out).map_err(Error::Output),
    }
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn check_files(
    files: &[GeneratedFile],
    out: &Path,
    regenerate: &str,
) -> Result<CheckOutcome, String> {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut report = String::new();
    let mut problems = 0;
    for file in files {
        let path = out.join(&file.name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let on_disk = normalise(&String::from_utf8_lossy(&bytes));
                if on_disk != file.contents {
                    problems += 1;
                    let _ = writeln!(report, "stale: {}", path.display());
                    report.push_str(&unified_diff(
                        &on_disk,
                        &file.contents,
                        &path.display().to_string(),
                        colour,
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems += 1;
                let _ = writeln!(report, "missing: {}", path.display());
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    let unexpected =
        stale_generated(out, files).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    for name in &unexpected {
        problems += 1;
        let _ = writeln!(
            report,
            "unexpected: {} (generated, but no longer by this manifest)",
            out.join(name).display()
        );
    }
    if problems == 0 {
        return Ok(CheckOutcome {
            current: true,
            report: format!("{} is current ({} files)\n", out.display(), files.len()),
        });
    }
    let _ = writeln!(
        report,
        "\n{problems} generated file(s) out of date. Regenerate with:\n  {regenerate}"
    );
    Ok(CheckOutcome {
        current: false,
        report,
    })
}

fn unified_diff(old: &str, new: &str, path: &str, colour: bool) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string();
    if !colour {
        return text;
    }
    text.lines()
        .map(|line| match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => format!("\x1b[32m{line}\x1b[0m\n"),
            Some(b'-') if !line.starts_with("---") => format!("\x1b[31m{line}\x1b[0m\n"),
            Some(b'@') => format!("\x1b[36m{line}\x1b[0m\n"),
            _ => format!("{line}\n"),
        })
        .collect()
}

/// What one generated file records about a method.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Recorded {
    params_hash: String,
    result_hash: Option<String>,
}

fn check_hashes(manifest: &Manifest, out: &Path) -> Result<CheckOutcome, String> {
    let recorded = read_recorded(out)?;
    let lines = method_changes(manifest, &recorded);
    let count: usize = recorded.values().map(BTreeMap::len).sum();
    if lines.is_empty() {
        return Ok(CheckOutcome {
            current: true,
            report: format!(
                "{}: the hashes of all {count} methods match {}\n",
                out.display(),
                manifest.file
            ),
        });
    }
    let mut report = lines.join("\n");
    let _ = write!(
        report,
        "\n\n{} difference(s) between {} and the code in {}. The contracts moved on: get the schema manifest \
         for them (clamator-manifest --src <contracts> --out <file>) and regenerate.\n",
        lines.len(),
        manifest.file,
        out.display()
    );
    Ok(CheckOutcome {
        current: false,
        report,
    })
}

/// Per method, what differs between the manifest and what the generated files record: added,
/// removed, params changed, result changed, method ↔ notification.
fn method_changes(
    manifest: &Manifest,
    recorded: &BTreeMap<String, BTreeMap<String, Recorded>>,
) -> Vec<String> {
    let mut expected: BTreeMap<String, BTreeMap<String, Recorded>> = BTreeMap::new();
    for service in &manifest.services {
        let methods = expected.entry(service.name.clone()).or_default();
        for m in &service.methods {
            methods.insert(
                m.name.clone(),
                Recorded {
                    params_hash: m.params_hash.clone(),
                    result_hash: m.result_hash.clone(),
                },
            );
        }
    }
    let mut lines = Vec::new();
    let services: std::collections::BTreeSet<&String> =
        expected.keys().chain(recorded.keys()).collect();
    for service in services {
        let empty = BTreeMap::new();
        let (want, have) = (
            expected.get(service).unwrap_or(&empty),
            recorded.get(service).unwrap_or(&empty),
        );
        let methods: std::collections::BTreeSet<&String> = want.keys().chain(have.keys()).collect();
        for method in methods {
            let place = format!("{service}.{method}");
            match (want.get(method), have.get(method)) {
                (Some(_), None) => lines.push(format!(
                    "added: {place} (in the manifest, not in the generated code)"
                )),
                (None, Some(_)) => lines.push(format!(
                    "removed: {place} (in the generated code, not in the manifest)"
                )),
                (Some(w), Some(h)) => {
                    if w.params_hash != h.params_hash {
                        lines.push(format!("params changed: {place}"));
                    }
                    match (&w.result_hash, &h.result_hash) {
                        (None, Some(_)) => {
                            lines.push(format!("method became notification: {place}"))
                        }
                        (Some(_), None) => {
                            lines.push(format!("notification became method: {place}"))
                        }
                        (Some(a), Some(b)) if a != b => {
                            lines.push(format!("result changed: {place}"))
                        }
                        _ => {}
                    }
                }
                (None, None) => {}
            }
        }
    }
    lines
}

/// Reads `SERVICE` and `METHODS` from every generated service file in `dir`.
fn read_recorded(dir: &Path) -> Result<BTreeMap<String, BTreeMap<String, Recorded>>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "rs") && p.file_name().is_some_and(|n| n != "mod.rs")
        })
        .collect();
    names.sort();
    let mut out = BTreeMap::new();
    for path in names {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !is_generated(&text) {
            continue;
        }
        let recorded = metadata(&text).map_err(|why| {
            format!(
                "{}: cannot read the recorded method hashes ({why}); the generated file was edited by hand: regenerate it",
                path.display()
            )
        })?;
        // The shared module records nothing: it holds types only.
        if let Some((service, methods)) = recorded {
            out.insert(service, methods);
        }
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no generated service files to check",
            dir.display()
        ));
    }
    Ok(out)
}

/// A service's wire name and what its file records per method.
type ServiceRecord = (String, BTreeMap<String, Recorded>);

/// The service and method hashes a generated file records; `None` for a file of types only
/// (the shared module), which has neither constant.
fn metadata(text: &str) -> Result<Option<ServiceRecord>, String> {
    let file = syn::parse_file(text).map_err(|e| format!("not valid Rust: {e}"))?;
    let mut service = None;
    let mut methods = None;
    for item in &file.items {
        let syn::Item::Const(c) = item else { continue };
        if c.ident == "SERVICE" {
            service = Some(string_literal(&c.expr).ok_or("SERVICE is not a string literal")?);
        } else if c.ident == "METHODS" {
            methods = Some(method_infos(&c.expr)?);
        }
    }
    match (service, methods) {
        (None, None) => Ok(None),
        (service, methods) => Ok(Some((
            service.ok_or("no SERVICE constant")?,
            methods.ok_or("no METHODS constant")?,
        ))),
    }
}

fn string_literal(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn method_infos(expr: &syn::Expr) -> Result<BTreeMap<String, Recorded>, String> {
    let syn::Expr::Reference(r) = expr else {
        return Err("METHODS is not `&[…]`".to_owned());
    };
    let syn::Expr::Array(array) = &*r.expr else {
        return Err("METHODS is not `&[…]`".to_owned());
    };
    let mut out = BTreeMap::new();
    for element in &array.elems {
        let (name, recorded) = match element {
            syn::Expr::Call(call) => method_info_call(call)?,
            // How earlier versions of the generator wrote the table: their files still check.
            syn::Expr::Struct(s) => method_info_struct(s)?,
            _ => return Err("a METHODS entry is not a MethodInfo".to_owned()),
        };
        out.insert(name, recorded);
    }
    Ok(out)
}

/// `MethodInfo::request("name", "params hash", "result hash")` or
/// `MethodInfo::notification("name", "params hash")`.
fn method_info_call(call: &syn::ExprCall) -> Result<(String, Recorded), String> {
    let syn::Expr::Path(path) = &*call.func else {
        return Err("a METHODS entry is not a MethodInfo".to_owned());
    };
    let kind = path.path.segments.last().map(|s| s.ident.to_string());
    let args: Vec<String> = call.args.iter().filter_map(string_literal).collect();
    match (kind.as_deref(), args.as_slice()) {
        (Some("request"), [name, params, result]) if call.args.len() == 3 => Ok((
            name.clone(),
            Recorded {
                params_hash: params.clone(),
                result_hash: Some(result.clone()),
            },
        )),
        (Some("notification"), [name, params]) if call.args.len() == 2 => Ok((
            name.clone(),
            Recorded {
                params_hash: params.clone(),
                result_hash: None,
            },
        )),
        _ => Err(
            "a METHODS entry is neither MethodInfo::request(\"…\", \"…\", \"…\") nor \
             MethodInfo::notification(\"…\", \"…\")"
                .to_owned(),
        ),
    }
}

fn method_info_struct(s: &syn::ExprStruct) -> Result<(String, Recorded), String> {
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| matches!(&f.member, syn::Member::Named(i) if i == name))
            .map(|f| &f.expr)
    };
    let name = field("name")
        .and_then(string_literal)
        .ok_or("a MethodInfo without a string `name`")?;
    let params_hash = field("params_hash")
        .and_then(string_literal)
        .ok_or("a MethodInfo without a string `params_hash`")?;
    let result_hash = match field("result_hash") {
        Some(syn::Expr::Call(call)) => Some(
            call.args
                .first()
                .and_then(string_literal)
                .ok_or("`result_hash` is not Some(\"…\")")?,
        ),
        Some(syn::Expr::Path(_)) => None,
        _ => return Err("a MethodInfo without `result_hash`".to_owned()),
    };
    Ok((
        name,
        Recorded {
            params_hash,
            result_hash,
        },
    ))
}

/// For a `#[test]`: passes when `out` is what `manifest` generates (or, for a hash-only
/// manifest, when the recorded hashes match), and otherwise fails with the same report as
/// `--check`. With a schema manifest, a stale directory is also rewritten (unless the `CI`
/// environment variable is set), so that the next run passes and the change shows up in review:
/// the pattern of rust-analyzer's `ensure_file_contents`. The options are those of the options
/// file beside the manifest (`clamator-codegen.json`), as on the command line; for options given
/// in code, [`assert_current_with`].
///
/// ```no_run
/// #[test]
/// fn generated_code_is_current() {
///     clamator_codegen_rs::assert_current("contracts.schema.json", "src/generated");
/// }
/// ```
pub fn assert_current(manifest: impl AsRef<Path>, out: impl AsRef<Path>) {
    let manifest = manifest.as_ref();
    let options = Options::for_manifest(manifest).unwrap_or_else(|e| panic!("{e}"));
    assert_current_with(manifest, out, &options);
}

/// [`assert_current`] with `options` (a [`Layout::Directory`](crate::Layout::Directory)
/// layout): for code generated with options set in code, such as
/// [`Options::runtime_path`].
///
/// ```no_run
/// #[test]
/// fn generated_code_is_current() {
///     let options = clamator_codegen_rs::Options::default().runtime_path("::platform::clamator");
///     clamator_codegen_rs::assert_current_with("contracts.schema.json", "src/generated", &options);
/// }
/// ```
pub fn assert_current_with(manifest: impl AsRef<Path>, out: impl AsRef<Path>, options: &Options) {
    let (manifest, out) = (manifest.as_ref(), out.as_ref());
    let outcome = check(manifest, out, options).unwrap_or_else(|e| panic!("{e}"));
    if outcome.current {
        return;
    }
    let mut message = outcome.report;
    if std::env::var_os("CI").is_none() && crate::write(manifest, out, options, false).is_ok() {
        message.push_str(
            "\nThe files have been regenerated; review the change and run the test again.\n",
        );
    }
    panic!("{message}");
}

#[cfg(test)]
mod tests {
    use super::metadata;

    #[test]
    fn the_methods_table_reads_in_both_of_its_written_forms() {
        let current = r#"
            pub const SERVICE: &str = "arith";
            pub const METHODS: &[__rt::MethodInfo] = &[
                __rt::MethodInfo::request("add", "p1", "r1"),
                __rt::MethodInfo::notification("ping", "p2"),
            ];
        "#;
        // How generators before `MethodInfo::request` wrote it: such files still check.
        let earlier = r#"
            pub const SERVICE: &str = "arith";
            pub const METHODS: &[__rt::MethodInfo] = &[
                __rt::MethodInfo { name: "add", params_hash: "p1", result_hash: ::core::option::Option::Some("r1") },
                __rt::MethodInfo { name: "ping", params_hash: "p2", result_hash: ::core::option::Option::None },
            ];
        "#;
        let read = |text| {
            let (service, methods) = metadata(text).unwrap().unwrap();
            let methods: Vec<_> = methods
                .into_iter()
                .map(|(name, r)| (name, r.params_hash, r.result_hash))
                .collect();
            (service, methods)
        };
        let expected = (
            "arith".to_owned(),
            vec![
                ("add".to_owned(), "p1".to_owned(), Some("r1".to_owned())),
                ("ping".to_owned(), "p2".to_owned(), None),
            ],
        );
        assert_eq!(read(current), expected);
        assert_eq!(read(earlier), expected);
        let wrong = current.replace(r#"request("add", "p1", "r1")"#, r#"request("add", "p1")"#);
        assert!(
            metadata(&wrong)
                .unwrap_err()
                .contains("MethodInfo::request")
        );
    }
}
