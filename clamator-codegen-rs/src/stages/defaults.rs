//! Stage 4b: every schema default is checked against the type it will fill, as soon as the method
//! side holding it is lowered, so that emission cannot fail. A default is accepted when the strict decoder
//! would accept it for that type.

use serde_json::Value;

use clamator_formats::Format;

use crate::ir::{Body, Presence, StructDef, Ty, TypeDef};
use crate::stages::normalize::{MAX_NESTING, Unsupported};

/// The types a default may fill: a module's, and the shared module's it names.
#[derive(Clone, Copy)]
struct Known<'a> {
    local: &'a [TypeDef],
    external: &'a [TypeDef],
    /// How many named types the check has entered: a schema that holds only itself
    /// (`type A = Option<A>`, refused later) must not recurse for ever here.
    depth: usize,
}

impl<'a> Known<'a> {
    fn find(&self, name: &str) -> Option<&'a TypeDef> {
        self.local
            .iter()
            .chain(self.external)
            .find(|d| d.name == name)
    }
}

/// Checks the defaults of `types[from..]` (the types one method side just defined) against
/// every type of the module, and of the shared module (`external`).
pub fn check(types: &[TypeDef], from: usize, external: &[TypeDef]) -> Result<(), Unsupported> {
    let all = Known {
        local: types,
        external,
        depth: 0,
    };
    for def in &types[from..] {
        let Body::Struct(s) = &def.body else { continue };
        for f in &s.fields {
            if let Presence::Default { value, .. } = &f.presence {
                fits(&f.declared_ty(), value, all).map_err(|why| Unsupported {
                    pointer: String::new(),
                    message: format!(
                        "default of field \"{}\" ({}): default {value} does not fit its schema: {why}",
                        f.wire, def.name
                    ),
                })?;
            }
        }
    }
    Ok(())
}

/// JSON equality with numbers compared by value (`1` equals `1.0`), as JSON Schema compares them.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Whether `v` decodes as `t` (what the strict decoder accepts), and if not, why.
fn fits(t: &Ty, v: &Value, all: Known<'_>) -> Result<(), String> {
    let expect = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("{v} is not {what}"))
        }
    };
    match t {
        // Defaults are annotations in JSON Schema: only their type must fit.
        Ty::Checked(inner, _) | Ty::Box(inner) => fits(inner, v, all),
        Ty::Bool => expect(v.is_boolean(), "a boolean"),
        Ty::Uuid => expect(
            v.as_str().is_some_and(|s| Format::Uuid.is_valid(s)),
            "a UUID",
        ),
        Ty::DateTime => expect(
            v.as_str().is_some_and(|s| Format::DateTime.is_valid(s)),
            "a date-time",
        ),
        Ty::UserFormat { format, .. } => expect(
            v.as_str()
                .is_some_and(|s| Format::from_name(format).is_none_or(|f| f.is_valid(s))),
            &format!("a string of format `{format}`"),
        ),
        Ty::U64 => expect(
            v.as_u64().is_some()
                || v.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && (0.0..1.8e19).contains(&f)),
            "a non-negative integer",
        ),
        Ty::I64 => expect(
            v.as_i64().is_some()
                || v.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18),
            "an integer",
        ),
        Ty::F64 => expect(v.is_number(), "a number"),
        Ty::String => expect(v.is_string(), "a string"),
        Ty::Unit => expect(v.is_null(), "null"),
        Ty::Json => Ok(()),
        Ty::Never => Err(format!("{v}: no value fits here")),
        Ty::Option(inner) => match v {
            Value::Null => Ok(()),
            v => fits(inner, v, all),
        },
        Ty::Vec(inner) => match v {
            Value::Array(items) => items.iter().try_for_each(|i| fits(inner, i, all)),
            _ => expect(false, "an array"),
        },
        Ty::Tuple(items) => match v {
            Value::Array(vs) if vs.len() == items.len() => {
                items.iter().zip(vs).try_for_each(|(t, v)| fits(t, v, all))
            }
            _ => expect(false, &format!("an array of {} items", items.len())),
        },
        Ty::Map(key, value) => match v {
            Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                fits(key, &Value::String(k.clone()), all)?;
                fits(value, v, all)
            }),
            _ => expect(false, "an object"),
        },
        // A user's type replacing a generated one decodes as the generated one did, which the
        // defaults were checked against before the replacement.
        Ty::Named(name) if name.contains("::") => Ok(()),
        Ty::Named(name) => {
            let def = all
                .find(name)
                .ok_or_else(|| format!("unknown type {name}"))?;
            if all.depth > MAX_NESTING * 4 {
                return Err(format!("{name} holds itself without end"));
            }
            let deeper = Known {
                depth: all.depth + 1,
                ..all
            };
            fits_def(def, v, deeper)
        }
    }
}

fn fits_def(def: &TypeDef, v: &Value, all: Known<'_>) -> Result<(), String> {
    match &def.body {
        Body::Alias(t) => fits(t, v, all),
        Body::Enum(variants) => {
            if variants.iter().any(|var| json_eq(&var.value, v)) {
                Ok(())
            } else {
                Err(format!("{v} is not one of the values of {}", def.name))
            }
        }
        Body::Struct(s) => fits_struct(s, v, all, None),
        Body::Tagged(t) => {
            let Value::Object(map) = v else {
                return Err(format!("{v} is not an object"));
            };
            let tag = map
                .get(&t.tag)
                .ok_or_else(|| format!("{v} has no \"{}\"", t.tag))?;
            let variant = t
                .variants
                .iter()
                .find(|var| json_eq(&var.tag_value, tag))
                .ok_or_else(|| format!("\"{}\": {tag} names no variant", t.tag))?;
            match &variant.payload {
                Some(payload) => {
                    let def = all
                        .find(payload)
                        .ok_or_else(|| format!("unknown type {payload}"))?;
                    match &def.body {
                        Body::Struct(s) => fits_struct(s, v, all, Some(&t.tag)),
                        _ => fits_def(def, v, all),
                    }
                }
                None if map.len() == 1 || variant.drops_unknown => Ok(()),
                None => Err(format!("{v} has keys beside \"{}\"", t.tag)),
            }
        }
        Body::Untagged(variants) => {
            let mut why = Vec::new();
            for variant in variants {
                match fits(&variant.ty, v, all) {
                    Ok(()) => return Ok(()),
                    Err(e) => why.push(e),
                }
            }
            Err(format!("{v} fits no branch ({})", why.join("; ")))
        }
        Body::TupleRest { items, rest } => match v {
            Value::Array(vs) if vs.len() >= items.len() => {
                items
                    .iter()
                    .zip(vs)
                    .try_for_each(|(t, v)| fits(t, v, all))?;
                vs[items.len()..]
                    .iter()
                    .try_for_each(|v| fits(rest, v, all))
            }
            _ => Err(format!(
                "{v} is not an array of at least {} items",
                items.len()
            )),
        },
    }
}

/// An object against a struct; `skip` is a tagged union's tag, checked by the caller.
fn fits_struct(s: &StructDef, v: &Value, all: Known<'_>, skip: Option<&str>) -> Result<(), String> {
    let Value::Object(map) = v else {
        return Err(format!("{v} is not an object"));
    };
    for field in &s.fields {
        match map.get(&field.wire) {
            Some(Value::Null) if field.nullable || field.presence == Presence::Optional => {}
            Some(value) => {
                fits(&field.ty, value, all).map_err(|e| format!("\"{}\": {e}", field.wire))?
            }
            None if field.presence == Presence::Required => {
                return Err(format!("{v} lacks \"{}\"", field.wire));
            }
            None => {}
        }
    }
    for (key, value) in map {
        if Some(key.as_str()) == skip || s.fields.iter().any(|f| &f.wire == key) {
            continue;
        }
        match &s.additional {
            Some(t) => fits(t, value, all).map_err(|e| format!("\"{key}\": {e}"))?,
            None if s.drops_unknown => {}
            None => return Err(format!("\"{key}\" is not a property of it")),
        }
    }
    Ok(())
}
