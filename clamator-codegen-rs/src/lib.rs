//! Generates Rust from a clamator schema manifest: per service, the params/result types, a typed
//! client proxy, a service trait and the function that turns an implementation into a contract.
//!
//! The pipeline is visible in the modules, one per stage: `stages::parse` (manifest bytes, file
//! order) → `stages::verify` (hashes) → `stages::normalize` (zod idioms to one spelling) →
//! `stages::lower` (the IR, names decided) → `stages::defaults` (every default fits its type) →
//! `emit` (tokens, infallible) → `stages::format` (prettyplease, header). They are private: the
//! API is [`Options`], [`generate`] / [`generate_with`], [`write()`], [`check()`] and
//! [`assert_current`], and [`compile`] for a build script.
//!
//! ```no_run
//! let manifest = std::fs::read("contracts.schema.json").unwrap();
//! let files = clamator_codegen_rs::generate("contracts.schema.json", &manifest).unwrap();
//! for file in &files {
//!     std::fs::write(format!("src/generated/{}", file.name), &file.contents).unwrap();
//! }
//! ```

mod check;
mod config;
mod customize;
mod emit;
mod error;
mod ir;
mod naming;
mod output;
mod stages;
#[cfg(test)]
mod tests;

pub use check::{CheckOutcome, assert_current, assert_current_with, check};
pub use config::CONFIG_FILE;
pub use error::{Error, HashMismatch, Location, Side};
pub use output::WriteReport;

use std::path::Path;

use stages::lower::{MethodInput, lower_service};
use stages::normalize::{Unsupported, normalize};
use stages::parse::{Manifest, ManifestKind};

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name inside the output directory (`launch_control.rs`, `mod.rs`).
    pub name: String,
    /// Its contents.
    pub contents: String,
}

/// How the output is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// One file per service and a `mod.rs` declaring them: to commit under `src/`.
    #[default]
    Directory,
    /// One file, `clamator.rs`, holding every service as an inline module: for a `build.rs`
    /// that writes it to `OUT_DIR`, included with
    /// `include!(concat!(env!("OUT_DIR"), "/clamator.rs"));` (the per-file layout cannot be
    /// `include!`d: its files start with inner attributes).
    SingleFile,
}

/// What can be chosen about the output: set in code with the methods below, or read from an
/// options file ([`Options::from_config_file`], [`CONFIG_FILE`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// File layout.
    layout: Layout,
    /// Extra derives and attributes, and replaced types.
    customize: customize::Customize,
    /// Path of the runtime crate in generated code; `None`: `::clamator_protocol`.
    runtime_path: Option<String>,
}

impl Options {
    /// Reads an options file (`clamator-codegen.json`):
    ///
    /// ```json
    /// {
    ///   "derive": { "*": ["schemars::JsonSchema"], "Item": ["PartialOrd"] },
    ///   "attribute": { "Category": ["#[non_exhaustive]"] },
    ///   "replace": { "Item": "crate::model::Item" },
    ///   "unsignedIntegers": true,
    ///   "typedFormats": ["uuid", "date-time"],
    ///   "replaceFormat": { "date-time": "crate::time::Stamp" },
    ///   "runtimePath": "::my_platform::clamator"
    /// }
    /// ```
    ///
    /// Each key is the method of the same name below. The layout is the default.
    pub fn from_config_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        config::from_file(path.as_ref())
    }

    /// [`Options::from_config_file`] from the file's text; `file` names it in messages.
    pub fn from_config_json(file: &str, text: &str) -> Result<Self, Error> {
        config::from_json(file, text)
    }

    /// The options file beside `manifest` ([`CONFIG_FILE`]) if there is one, else the defaults:
    /// what the command line, [`compile`] and [`assert_current`] use.
    pub fn for_manifest(manifest: impl AsRef<Path>) -> Result<Self, Error> {
        config::for_manifest(manifest.as_ref())
    }

    /// The same options with another layout.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Names the runtime crate by another path in generated code (`::my_platform::clamator`, a
    /// re-export of `clamator_protocol`); each generated file names it once.
    pub fn runtime_path(mut self, path: &str) -> Self {
        self.runtime_path = Some(path.to_owned());
        self
    }

    /// Gives a string format the runtime's type for it: `uuid` → `clamator_protocol::Uuid`
    /// (accepts exactly what the format accepts, writes the canonical lowercase form);
    /// `date-time` → `clamator_protocol::DateTime` (keeps the text it was decoded from). The
    /// wire does not change.
    pub fn typed_format(mut self, format: &str) -> Self {
        self.customize.typed_formats.push(format.to_owned());
        self
    }

    /// Uses the user's type at `path` for every string whose only rule is `format` (`date-time`
    /// → `crate::time::Stamp`). It must decode exactly the strings the format accepts and encode
    /// as a string; the generated checks leave the format to it.
    pub fn replace_format(mut self, format: &str, path: &str) -> Self {
        self.customize
            .replace_formats
            .push((format.to_owned(), path.to_owned()));
        self
    }

    /// Makes every integer whose schema says ≥ 0 a `u64` instead of an `i64` (same wire).
    pub fn unsigned_integers(mut self, on: bool) -> Self {
        self.customize.unsigned_integers = on;
        self
    }

    /// Adds a derive (a path: `schemars::JsonSchema`) to the generated type named `type_name`,
    /// or to every type with `"*"`. Left out where the type already implements the trait.
    pub fn derive(mut self, type_name: &str, path: &str) -> Self {
        self.customize
            .derives
            .push((type_name.to_owned(), path.to_owned()));
        self
    }

    /// Adds an attribute (`#[non_exhaustive]`) to the generated type named `type_name`, or to
    /// every type with `"*"`. `#[serde(…)]` is refused: it would change the wire.
    pub fn attribute(mut self, type_name: &str, attribute: &str) -> Self {
        self.customize
            .attributes
            .push((type_name.to_owned(), attribute.to_owned()));
        self
    }

    /// Uses the user's type at `path` (`crate::model::Item`) wherever the generated type
    /// `type_name` would be, and does not generate it. The user's type must serialize as the
    /// generated one would (the wire does not change); its value rules are not checked.
    pub fn replace(mut self, type_name: &str, path: &str) -> Self {
        self.customize
            .replace
            .push((type_name.to_owned(), path.to_owned()));
        self
    }
}

/// The file name of [`Layout::SingleFile`] output.
pub const SINGLE_FILE_NAME: &str = "clamator.rs";

/// For a build script: generates `manifest` into `OUT_DIR/clamator.rs` ([`Layout::SingleFile`])
/// and tells Cargo to run again when the manifest changes. Errors print as the command line's do.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), clamator_codegen_rs::Error> {
///     clamator_codegen_rs::compile("contracts.schema.json")
/// }
/// // src/lib.rs: pub mod generated { include!(concat!(env!("OUT_DIR"), "/clamator.rs")); }
/// ```
pub fn compile(manifest: impl AsRef<Path>) -> Result<(), Error> {
    let manifest = manifest.as_ref();
    println!("cargo:rerun-if-changed={}", manifest.display());
    if let Some(dir) = manifest.parent() {
        println!("cargo:rerun-if-changed={}", dir.join(CONFIG_FILE).display());
    }
    let io = |path: &Path, e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let bytes = std::fs::read(manifest).map_err(|e| io(manifest, e))?;
    let options = Options::for_manifest(manifest)?.layout(Layout::SingleFile);
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| Error::Io {
        path: "OUT_DIR".to_owned(),
        message: "not set: compile() is meant to run in a build script".to_owned(),
    })?;
    let out = Path::new(&out_dir);
    for file in generate_with(&file_name(manifest), &bytes, &options)? {
        let path = out.join(&file.name);
        std::fs::write(&path, file.contents).map_err(|e| io(&path, e))?;
    }
    Ok(())
}

/// Generates `manifest` into the directory `out` (created if missing), as the command line
/// does: all or nothing, leaving files that are already current untouched and removing
/// generated files nothing generates any more. Files without the generated header are never
/// overwritten, and files generated from another manifest only with `force`.
pub fn write(
    manifest: impl AsRef<Path>,
    out: impl AsRef<Path>,
    options: &Options,
    force: bool,
) -> Result<WriteReport, Error> {
    let manifest = manifest.as_ref();
    let bytes = std::fs::read(manifest).map_err(|e| Error::Io {
        path: manifest.display().to_string(),
        message: e.to_string(),
    })?;
    let name = file_name(manifest);
    let files = generate_with(&name, &bytes, options)?;
    output::write_files(out.as_ref(), &files, &name, force).map_err(Error::Output)
}

/// The name a manifest goes by in generated headers and messages: its file name, so that output
/// is the same on every machine.
fn file_name(manifest: &Path) -> String {
    manifest.file_name().map_or_else(
        || manifest.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The hash `@clamator/codegen` records for a lowered schema: lowercase hex SHA-256 of its
/// `JSON.stringify` text (keys in their order, numbers as JavaScript prints them).
pub fn schema_hash(schema: &serde_json::Value) -> String {
    stages::verify::schema_hash(schema)
}

/// Generates the files for a schema manifest, one per service plus `mod.rs`. `manifest_name` is
/// the name the header and the messages use (give the file name, not a path, for output that is
/// the same on every machine).
pub fn generate(manifest_name: &str, manifest_bytes: &[u8]) -> Result<Vec<GeneratedFile>, Error> {
    generate_with(manifest_name, manifest_bytes, &Options::default())
}

/// [`generate`] with [`Options`].
///
/// ```no_run
/// // build.rs
/// let bytes = std::fs::read("contracts.schema.json").unwrap();
/// let options = clamator_codegen_rs::Options::default().layout(clamator_codegen_rs::Layout::SingleFile);
/// let files = clamator_codegen_rs::generate_with("contracts.schema.json", &bytes, &options).unwrap();
/// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
/// std::fs::write(out.join(&files[0].name), &files[0].contents).unwrap();
/// println!("cargo:rerun-if-changed=contracts.schema.json");
/// ```
pub fn generate_with(
    manifest_name: &str,
    manifest_bytes: &[u8],
    options: &Options,
) -> Result<Vec<GeneratedFile>, Error> {
    let manifest = stages::parse::parse(manifest_name, manifest_bytes)?;
    generate_from(&manifest, options)
}

/// Generates the files for a parsed manifest.
fn generate_from(manifest: &Manifest, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let mut plan = plan(manifest)?;
    customize::apply(&mut plan, &options.customize).map_err(|message| Error::Options {
        file: manifest.file.clone(),
        message,
    })?;
    let runtime_text = options
        .runtime_path
        .as_deref()
        .unwrap_or(emit::DEFAULT_RUNTIME);
    let runtime: syn::Path = syn::parse_str(runtime_text).map_err(|e| Error::Options {
        file: manifest.file.clone(),
        message: format!("runtime path `{runtime_text}` is not a path: {e}"),
    })?;
    let shared = plan.shared.as_ref();
    let mut bodies = Vec::with_capacity(plan.services.len());
    for service in &plan.services {
        bodies.push(emit::service_file(service, shared, &runtime));
    }
    let shared_body = shared.map(|m| (m, emit::shared_file(m, &runtime)));
    if options.layout == Layout::SingleFile {
        let tokens = emit::single_file(&plan.services, shared_body, bodies);
        return Ok(vec![GeneratedFile {
            name: SINGLE_FILE_NAME.to_owned(),
            contents: render(tokens, &manifest.file, true)?,
        }]);
    }
    let mut files = Vec::with_capacity(plan.services.len() + 2);
    for (service, tokens) in plan.services.iter().zip(bodies) {
        files.push(GeneratedFile {
            name: service.file_name.clone(),
            contents: render(tokens, &manifest.file, false)?,
        });
    }
    if let Some((module, tokens)) = shared_body {
        files.push(GeneratedFile {
            name: module.file_name.clone(),
            contents: render(tokens, &manifest.file, false)?,
        });
    }
    files.push(GeneratedFile {
        name: "mod.rs".to_owned(),
        contents: render(
            emit::mod_file(&plan.services, shared, &manifest.file),
            &manifest.file,
            false,
        )?,
    });
    Ok(files)
}

/// Every stage before emission: refuses hash-only manifests, verifies the hashes (and the typing
/// views), normalises the schemas (the typing views where there are), decides where and under
/// which name each definition of the contract sources lives, lowers everything to the IR (all
/// names decided, every default checked) and boxes recursion.
fn plan(manifest: &Manifest) -> Result<ir::Plan, Error> {
    if manifest.kind == ManifestKind::HashesOnly {
        return Err(Error::HashesOnly {
            file: manifest.file.clone(),
        });
    }
    stages::verify::verify(manifest)?;

    let unsupported =
        |service: &str, method: &str, side: Side, e: Unsupported| Error::Unsupported {
            file: manifest.file.clone(),
            location: Box::new(Location {
                service: service.to_owned(),
                method: method.to_owned(),
                side,
                pointer: e.pointer,
            }),
            message: e.message,
        };
    // Each side from its typing view when the manifest has one, else from the hashed schema.
    let mut normalized = Vec::with_capacity(manifest.services.len());
    for service in &manifest.services {
        let mut sides = Vec::with_capacity(service.methods.len());
        for method in &service.methods {
            let side = |typing: Option<&serde_json::Value>, hashed: &serde_json::Value, side| {
                let schema = typing.unwrap_or(hashed);
                normalize(schema, schema)
                    .map_err(|e| unsupported(&service.name, &method.name, side, e))
            };
            let params = side(
                method.params_typing.as_ref(),
                method.params_schema.as_ref().expect("schema manifest"),
                Side::Params,
            )?;
            let result = match &method.result_schema {
                Some(hashed) => Some(side(method.result_typing.as_ref(), hashed, Side::Result)?),
                None => None,
            };
            sides.push((params, result));
        }
        normalized.push(sides);
    }

    // Names no definition may take: every service's API and method roots, imported names.
    let mut api_names: Vec<String> = Vec::new();
    for service in &manifest.services {
        let (client, service_trait) = stages::lower::api_names(&service.name);
        api_names.extend([client, service_trait]);
        for method in &service.methods {
            api_names.extend(stages::lower::root_names(
                &method.name,
                method.is_notification(),
            ));
        }
    }
    api_names.extend(stages::share::PRELUDE.iter().map(|n| (*n).to_owned()));
    api_names.extend(emit::IMPORTED_NAMES.iter().map(|n| (*n).to_owned()));
    let uses: Vec<std::collections::BTreeSet<String>> = normalized
        .iter()
        .map(|sides| {
            sides
                .iter()
                .flat_map(|(p, r)| {
                    stages::definitions::references(p)
                        .into_iter()
                        .chain(r.iter().flat_map(stages::definitions::references))
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let defs = stages::definitions::plan(manifest, &uses, &api_names)?;

    let mut modules = naming::Scope::with_reserved(&["mod"]);
    let service_modules: Vec<String> = manifest
        .services
        .iter()
        .map(|s| modules.claim(&naming::snake(&s.name)))
        .collect();
    let mut reserved: Vec<String> = defs.names().map(str::to_owned).collect();
    let shared = if defs.shared.is_empty() {
        None
    } else {
        let mut shared_reserved = reserved.clone();
        shared_reserved.extend(api_names.iter().cloned());
        let context = stages::lower::Context {
            defs: &defs,
            reserved: &shared_reserved,
            shared_types: &[],
        };
        let types = stages::lower::lower_shared(&context).map_err(|e| Error::Shape {
            file: manifest.file.clone(),
            pointer: e.pointer,
            message: e.message,
        })?;
        let module = modules.claim("shared");
        Some(ir::SharedIr {
            file_name: format!("{}.rs", module.trim_start_matches("r#")),
            module,
            types,
        })
    };
    let shared_types = shared.as_ref().map_or(&[][..], |m| &m.types);
    reserved.extend(shared_types.iter().map(|d| d.name.clone()));
    let context = stages::lower::Context {
        defs: &defs,
        reserved: &reserved,
        shared_types,
    };

    let mut services = Vec::with_capacity(manifest.services.len());
    for (index, ((service, sides), module)) in manifest
        .services
        .iter()
        .zip(normalized)
        .zip(service_modules)
        .enumerate()
    {
        let inputs = service
            .methods
            .iter()
            .zip(sides)
            .map(|(method, (params, result))| MethodInput {
                wire: &method.name,
                params_hash: &method.params_hash,
                result_hash: method.result_hash.as_deref(),
                params,
                result,
            })
            .collect();
        let ir = lower_service(&service.name, module, index, inputs, &context).map_err(|e| {
            let side = if e.result_side {
                Side::Result
            } else {
                Side::Params
            };
            unsupported(&service.name, &e.method, side, e.error)
        })?;
        services.push(ir);
    }
    let mut plan = ir::Plan { services, shared };
    let recursive_alias = |name: String| Error::Shape {
        file: manifest.file.clone(),
        pointer: "/".to_owned(),
        message: format!(
            "`{name}` is a schema that holds only itself (such as z.lazy(() => z.array(Self)), \
             or a union with itself as a branch), which no Rust type can be; wrap the recursion \
             in an object"
        ),
    };
    if let Some(shared) = &mut plan.shared {
        stages::boxing::box_recursion(&mut shared.types).map_err(recursive_alias)?;
    }
    for service in &mut plan.services {
        stages::boxing::box_recursion(&mut service.types).map_err(recursive_alias)?;
    }
    Ok(plan)
}

fn render(
    tokens: proc_macro2::TokenStream,
    manifest: &str,
    single_file: bool,
) -> Result<String, Error> {
    stages::format::format_file(tokens, manifest, single_file).map_err(|e| Error::Shape {
        file: manifest.to_owned(),
        pointer: "/".to_owned(),
        message: format!("internal error: generated tokens did not parse ({e}); please report this with the manifest"),
    })
}
