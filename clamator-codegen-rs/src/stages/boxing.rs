//! Stage 4c: recursion Rust can hold. A type that contains itself through an array or a map is
//! fine as it is (`replies: Vec<Note>`: the items live behind a pointer); through a field, an
//! `Option` or a tuple it would be infinitely large, so each such reference on the cycle becomes
//! `Box<…>` (`appendix: Option<Box<Outline>>`, `operand: Box<Expr>`). A cycle of type aliases
//! alone (`z.lazy(() => z.array(A))`) has no Rust spelling, and a union that is one of its own
//! branches (`z.lazy(() => z.union([z.string(), U]))`) no finite decoding: both are refused.

use std::collections::{HashMap, HashSet};

use crate::ir::{Body, Ty, TypeDef};

/// Boxes the references on cycles of direct containment among `types` (one module's; cycles
/// never leave a module). `Err` names an alias that only refers to itself, or a union that is
/// its own branch.
pub fn box_recursion(types: &mut [TypeDef]) -> Result<(), String> {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    let direct: Vec<Vec<usize>> = types
        .iter()
        .map(|d| {
            let mut names = Vec::new();
            direct_names(&d.body, &mut names);
            names.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    let every: Vec<Vec<usize>> = types
        .iter()
        .map(|d| {
            let names = d.body.named_refs();
            names.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    // An alias that reaches itself through aliases only cannot be written.
    let aliases: Vec<bool> = types
        .iter()
        .map(|d| matches!(d.body, Body::Alias(_)))
        .collect();
    for (i, def) in types.iter().enumerate() {
        if aliases[i] && reaches(&every, i, i, &|j| aliases[j]) {
            return Err(def.name.clone());
        }
    }
    // A union (or alias) that holds itself as a whole value, through nothing that takes a level
    // of the value off (`z.lazy(() => z.union([z.string(), U]))`): decoding it would try itself
    // forever, in Zod too.
    let same_value: Vec<Vec<usize>> = types
        .iter()
        .map(|d| {
            let mut names = Vec::new();
            match &d.body {
                Body::Alias(t) => same_value_in(t, &mut names),
                Body::Untagged(variants) => variants
                    .iter()
                    .for_each(|v| same_value_in(&v.ty, &mut names)),
                _ => {}
            }
            names.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    let transparent: Vec<bool> = types
        .iter()
        .map(|d| matches!(d.body, Body::Alias(_) | Body::Untagged(_)))
        .collect();
    for (i, def) in types.iter().enumerate() {
        if transparent[i] && reaches(&same_value, i, i, &|j| transparent[j]) {
            return Err(def.name.clone());
        }
    }
    let on_cycle: Vec<HashSet<usize>> = (0..types.len())
        .map(|i| {
            direct[i]
                .iter()
                .copied()
                .filter(|&j| j == i || reaches(&direct, j, i, &|_| true))
                .collect()
        })
        .collect();
    for (i, def) in types.iter_mut().enumerate() {
        if on_cycle[i].is_empty() {
            continue;
        }
        let boxed: HashSet<&str> = index
            .iter()
            .filter(|(_, j)| on_cycle[i].contains(j))
            .map(|(n, _)| n.as_str())
            .collect();
        match &mut def.body {
            Body::Struct(s) => s
                .fields
                .iter_mut()
                .for_each(|f| box_direct(&mut f.ty, &boxed)),
            Body::Untagged(variants) => variants
                .iter_mut()
                .for_each(|v| box_direct(&mut v.ty, &boxed)),
            Body::TupleRest { items, .. } => items.iter_mut().for_each(|t| box_direct(t, &boxed)),
            // A payload's own fields break the cycle; an alias cannot (refused above when it
            // is the only way round).
            Body::Tagged(_) | Body::Alias(_) | Body::Enum(_) => {}
        }
    }
    Ok(())
}

/// Whether `from` reaches `to` along `edges`, through nodes that `through` allows.
fn reaches(edges: &[Vec<usize>], from: usize, to: usize, through: &dyn Fn(usize) -> bool) -> bool {
    let mut stack = vec![from];
    let mut seen = HashSet::new();
    while let Some(n) = stack.pop() {
        if !seen.insert(n) || !through(n) {
            continue;
        }
        for &m in &edges[n] {
            if m == to {
                return true;
            }
            stack.push(m);
        }
    }
    false
}

/// The types a value of `body` holds in place: not through an array or a map.
fn direct_names(body: &Body, out: &mut Vec<String>) {
    match body {
        Body::Struct(s) => s.fields.iter().for_each(|f| direct_in(&f.ty, out)),
        Body::Untagged(variants) => variants.iter().for_each(|v| direct_in(&v.ty, out)),
        Body::TupleRest { items, .. } => items.iter().for_each(|t| direct_in(t, out)),
        Body::Alias(t) => direct_in(t, out),
        Body::Tagged(_) => out.extend(body.payloads().into_iter().map(str::to_owned)),
        Body::Enum(_) => {}
    }
}

fn direct_in(t: &Ty, out: &mut Vec<String>) {
    match t {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(inner) | Ty::Checked(inner, _) => direct_in(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|t| direct_in(t, out)),
        _ => {}
    }
}

/// The types `t` is, as the same JSON value: through `Option` and rules only.
fn same_value_in(t: &Ty, out: &mut Vec<String>) {
    match t {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(inner) | Ty::Checked(inner, _) => same_value_in(inner, out),
        _ => {}
    }
}

/// Wraps each directly held reference to a type of `boxed` in `Box`.
fn box_direct(t: &mut Ty, boxed: &HashSet<&str>) {
    match t {
        Ty::Named(n) if boxed.contains(n.as_str()) => {
            *t = Ty::Box(Box::new(std::mem::replace(t, Ty::Unit)));
        }
        Ty::Option(inner) | Ty::Checked(inner, _) => box_direct(inner, boxed),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| box_direct(t, boxed)),
        _ => {}
    }
}
