//! Stage 3b: the typing view's definitions, each normalised once, and for each definition named
//! after an export, its Rust name and where it lives: the module of the one service that uses
//! it, or the shared module when several do (which every one of them re-exports). Recursive
//! schemas that are not exported (`x-clamator-anonymous`) have no home of their own: each
//! service that meets one names it by where it first meets it, as any inline type.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::error::Error;
use crate::naming::{Scope, pascal};
use crate::stages::normalize::{Additional, Kind, Schema, normalize_at};
use crate::stages::parse::Manifest;
use crate::stages::typing::definition_pointer;

/// Where a named definition lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// The shared module.
    Shared,
    /// The module of the service at this index of the manifest.
    Service(usize),
}

/// A definition named after an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// Its Rust name, unique across the manifest.
    pub name: String,
    /// Where it lives.
    pub home: Home,
}

/// Every definition of a manifest's typing view (empty without one).
#[derive(Debug, Default)]
pub struct Definitions {
    /// Normalised schemas by key.
    pub schemas: HashMap<String, Schema>,
    /// The definitions named after an export, by key; the others are anonymous.
    pub named: HashMap<String, Named>,
    /// Keys of the named definitions that live in the shared module, in manifest order.
    pub shared: Vec<String>,
}

impl Definitions {
    /// The Rust names of every named definition.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.named.values().map(|n| n.name.as_str())
    }
}

/// Normalises the definitions of `manifest` and decides names and homes. `uses[i]` are the
/// definition keys the method sides of service `i` refer to directly; `reserved` are names no
/// definition may take (every service's client, trait and method roots, imported names).
pub fn plan(
    manifest: &Manifest,
    uses: &[BTreeSet<String>],
    reserved: &[String],
) -> Result<Definitions, Error> {
    let mut schemas = HashMap::with_capacity(manifest.definitions.len());
    let mut anonymous = HashSet::new();
    for (key, body) in &manifest.definitions {
        let schema =
            normalize_at(body, body, definition_pointer(key)).map_err(|e| Error::Shape {
                file: manifest.file.clone(),
                pointer: e.pointer,
                message: e.message,
            })?;
        if body.get("x-clamator-anonymous") == Some(&Value::Bool(true)) {
            anonymous.insert(key.clone());
        }
        schemas.insert(key.clone(), schema);
    }
    // Which services reach each definition, through other definitions too.
    let mut users: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for (service, direct) in uses.iter().enumerate() {
        let mut stack: Vec<&str> = direct.iter().map(String::as_str).collect();
        let mut seen = HashSet::new();
        while let Some(key) = stack.pop() {
            if !seen.insert(key) {
                continue;
            }
            users.entry(key).or_default().insert(service);
            if let Some(schema) = schemas.get(key) {
                stack.extend(references(schema));
            }
        }
    }
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let mut scope = Scope::with_reserved(&reserved);
    let mut named = HashMap::new();
    let mut shared = Vec::new();
    for (key, _) in &manifest.definitions {
        if anonymous.contains(key) {
            continue;
        }
        let Some(services) = users.get(key.as_str()) else {
            continue;
        };
        let home = match services.iter().collect::<Vec<_>>().as_slice() {
            [one] => Home::Service(**one),
            _ => {
                shared.push(key.clone());
                Home::Shared
            }
        };
        let name = scope.claim(&pascal(key));
        named.insert(key.clone(), Named { name, home });
    }
    Ok(Definitions {
        schemas,
        named,
        shared,
    })
}

/// The definition keys `schema` refers to directly.
pub fn references(schema: &Schema) -> Vec<&str> {
    let mut out = Vec::new();
    collect(schema, &mut out);
    out
}

fn collect<'s>(schema: &'s Schema, out: &mut Vec<&'s str>) {
    match &schema.kind {
        Kind::Ref(key) => out.push(key),
        Kind::Array { items } => collect(items, out),
        Kind::Tuple { items, rest } => {
            items.iter().for_each(|i| collect(i, out));
            if let Some(rest) = rest {
                collect(rest, out);
            }
        }
        Kind::Object(object) => {
            object
                .properties
                .iter()
                .for_each(|p| collect(&p.schema, out));
            if let Additional::Typed(values) = &object.additional {
                collect(values, out);
            }
        }
        Kind::Map { values, .. } => collect(values, out),
        Kind::Nullable(inner) => collect(inner, out),
        Kind::Union(members) | Kind::Intersection(members) => {
            members.iter().for_each(|m| collect(m, out));
        }
        Kind::Any
        | Kind::Never
        | Kind::Null
        | Kind::Boolean
        | Kind::Integer
        | Kind::Number
        | Kind::String
        | Kind::Enum(_) => {}
    }
}
