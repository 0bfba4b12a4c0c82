//! What a user adds to the generated types, as prost-build's `Config` and typify's settings
//! allow: extra derives and attributes on one type or all, and replacing a generated type by the
//! user's own. Applied to the IR after lowering, by generated Rust type name (the name in the
//! generated code, in any service; `*` for every type). A name that matches nothing, a path or
//! an attribute that does not parse, or a method's own params or result named for replacement is
//! an error: nothing is generated.
//!
//! The options file reads the same choices (`crate::config`).
//!
//! A derive of a trait the type already implements, derived or written out, is left out (by the
//! last segment of its path), so `"*": ["Clone"]` cannot make a conflicting implementation. An
//! attribute is added as written, except `#[serde(…)]`, refused because it would change the wire.
//!
//! `unsignedIntegers` makes every integer whose schema says ≥ 0 (`.nonnegative()`, `.positive()`,
//! `.min(0)`) a `u64` instead of an `i64`; the wire does not change. `typedFormats` makes every
//! `format: uuid` string a `clamator_protocol::Uuid` and every `format: date-time` string a
//! `clamator_protocol::DateTime`. After any of these, every schema default is checked again
//! against its field's new type, so a `Default` cannot fail at run time.

use std::collections::HashMap;

use serde_json::Value;

use crate::ir::{Body, Plan, Ty, TypeDef};
use crate::stages::defaults;
use crate::stages::share::{rename_in_body, rename_in_ty};

/// The user's additions. Every entry names a generated type, or `*` for all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Customize {
    /// `(type, derive path)`: extra derives.
    pub derives: Vec<(String, String)>,
    /// `(type, attribute)`: extra attributes such as `#[non_exhaustive]`.
    pub attributes: Vec<(String, String)>,
    /// `(type, path)`: use the type at `path` instead of generating `type`. The user's type must
    /// serialize exactly as the generated one would; its value rules are not checked.
    pub replace: Vec<(String, String)>,
    /// Integers the schema bounds at zero or above are `u64`.
    pub unsigned_integers: bool,
    /// String formats given the runtime's type for them: `uuid` (`clamator_protocol::Uuid`),
    /// `date-time` (`clamator_protocol::DateTime`).
    pub typed_formats: Vec<String>,
    /// `(format, path)`: every string whose only rule is this format is the user's type at
    /// `path`, which must decode exactly the strings the format accepts.
    pub replace_formats: Vec<(String, String)>,
}

impl Customize {
    /// Whether nothing is asked.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Reads the keys of the options file that customize types (see [`crate::config`]). `Err`
    /// says what is wrong, and where.
    pub fn from_map(map: &serde_json::Map<String, Value>) -> Result<Self, String> {
        let mut out = Customize::default();
        for (key, entries) in map {
            let list = match key.as_str() {
                "derive" => &mut out.derives,
                "attribute" => &mut out.attributes,
                "replace" => {
                    out.replace = paths(entries, key, "type names", "crate::model::Item")?;
                    continue;
                }
                "replaceFormat" => {
                    out.replace_formats = paths(entries, key, "formats", "crate::time::Stamp")?;
                    continue;
                }
                "typedFormats" => {
                    let formats = entries
                        .as_array()
                        .filter(|a| a.iter().all(Value::is_string))
                        .ok_or("\"typedFormats\" must be a list of format names")?;
                    out.typed_formats
                        .extend(formats.iter().filter_map(Value::as_str).map(str::to_owned));
                    continue;
                }
                "unsignedIntegers" => {
                    out.unsigned_integers = entries
                        .as_bool()
                        .ok_or("\"unsignedIntegers\" must be true or false")?;
                    continue;
                }
                other => {
                    return Err(format!(
                        "unknown key \"{other}\" (expected \"derive\", \"attribute\", \"replace\", \"replaceFormat\", \"typedFormats\", \"unsignedIntegers\" or \"runtimePath\")"
                    ));
                }
            };
            let Value::Object(types) = entries else {
                return Err(format!("\"{key}\" must map type names to lists"));
            };
            for (name, items) in types {
                let items = items
                    .as_array()
                    .filter(|a| a.iter().all(Value::is_string))
                    .ok_or_else(|| format!("{key}.{name}: must be a list of strings"))?;
                for item in items {
                    list.push((name.clone(), item.as_str().unwrap_or_default().to_owned()));
                }
            }
        }
        Ok(out)
    }
}

/// The `(name, path)` entries of an object mapping `what` to paths (`"replace"`,
/// `"replaceFormat"`).
fn paths(
    entries: &Value,
    key: &str,
    what: &str,
    example: &str,
) -> Result<Vec<(String, String)>, String> {
    let Value::Object(map) = entries else {
        return Err(format!("\"{key}\" must map {what} to paths"));
    };
    map.iter()
        .map(|(name, path)| {
            let path = path
                .as_str()
                .ok_or_else(|| format!("{key}.{name}: must be a path such as \"{example}\""))?;
            Ok((name.clone(), path.to_owned()))
        })
        .collect()
}

/// Applies `customize` to every module of `plan`. `Err` says which entry is wrong.
pub fn apply(plan: &mut Plan, customize: &Customize) -> Result<(), String> {
    if customize.is_empty() {
        return Ok(());
    }
    let exists = |name: &str| {
        name == "*"
            || plan.shared_types().iter().any(|d| d.name == name)
            || plan
                .services
                .iter()
                .any(|s| s.types.iter().any(|d| d.name == name))
    };
    for (kind, entries) in [
        ("derive", &customize.derives),
        ("attribute", &customize.attributes),
        ("replace", &customize.replace),
    ] {
        if let Some((name, _)) = entries.iter().find(|(name, _)| !exists(name)) {
            return Err(format!("{kind}: no generated type is named `{name}`"));
        }
    }
    for (name, path) in &customize.derives {
        syn::parse_str::<syn::Path>(path)
            .map_err(|e| format!("derive.{name}: `{path}` is not a path: {e}"))?;
    }
    for (name, attr) in &customize.attributes {
        let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attr)
            .ok()
            .filter(|attrs| attrs.len() == 1)
            .ok_or_else(|| {
                format!("attribute.{name}: `{attr}` is not one outer attribute such as `#[non_exhaustive]`")
            })?;
        // The contract fixes the wire; serde attributes would change it (or clash with the
        // generated ones), which no option may do.
        if parsed[0].path().is_ident("serde") {
            return Err(format!(
                "attribute.{name}: `{attr}` would change how the type is encoded, which the contract fixes; serde attributes cannot be added"
            ));
        }
        if parsed[0].path().is_ident("derive") {
            return Err(format!(
                "attribute.{name}: `{attr}`: give derives under \"derive\" (`Options::derive`), which leaves out those the type already has"
            ));
        }
    }
    if let Some(other) = customize
        .typed_formats
        .iter()
        .find(|f| typed_format(f).is_none())
    {
        return Err(format!(
            "typedFormats: `{other}` has no type (supported: `uuid`, `date-time`; `replaceFormat` takes any format)"
        ));
    }
    for (format, path) in &customize.replace_formats {
        if customize.typed_formats.contains(format) {
            return Err(format!(
                "`{format}` is in both typedFormats and replaceFormat: choose one type for it"
            ));
        }
        if !crate::stages::normalize::clamator_format(format) {
            let known: Vec<&str> = clamator_formats::Format::ALL.map(|f| f.name()).to_vec();
            return Err(format!(
                "replaceFormat: `{format}` is not a format clamator checks ({})",
                known.join(", ")
            ));
        }
        if !is_type_path(path) {
            return Err(format!(
                "replaceFormat.{format}: `{path}` is not a path such as `crate::time::Stamp`"
            ));
        }
    }
    let mut replaced: HashMap<String, String> = HashMap::new();
    for (name, path) in &customize.replace {
        if name == "*" {
            return Err("replace: name one type, not `*`".to_owned());
        }
        if !is_type_path(path) {
            return Err(format!(
                "replace.{name}: `{path}` is not a path such as `crate::model::{name}`"
            ));
        }
        replaced.insert(name.clone(), path.clone());
    }

    for service in &plan.services {
        for m in &service.methods {
            if let Some(root) = std::iter::once(&m.params)
                .chain(m.result.as_ref())
                .find(|r| replaced.contains_key(r.as_str()))
            {
                return Err(format!(
                    "replace.{root}: the params and results of methods are the API and cannot be replaced"
                ));
            }
        }
    }
    if let Some(shared) = &mut plan.shared {
        customize_types(&mut shared.types, customize, &replaced)?;
        defaults::check(&shared.types, 0, &[]).map_err(|e| {
            format!(
                "with these options, the {} (drop the option or fix the default)",
                e.message
            )
        })?;
    }
    let shared_types = plan.shared.as_ref().map_or(&[][..], |m| &m.types);
    for service in &mut plan.services {
        customize_types(&mut service.types, customize, &replaced)?;
        // A default the schema gave a field must still decode into its new type, or the
        // generated `Default` would fail at run time (`-1` for a `u64`, `"soon"` for a
        // `DateTime`): JSON Schema does not check defaults against their own rules.
        defaults::check(&service.types, 0, shared_types).map_err(|e| {
            format!(
                "service {}: with these options, the {} (drop the option or fix the default)",
                service.wire, e.message
            )
        })?;
        for m in &mut service.methods {
            rename_in_ty(&mut m.params_check, &replaced);
            if let Some(t) = &mut m.result_check {
                rename_in_ty(t, &replaced);
            }
        }
        service.reexports.retain(|n| !replaced.contains_key(n));
    }
    Ok(())
}

/// The additions, replacements and type choices of `customize` on one module's types.
fn customize_types(
    types: &mut Vec<TypeDef>,
    customize: &Customize,
    replaced: &HashMap<String, String>,
) -> Result<(), String> {
    types.retain(|d| !replaced.contains_key(&d.name));
    for def in types.iter_mut() {
        rename_in_body(&mut def.body, replaced);
        if matches!(def.body, Body::Alias(_)) {
            // `type X = …;` takes neither derives nor most attributes; `*` skips aliases.
            if customize
                .derives
                .iter()
                .chain(&customize.attributes)
                .any(|(t, _)| *t == def.name)
            {
                return Err(format!(
                    "`{}` is a type alias, which takes no derives or attributes",
                    def.name
                ));
            }
            continue;
        }
        let name = def.name.as_str();
        let for_this = |entries: &[(String, String)]| {
            entries
                .iter()
                .filter(|(t, _)| t == "*" || t == name)
                .map(|(_, added)| added.clone())
                .collect::<Vec<_>>()
        };
        def.derives.extend(for_this(&customize.derives));
        def.attrs.extend(for_this(&customize.attributes));
    }
    if customize.unsigned_integers {
        for def in types.iter_mut() {
            def.body.tys_mut().into_iter().for_each(unsigned);
        }
    }
    let typed = customize
        .typed_formats
        .iter()
        .filter_map(|f| Some((f.as_str(), typed_format(f)?)));
    let replaced_formats = customize.replace_formats.iter().map(|(format, path)| {
        let with = Ty::UserFormat {
            format: format.clone(),
            path: path.clone(),
        };
        (format.as_str(), with)
    });
    for (format, with) in typed.chain(replaced_formats) {
        for def in types.iter_mut() {
            for ty in def.body.tys_mut() {
                format_type(ty, format, &with);
            }
        }
    }
    Ok(())
}

/// Whether `path` names a type elsewhere (`crate::model::Item`): a bare name would be looked up
/// in the generated module, where it is not.
fn is_type_path(path: &str) -> bool {
    path.contains("::") && syn::parse_str::<syn::Path>(path).is_ok()
}

/// `i64` → `u64` where the rules say the value is at least zero.
fn unsigned(ty: &mut Ty) {
    match ty {
        Ty::Checked(inner, rules) => {
            let non_negative = rules.minimum.is_some_and(|m| m >= 0.0)
                || rules.exclusive_minimum.is_some_and(|m| m >= 0.0);
            if non_negative && **inner == Ty::I64 {
                **inner = Ty::U64;
            } else {
                unsigned(inner);
            }
        }
        other => other.children_mut().into_iter().for_each(unsigned),
    }
}

/// The runtime's type for a format, if it has one.
fn typed_format(format: &str) -> Option<Ty> {
    match format {
        "uuid" => Some(Ty::Uuid),
        "date-time" => Some(Ty::DateTime),
        _ => None,
    }
}

/// Every string whose only rule is `format` becomes `with` (which enforces the format itself).
fn format_type(ty: &mut Ty, format: &str, with: &Ty) {
    match ty {
        Ty::Checked(inner, rules)
            if **inner == Ty::String
                && rules.formats == [vec![format.to_owned()]]
                && rules.min_length.is_none()
                && rules.max_length.is_none()
                && rules.patterns.is_empty() =>
        {
            *ty = with.clone();
        }
        // A record's key stays a string: it is wire text that paths and key checks borrow, and
        // its format is checked with the other key rules.
        Ty::Map(_, v) => format_type(v, format, with),
        other => other
            .children_mut()
            .into_iter()
            .for_each(|t| format_type(t, format, with)),
    }
}
