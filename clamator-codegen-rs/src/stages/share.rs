//! Stage 4b: identical shapes within a service become one type. A Zod schema used in several
//! places (a shared `Category` enum, a shared `Item` object) is inlined into each method's JSON
//! Schema, so lowering first gives one type per place (`AddItemParamsCategory`,
//! `ListItemsParamsCategory`, …). Here types whose definitions are identical (same fields, rules,
//! docs and defaults, with nested types compared the same way) are merged.
//!
//! Naming, deterministic and stable when an unrelated method is added:
//! - every place a merged type is used as a property agrees on one role: the property name, or
//!   its singular for the items of an array (`items: Item[]` and `item: Item` agree on `Item`);
//!   then the type is named after it, unless another type has or wants that name;
//! - otherwise it keeps the alphabetically first of its path names.
//!
//! Method roots (`<Method>Params`, `<Method>Result`) are never merged: they are the API; nor are
//! the types the contract sources name (the typing view's definitions).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::ir::{Body, MethodIr, Presence, Ty, TypeDef};
use crate::naming::pascal;

/// Names of the Rust prelude a role name must not take: generated code spells std paths in full,
/// but a user's `use generated::shop::*` would shadow `String` or `Option` with a contract type.
pub const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Merges identical types in `types`, renaming references in them and in `methods`. `reserved`
/// are names no type may take (the client, the service trait, imported names); `protected`
/// types are never merged (the contract's own named and recursive definitions: a recursive
/// type is its own class, and a named one is the contract author's).
pub fn share_identical_types(
    types: &mut Vec<TypeDef>,
    methods: &mut [MethodIr],
    reserved: &[&str],
    protected: &HashSet<String>,
) {
    let roots: HashSet<String> = methods
        .iter()
        .flat_map(|m| std::iter::once(m.params.clone()).chain(m.result.clone()))
        .chain(protected.iter().cloned())
        .collect();
    let classes = classify(types, &roots);
    let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for def in types.iter() {
        if let Some(class) = classes.get(&def.name) {
            members.entry(*class).or_default().push(def.name.clone());
        }
    }
    members.retain(|_, names| names.len() > 1);
    if members.is_empty() {
        return;
    }

    let roles = roles(types, &classes);
    let taken: HashSet<&str> = types
        .iter()
        .map(|d| d.name.as_str())
        .chain(reserved.iter().copied())
        .chain(PRELUDE.iter().copied())
        .collect();
    let mut wanted: HashMap<String, usize> = HashMap::new();
    let mut candidates: BTreeMap<usize, String> = BTreeMap::new();
    for (class, names) in &members {
        let Some(role) = roles.get(class).and_then(|r| agreed_role(r)) else {
            continue;
        };
        let name = pascal(&role);
        let own = names.contains(&name);
        if own || !taken.contains(name.as_str()) {
            *wanted.entry(name.clone()).or_default() += 1;
            candidates.insert(*class, name);
        }
    }

    let mut rename: HashMap<String, String> = HashMap::new();
    let mut removed: HashSet<String> = HashSet::new();
    for (class, names) in &members {
        let name = match candidates.get(class) {
            Some(name) if wanted[name] == 1 => name.clone(),
            _ => names.iter().min().cloned().unwrap_or_default(),
        };
        for (i, member) in names.iter().enumerate() {
            rename.insert(member.clone(), name.clone());
            if i > 0 {
                removed.insert(member.clone());
            }
        }
    }

    // Docs name their parent types (`The `category` of `AddItemParamsItem`.`): those follow the
    // renames, so no doc names a type that is gone.
    let renamed: Vec<(String, String)> = rename
        .iter()
        .filter(|(old, new)| old != new)
        .map(|(old, new)| (format!("`{old}`"), format!("`{new}`")))
        .collect();
    for def in types.iter_mut() {
        for (old, new) in &renamed {
            if def.doc.contains(old.as_str()) {
                def.doc = def.doc.replace(old.as_str(), new);
            }
        }
    }
    // The kept definition of each class gathers the docs of every place it stands for.
    let mut docs: HashMap<String, Vec<String>> = HashMap::new();
    for def in types.iter() {
        if let Some(new) = rename.get(&def.name) {
            let list = docs.entry(new.clone()).or_default();
            if !list.contains(&def.doc) {
                list.push(def.doc.clone());
            }
        }
    }
    types.retain(|d| !removed.contains(&d.name));
    for def in types.iter_mut() {
        if let Some(new) = rename.get(&def.name) {
            def.name = new.clone();
            if let Some(list) = docs.get(new).filter(|l| l.len() > 1) {
                def.doc = format!(
                    "Used in several places:\n\n{}",
                    list.iter()
                        .map(|d| format!("- {}", d.replace('\n', " ")))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
        rename_in_body(&mut def.body, &rename);
    }
    for m in methods {
        rename_in_ty(&mut m.params_check, &rename);
        if let Some(t) = &mut m.result_check {
            rename_in_ty(t, &rename);
        }
    }
}

/// One role for every use, or none.
fn agreed_role(roles: &[Option<String>]) -> Option<String> {
    let distinct: BTreeSet<&Option<String>> = roles.iter().collect();
    match distinct.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(role)] => Some(role.clone()),
        _ => None,
    }
}

/// Partitions non-root types into classes of identical definitions: a definition's key is its
/// body with nested type names replaced by their classes, docs of the type itself and the names
/// of default functions (which follow the path) left out.
fn classify(types: &[TypeDef], roots: &HashSet<String>) -> HashMap<String, usize> {
    let index: HashMap<&str, &TypeDef> = types.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut classes: HashMap<String, usize> = HashMap::new();
    fn class_of(
        name: &str,
        index: &HashMap<&str, &TypeDef>,
        roots: &HashSet<String>,
        keys: &mut HashMap<String, usize>,
        classes: &mut HashMap<String, usize>,
    ) -> usize {
        if let Some(c) = classes.get(name) {
            return *c;
        }
        let key = match index.get(name) {
            Some(def) if !roots.contains(name) && !matches!(def.body, Body::Alias(_)) => {
                let mut body = def.body.clone();
                let mut refs = HashMap::new();
                for n in body.named_refs() {
                    let c = class_of(&n, index, roots, keys, classes);
                    refs.insert(n, format!("#{c}"));
                }
                rename_in_body(&mut body, &refs);
                if let Body::Struct(s) = &mut body {
                    for f in &mut s.fields {
                        if let Presence::Default { default_fn, .. } = &mut f.presence {
                            default_fn.clear();
                        }
                    }
                }
                format!("{body:?}")
            }
            // Roots, aliases and unknown names are only ever equal to themselves.
            _ => format!("unique:{name}"),
        };
        let next = keys.len();
        let c = *keys.entry(key).or_insert(next);
        classes.insert(name.to_owned(), c);
        c
    }
    for def in types {
        class_of(&def.name, &index, roots, &mut keys, &mut classes);
    }
    classes.retain(|name, _| {
        !roots.contains(name)
            && index
                .get(name.as_str())
                .is_some_and(|d| !matches!(d.body, Body::Alias(_)))
    });
    classes
}

/// For each class, the role of each place it is used: a property's name (singular for array
/// items), or `None` where the place has no name of its own (a union branch, a map value, …).
fn roles(
    types: &[TypeDef],
    classes: &HashMap<String, usize>,
) -> HashMap<usize, Vec<Option<String>>> {
    let mut out: HashMap<usize, Vec<Option<String>>> = HashMap::new();
    let mut record = |ty: &Ty, role: Option<String>| {
        let mut roled = Vec::new();
        named_uses(ty, role, &mut roled);
        for (name, role) in roled {
            if let Some(class) = classes.get(&name) {
                out.entry(*class).or_default().push(role);
            }
        }
    };
    for def in types {
        match &def.body {
            // A field's type plays the field's role; anything else has none.
            Body::Struct(s) => {
                for f in &s.fields {
                    record(&f.ty, Some(f.wire.clone()));
                }
                if let Some(a) = &s.additional {
                    record(a, None);
                }
            }
            body => {
                for t in body.tys() {
                    record(t, None);
                }
                for p in body.payloads() {
                    record(&Ty::Named(p.to_owned()), None);
                }
            }
        }
    }
    out
}

/// The named types inside `ty`, with the role they play: `role` itself for the value, its
/// singular for array items, none deeper.
fn named_uses(ty: &Ty, role: Option<String>, out: &mut Vec<(String, Option<String>)>) {
    match ty {
        Ty::Named(n) => out.push((n.clone(), role)),
        Ty::Checked(inner, _) | Ty::Option(inner) | Ty::Box(inner) => named_uses(inner, role, out),
        Ty::Vec(inner) => named_uses(inner, role.map(|r| singular(&r)), out),
        Ty::Tuple(items) => items.iter().for_each(|t| named_uses(t, None, out)),
        Ty::Map(k, v) => {
            named_uses(k, None, out);
            named_uses(v, None, out);
        }
        _ => {}
    }
}

/// English singular of a property name for the items of an array: `items` → `item`,
/// `categories` → `category`, `boxes` → `box`; anything else is kept.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| !s.is_empty()) {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "ches", "shes", "zes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') && !stem.ends_with('u') => {
            stem.to_owned()
        }
        _ => word.to_owned(),
    }
}

/// Renames type references in `body` by `map`.
pub fn rename_in_body(body: &mut Body, map: &HashMap<String, String>) {
    for t in body.tys_mut() {
        rename_in_ty(t, map);
    }
    for p in body.payloads_mut() {
        if let Some(new) = map.get(p.as_str()) {
            *p = new.clone();
        }
    }
}

/// Renames type references in `ty` by `map`.
pub fn rename_in_ty(ty: &mut Ty, map: &HashMap<String, String>) {
    if let Ty::Named(n) = ty {
        if let Some(new) = map.get(n.as_str()) {
            *n = new.clone();
        }
    }
    ty.children_mut()
        .into_iter()
        .for_each(|t| rename_in_ty(t, map));
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("items", "item"),
            ("categories", "category"),
            ("boxes", "box"),
            ("matches", "match"),
            ("addresses", "address"),
            ("status", "status"),
            ("crew", "crew"),
            ("s", "s"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
