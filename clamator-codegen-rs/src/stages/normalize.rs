//! Stage 3: a method's JSON Schema (as zod-to-json-schema emits it) → [`Schema`], a small model in
//! which every zod idiom has one spelling:
//!
//! - nullable: `{"type":["X","null"]}`, `{"anyOf":[X,{"type":"null"}]}` → [`Kind::Nullable`];
//! - "optional outside a property", `{"anyOf":[{"not":{}},X]}` → `X` with its rules (a JSON array
//!   item, record value or union member cannot be absent, so only `X` can be on the wire);
//! - `const` and `enum` → [`Kind::Enum`]; unions of unchecked primitives → [`Kind::Union`];
//! - format-only `anyOf` branches and pattern-only `allOf` members inside a typed schema → value
//!   rules (they constrain values, not types);
//! - `allOf` (intersections, pipes) → [`Kind::Intersection`].
//!
//! Value rules (lengths, bounds, patterns, formats, item counts, uniqueness, record key rules)
//! do not change the Rust type; they are kept in [`Schema::rules`], only those that apply to the
//! schema's kind, with every pattern checked to compile.

use serde_json::{Map, Value};

use super::typing;
pub use crate::ir::Rules;

/// A normalised schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// What values it admits.
    pub kind: Kind,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<Value>,
    /// The value rules that apply to this kind of value.
    pub rules: Rules,
    /// JSON pointer of this schema inside its method's schema.
    pub pointer: String,
}

/// The shapes the generator understands.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `{}`: any JSON value.
    Any,
    /// `{"not":{}}`: no value.
    Never,
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `string`.
    String,
    /// One of these values (a `const` is an enum of one).
    Enum(Vec<Value>),
    /// A homogeneous array (`uniqueItems` is a rule).
    Array {
        /// Item schema.
        items: Box<Schema>,
    },
    /// A fixed-length array, optionally followed by `rest` items.
    Tuple {
        /// Schemas of the leading items.
        items: Vec<Schema>,
        /// Schema of any further items.
        rest: Option<Box<Schema>>,
    },
    /// An object with named properties.
    Object(Object),
    /// An object used as a map: any keys (or an enum of keys) → values.
    Map {
        /// Allowed keys, when restricted to an enum.
        keys: Option<Vec<String>>,
        /// Value schema.
        values: Box<Schema>,
    },
    /// `X` or null.
    Nullable(Box<Schema>),
    /// Any of these, tried in order.
    Union(Vec<Schema>),
    /// All of these.
    Intersection(Vec<Schema>),
    /// A definition of the typing view (`#/x-clamator-definitions/<key>`), by key.
    Ref(String),
}

/// An object schema with properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Properties in declaration order.
    pub properties: Vec<Property>,
    /// What other keys may hold.
    pub additional: Additional,
}

/// One property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Wire name.
    pub name: String,
    /// Its schema.
    pub schema: Schema,
    /// Whether it is in `required`.
    pub required: bool,
}

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `false`: unknown keys are rejected.
    Forbidden,
    /// Unknown keys are accepted and dropped: what a Zod `z.object()` does, which the typing
    /// view says (`x-clamator-unknownKeys: strip`) and JSON Schema cannot.
    Dropped,
    /// `true` or absent: unknown keys are kept.
    Any,
    /// A schema: unknown keys are kept, with values of this schema.
    Typed(Box<Schema>),
}

/// What a schema's keywords make of it, before its own rules are added.
enum Shape {
    Kind(Kind),
    /// The one branch an `anyOf` came down to (the others being the "optional" marker): its
    /// rules, description and default are the schema's too.
    Branch(Box<Schema>),
}

impl From<Kind> for Shape {
    fn from(kind: Kind) -> Self {
        Shape::Kind(kind)
    }
}

/// Rules from two places that a value must both meet, when they can be one set: one of them is
/// empty, or they are the same. `None` otherwise.
fn both(a: Rules, b: Rules) -> Option<Rules> {
    if b.is_empty() || a == b {
        Some(a)
    } else if a.is_empty() {
        Some(b)
    } else {
        None
    }
}

/// Why a schema could not be normalised: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported {
    /// JSON pointer.
    pub pointer: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// The typing view's keyword for how an object treats unknown keys.
pub const UNKNOWN_KEYS: &str = "x-clamator-unknownKeys";

/// Keywords that only constrain values (or annotate) and never change the Rust type.
const VALUE_ONLY: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "examples",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "contentEncoding",
    "contentMediaType",
    "errorMessage",
    "markdownDescription",
    "readOnly",
    "writeOnly",
    "deprecated",
    "definitions",
    "$defs",
    "x-clamator-unknownKeys",
    "x-clamator-anonymous",
];

/// Schema nodes one method side may gain by inlining `$ref` targets. Each reference is inlined
/// where it is used, so references to references can grow exponentially (a 3 KB manifest can
/// stand for billions of nodes); past this budget the schema is refused, which keeps the cost of
/// any manifest bounded.
pub const MAX_REF_EXPANSION: usize = 20_000;

/// The longest tuple generated code can hold: Rust's std implements `Debug`, `PartialEq` and the
/// rest for tuples of up to 12 items.
pub const MAX_TUPLE_ITEMS: usize = 12;

/// How deeply schemas may nest. Past about this depth rustc's trait solver gives up on the
/// generated types (`overflow evaluating the requirement … Send`), so deeper schemas are refused
/// with a message instead of yielding code that does not compile.
pub const MAX_NESTING: usize = 32;

/// Normalises the schema `value`, whose own root is `root` (for `$ref` resolution).
pub fn normalize(root: &Value, value: &Value) -> Result<Schema, Unsupported> {
    normalize_at(root, value, String::new())
}

/// [`normalize`], with every pointer under `base` (a definition's place in the manifest).
pub fn normalize_at(root: &Value, value: &Value, base: String) -> Result<Schema, Unsupported> {
    Normalizer {
        root,
        expanded: 0,
        nesting: 0,
        expanding: Vec::new(),
    }
    .schema(value, base)
}

struct Normalizer<'a> {
    root: &'a Value,
    /// Nodes normalised inside `$ref` targets so far.
    expanded: usize,
    /// How many schemas enclose the current one.
    nesting: usize,
    /// The `$ref` targets being inlined, outermost first: one seen again is a cycle.
    expanding: Vec<String>,
}

fn unsupported(pointer: &str, message: impl Into<String>) -> Unsupported {
    Unsupported {
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        message: message.into(),
    }
}

fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

fn is_only_value_keywords(map: &Map<String, Value>) -> bool {
    map.keys()
        .all(|k| VALUE_ONLY.contains(&k.as_str()) || k == "description")
}

impl Normalizer<'_> {
    fn schema(&mut self, value: &Value, pointer: String) -> Result<Schema, Unsupported> {
        if self.nesting >= MAX_NESTING {
            return Err(unsupported(
                &pointer,
                format!(
                    "schemas nest deeper than {MAX_NESTING} levels, past what rustc can check for \
                     generated types; flatten the schema"
                ),
            ));
        }
        self.nesting += 1;
        let schema = self.nested_schema(value, pointer);
        self.nesting -= 1;
        schema
    }

    fn nested_schema(&mut self, value: &Value, pointer: String) -> Result<Schema, Unsupported> {
        if !self.expanding.is_empty() {
            self.expanded += 1;
            if self.expanded > MAX_REF_EXPANSION {
                return Err(unsupported(
                    &pointer,
                    format!(
                        "resolving \"$ref\"s would inline more than {MAX_REF_EXPANSION} schema nodes \
                         (references to references multiply); lower the schema with $refStrategy: 'none' \
                         (clamator-manifest does)"
                    ),
                ));
            }
        }
        let map = match value {
            Value::Bool(true) => return Ok(self.bare(Kind::Any, pointer)),
            Value::Bool(false) => return Ok(self.bare(Kind::Never, pointer)),
            Value::Object(map) => map,
            _ => {
                return Err(unsupported(
                    &pointer,
                    "a schema must be an object or a boolean",
                ));
            }
        };
        if let Some(reference) = map.get("$ref") {
            if let Some(key) = reference.as_str().and_then(typing::definition_key) {
                // Beside a reference only annotations and a default can stand (what
                // zod-to-json-schema writes there); anything else would hold rules the
                // generated types leave out.
                if let Some(other) = map.keys().find(|k| {
                    !matches!(k.as_str(), "$ref" | "description" | "default" | "$schema")
                        && !k.starts_with("x-clamator-")
                }) {
                    return Err(unsupported(
                        &child(&pointer, other),
                        format!(
                            "\"{other}\" beside a definition's \"$ref\" is not supported; put it in the definition"
                        ),
                    ));
                }
                return Ok(Schema {
                    kind: Kind::Ref(key),
                    description: map
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    default: map.get("default").cloned(),
                    rules: Rules::default(),
                    pointer,
                });
            }
            return self.reference(reference, &pointer);
        }
        let description = map
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let default = map.get("default").cloned();
        let shape = self.kind(map, &pointer)?;
        let own_rules = value_rules(map, &pointer)?;
        let (mut kind, mut rules, description, default) = match shape {
            Shape::Kind(kind) => (kind, own_rules, description, default),
            // `{"anyOf":[{"not":{}},X]}` is X, with X's own rules, description and default.
            Shape::Branch(x) => {
                let rules = both(x.rules, own_rules).ok_or_else(|| unsupported(&pointer, "value rules both beside \"anyOf\" and inside its only branch are not supported; put them in one place"))?;
                (
                    x.kind,
                    rules,
                    description.or(x.description),
                    default.or(x.default),
                )
            }
        };
        // `{"type": ["string", "null"], "minLength": 1}`: the rules are the inner types'.
        match &mut kind {
            Kind::Nullable(inner) if inner.rules.is_empty() && !rules.is_empty() => {
                inner.rules = applicable(&inner.kind, std::mem::take(&mut rules));
            }
            Kind::Union(branches) if !rules.is_empty() => {
                for branch in branches.iter_mut().filter(|b| b.rules.is_empty()) {
                    branch.rules = applicable(&branch.kind, rules.clone());
                }
                rules = Rules::default();
            }
            _ => {}
        }
        let rules = applicable(&kind, rules);
        Ok(Schema {
            kind,
            description,
            default,
            rules,
            pointer,
        })
    }

    fn bare(&self, kind: Kind, pointer: String) -> Schema {
        Schema {
            kind,
            description: None,
            default: None,
            rules: Rules::default(),
            pointer,
        }
    }

    /// `$ref` to a JSON pointer inside the same schema (zod-to-json-schema's default `"root"`
    /// strategy). Recursive references cannot become finite Rust types without boxing, so a
    /// target met again inside its own expansion is refused; long chains meet the nesting limit
    /// and the expansion budget.
    fn reference(&mut self, reference: &Value, pointer: &str) -> Result<Schema, Unsupported> {
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .ok_or_else(|| unsupported(pointer, "only local \"$ref\"s (\"#/…\") are supported"))?;
        let resolved = self.root.pointer(target).ok_or_else(|| {
            unsupported(
                pointer,
                format!("\"$ref\" to \"#{target}\" points at nothing"),
            )
        })?;
        if self.expanding.iter().any(|t| t == target) {
            return Err(unsupported(
                pointer,
                "recursive \"$ref\" is not supported; lower the schema with $refStrategy: 'none' (clamator-manifest does)",
            ));
        }
        self.expanding.push(target.to_owned());
        let schema = self.schema(resolved, pointer.to_owned());
        self.expanding.pop();
        schema
    }

    fn kind(&mut self, map: &Map<String, Value>, pointer: &str) -> Result<Shape, Unsupported> {
        for keyword in [
            "oneOf",
            "if",
            "then",
            "else",
            "patternProperties",
            "dependencies",
            "dependentSchemas",
            "contains",
        ] {
            if map.contains_key(keyword) {
                return Err(unsupported(
                    &child(pointer, keyword),
                    format!(
                        "\"{keyword}\" is not supported (zod-to-json-schema never emits it); regenerate the manifest from Zod contracts with clamator-manifest"
                    ),
                ));
            }
        }
        if let Some(values) = map.get("enum") {
            let values = values.as_array().filter(|v| !v.is_empty()).ok_or_else(|| {
                unsupported(
                    &child(pointer, "enum"),
                    "\"enum\" must be a non-empty array",
                )
            })?;
            return self.enumeration(values.clone(), pointer).map(Shape::from);
        }
        if let Some(value) = map.get("const") {
            return self
                .enumeration(vec![value.clone()], pointer)
                .map(Shape::from);
        }
        let typed = map.get("type");
        if let Some(Value::Object(not)) = map.get("not") {
            if not.is_empty()
                && typed.is_none()
                && !map.contains_key("anyOf")
                && !map.contains_key("allOf")
            {
                return Ok(Kind::Never.into());
            }
            return Err(unsupported(
                &child(pointer, "not"),
                "\"not\" is supported only as {\"not\":{}} (never)",
            ));
        }
        if let Some(branches) = map.get("anyOf") {
            let branches = as_schemas(branches, &child(pointer, "anyOf"))?;
            // Inside a typed schema, format- or pattern-only branches only constrain the value.
            let all_constraints = branches
                .iter()
                .all(|b| b.as_object().is_some_and(is_only_value_keywords));
            if !(typed.is_some() && all_constraints) {
                return self.any_of(branches, &child(pointer, "anyOf"));
            }
        }
        if let Some(members) = map.get("allOf") {
            let members = as_schemas(members, &child(pointer, "allOf"))?;
            let all_constraints = members
                .iter()
                .all(|b| b.as_object().is_some_and(is_only_value_keywords));
            if !(typed.is_some() && all_constraints) {
                let p = child(pointer, "allOf");
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| self.schema(m, child(&p, &i.to_string())))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Kind::Intersection(members).into());
            }
        }
        match typed {
            None if map.contains_key("properties") || map.contains_key("additionalProperties") => {
                self.object(map, pointer)
            }
            None if map.contains_key("items") => self.array(map, pointer),
            None => Ok(Kind::Any),
            Some(Value::String(t)) => self.single_type(t, map, pointer),
            Some(Value::Array(types)) => {
                let mut nullable = false;
                let mut kinds = Vec::new();
                for t in types {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) => kinds.push(self.single_type(t, map, pointer)?),
                        None => {
                            return Err(unsupported(
                                &child(pointer, "type"),
                                "\"type\" entries must be strings",
                            ));
                        }
                    }
                }
                let inner = match kinds.len() {
                    0 => Kind::Null,
                    1 => kinds.remove(0),
                    _ => Kind::Union(
                        kinds
                            .into_iter()
                            .map(|k| self.bare(k, pointer.to_owned()))
                            .collect(),
                    ),
                };
                Ok(if nullable && inner != Kind::Null {
                    Kind::Nullable(Box::new(self.bare(inner, pointer.to_owned())))
                } else {
                    inner
                })
            }
            Some(_) => Err(unsupported(
                &child(pointer, "type"),
                "\"type\" must be a string or an array of strings",
            )),
        }
        .map(Shape::from)
    }

    fn enumeration(&self, values: Vec<Value>, pointer: &str) -> Result<Kind, Unsupported> {
        if let Some(bad) = values.iter().find(|v| {
            !matches!(
                v,
                Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
            )
        }) {
            return Err(unsupported(
                pointer,
                format!(
                    "enum value {bad} is not supported: only strings, numbers, booleans and null"
                ),
            ));
        }
        Ok(Kind::Enum(values))
    }

    fn single_type(
        &mut self,
        t: &str,
        map: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Kind, Unsupported> {
        Ok(match t {
            "string" => Kind::String,
            "number" => Kind::Number,
            "integer" => Kind::Integer,
            "boolean" => Kind::Boolean,
            "null" => Kind::Null,
            "object" => self.object(map, pointer)?,
            "array" => self.array(map, pointer)?,
            other => {
                return Err(unsupported(
                    &child(pointer, "type"),
                    format!("unknown type \"{other}\""),
                ));
            }
        })
    }

    fn any_of(&mut self, branches: &[Value], pointer: &str) -> Result<Shape, Unsupported> {
        let mut nullable = false;
        let mut kept = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let schema = self.schema(branch, child(pointer, &i.to_string()))?;
            match schema.kind {
                // The "optional" marker: absent is not a JSON value, so it adds nothing here.
                Kind::Never => {}
                Kind::Null => nullable = true,
                Kind::Nullable(inner) => {
                    nullable = true;
                    kept.push(*inner);
                }
                _ => kept.push(schema),
            }
        }
        let inner = match kept.len() {
            0 if nullable => return Ok(Kind::Null.into()),
            0 => return Ok(Kind::Never.into()),
            1 => kept.remove(0),
            _ => self.bare(Kind::Union(kept), pointer.to_owned()),
        };
        Ok(if nullable {
            Kind::Nullable(Box::new(inner)).into()
        } else {
            Shape::Branch(Box::new(inner))
        })
    }

    fn object(&mut self, map: &Map<String, Value>, pointer: &str) -> Result<Kind, Unsupported> {
        let required: Vec<&str> = match map.get("required") {
            None => Vec::new(),
            Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).collect(),
            Some(_) => {
                return Err(unsupported(
                    &child(pointer, "required"),
                    "\"required\" must be an array of strings",
                ));
            }
        };
        let properties = match map.get("properties") {
            None => None,
            Some(Value::Object(p)) => Some(p),
            Some(_) => {
                return Err(unsupported(
                    &child(pointer, "properties"),
                    "\"properties\" must be an object",
                ));
            }
        };
        let additional_pointer = child(pointer, "additionalProperties");
        let unknown_keys = match map.get(UNKNOWN_KEYS) {
            None => None,
            Some(Value::String(mode)) if mode == "strip" || mode == "strict" => Some(mode.as_str()),
            Some(_) => {
                return Err(unsupported(
                    &child(pointer, UNKNOWN_KEYS),
                    format!("\"{UNKNOWN_KEYS}\" must be \"strip\" or \"strict\""),
                ));
            }
        };
        let additional = match map.get("additionalProperties") {
            // The typing view says what `false` (or, in an intersection member, nothing) means.
            None | Some(Value::Bool(false)) if unknown_keys == Some("strip") => Additional::Dropped,
            None if unknown_keys == Some("strict") => Additional::Forbidden,
            None | Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(schema @ Value::Object(_)) => {
                Additional::Typed(Box::new(self.schema(schema, additional_pointer)?))
            }
            Some(_) => {
                return Err(unsupported(
                    &additional_pointer,
                    "\"additionalProperties\" must be a boolean or a schema",
                ));
            }
        };
        let Some(properties) = properties.filter(|p| !p.is_empty()) else {
            // No named properties: `{}` is an object of nothing, anything else a map.
            return Ok(match additional {
                Additional::Forbidden | Additional::Dropped => Kind::Object(Object {
                    properties: Vec::new(),
                    additional,
                }),
                Additional::Any => Kind::Map {
                    keys: None,
                    values: Box::new(self.bare(Kind::Any, pointer.to_owned())),
                },
                Additional::Typed(values) => Kind::Map {
                    keys: self.property_names(map, pointer)?,
                    values,
                },
            });
        };
        let p = child(pointer, "properties");
        let mut out = Vec::with_capacity(properties.len());
        for (name, schema) in properties {
            out.push(Property {
                name: name.clone(),
                schema: self.schema(schema, child(&p, name))?,
                required: required.contains(&name.as_str()),
            });
        }
        Ok(Kind::Object(Object {
            properties: out,
            additional,
        }))
    }

    fn property_names(
        &self,
        map: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Option<Vec<String>>, Unsupported> {
        let Some(names) = map.get("propertyNames") else {
            return Ok(None);
        };
        // A key pattern only constrains the key text; an enum picks the key type.
        match names.get("enum") {
            None => Ok(None),
            Some(Value::Array(values)) => values
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        unsupported(
                            &child(pointer, "propertyNames"),
                            "record keys must be strings",
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(unsupported(
                &child(pointer, "propertyNames"),
                "\"enum\" must be an array",
            )),
        }
    }

    fn array(&mut self, map: &Map<String, Value>, pointer: &str) -> Result<Kind, Unsupported> {
        match map.get("items") {
            None => Ok(Kind::Array {
                items: Box::new(self.bare(Kind::Any, pointer.to_owned())),
            }),
            Some(Value::Array(items)) => {
                if items.len() > MAX_TUPLE_ITEMS {
                    return Err(unsupported(
                        pointer,
                        format!(
                            "a tuple of {} items: Rust implements Debug and PartialEq for tuples of at \
                             most {MAX_TUPLE_ITEMS}; use an object (z.object) or an array",
                            items.len()
                        ),
                    ));
                }
                let p = child(pointer, "items");
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.schema(item, child(&p, &i.to_string())))
                    .collect::<Result<Vec<_>, _>>()?;
                let rest = match map.get("additionalItems") {
                    None | Some(Value::Bool(false)) => None,
                    Some(schema) => Some(Box::new(
                        self.schema(schema, child(pointer, "additionalItems"))?,
                    )),
                };
                Ok(Kind::Tuple { items, rest })
            }
            Some(items) => Ok(Kind::Array {
                items: Box::new(self.schema(items, child(pointer, "items"))?),
            }),
        }
    }
}

/// The rules of `keywords` that constrain a value of `kind` (JSON Schema applies string rules to
/// strings only, and so on).
fn applicable(kind: &Kind, raw: Rules) -> Rules {
    match kind {
        Kind::String => Rules {
            min_length: raw.min_length,
            max_length: raw.max_length,
            patterns: raw.patterns,
            formats: raw.formats,
            ..Rules::default()
        },
        Kind::Integer | Kind::Number => Rules {
            minimum: raw.minimum,
            maximum: raw.maximum,
            exclusive_minimum: raw.exclusive_minimum,
            exclusive_maximum: raw.exclusive_maximum,
            multiple_of: raw.multiple_of,
            ..Rules::default()
        },
        Kind::Array { .. } | Kind::Tuple { rest: Some(_), .. } => Rules {
            min_items: raw.min_items,
            max_items: raw.max_items,
            unique: raw.unique,
            ..Rules::default()
        },
        Kind::Map { .. } => Rules {
            min_properties: raw.min_properties,
            max_properties: raw.max_properties,
            keys: raw.keys,
            ..Rules::default()
        },
        _ => Rules::default(),
    }
}

fn count(
    map: &Map<String, Value>,
    keyword: &str,
    pointer: &str,
) -> Result<Option<u64>, Unsupported> {
    match map.get(keyword) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e18)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| {
                unsupported(
                    &child(pointer, keyword),
                    format!("\"{keyword}\" must be a non-negative integer"),
                )
            }),
    }
}

fn bound(
    map: &Map<String, Value>,
    keyword: &str,
    pointer: &str,
) -> Result<Option<f64>, Unsupported> {
    match map.get(keyword) {
        None | Some(Value::Bool(_)) => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| {
                unsupported(
                    &child(pointer, keyword),
                    format!("\"{keyword}\" must be a number"),
                )
            }),
    }
}

/// Every value rule stated by `map` itself, by its pattern-only `allOf` members and its
/// format-only `anyOf` branches.
fn value_rules(map: &Map<String, Value>, pointer: &str) -> Result<Rules, Unsupported> {
    let mut rules = own_rules(map, pointer)?;
    if map.contains_key("type") {
        if let Some(Value::Array(members)) = map.get("allOf") {
            if members
                .iter()
                .all(|m| m.as_object().is_some_and(is_only_value_keywords))
            {
                for (i, member) in members.iter().enumerate() {
                    let Some(member) = member.as_object() else {
                        continue;
                    };
                    let p = child(&child(pointer, "allOf"), &i.to_string());
                    rules = rules.and(&own_rules(member, &p)?).ok_or_else(|| {
                        unsupported(
                            &p,
                            "different \"multipleOf\"s in one schema are not supported",
                        )
                    })?;
                }
            }
        }
        if let Some(Value::Array(branches)) = map.get("anyOf") {
            let formats: Option<Vec<String>> = branches
                .iter()
                .map(|b| {
                    let b = b.as_object()?;
                    let name = b.get("format")?.as_str()?;
                    (b.keys().all(|k| k == "format" || k == "description") && clamator_format(name))
                        .then(|| name.to_owned())
                })
                .collect();
            // A branch with an unknown format (or anything else) accepts what the others
            // refuse, so only a group of known formats constrains.
            if let Some(group) = formats.filter(|g| !g.is_empty()) {
                rules.formats.push(group);
            }
        }
    }
    Ok(rules)
}

/// Whether the runtime checks this format (`clamator-formats` knows it); any other validates
/// nothing, as in Ajv.
pub fn clamator_format(name: &str) -> bool {
    clamator_formats::Format::from_name(name).is_some()
}

fn own_rules(map: &Map<String, Value>, pointer: &str) -> Result<Rules, Unsupported> {
    let mut rules = Rules {
        min_length: count(map, "minLength", pointer)?,
        max_length: count(map, "maxLength", pointer)?,
        minimum: bound(map, "minimum", pointer)?,
        maximum: bound(map, "maximum", pointer)?,
        exclusive_minimum: bound(map, "exclusiveMinimum", pointer)?,
        exclusive_maximum: bound(map, "exclusiveMaximum", pointer)?,
        multiple_of: bound(map, "multipleOf", pointer)?,
        min_items: count(map, "minItems", pointer)?,
        max_items: count(map, "maxItems", pointer)?,
        min_properties: count(map, "minProperties", pointer)?,
        max_properties: count(map, "maxProperties", pointer)?,
        unique: map.get("uniqueItems") == Some(&Value::Bool(true)),
        ..Rules::default()
    };
    // Draft-04's boolean form: `"exclusiveMinimum": true` makes `minimum` exclusive.
    if map.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
        rules.exclusive_minimum = rules.minimum.take();
    }
    if map.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
        rules.exclusive_maximum = rules.maximum.take();
    }
    if rules.multiple_of.is_some_and(|m| m <= 0.0) {
        return Err(unsupported(
            &child(pointer, "multipleOf"),
            "\"multipleOf\" must be greater than 0",
        ));
    }
    if let Some(pattern) = map.get("pattern") {
        let p = child(pointer, "pattern");
        let source = pattern
            .as_str()
            .ok_or_else(|| unsupported(&p, "\"pattern\" must be a string"))?;
        clamator_formats::compile_pattern(source).map_err(|e| {
            unsupported(
                &p,
                format!("pattern {source:?} is not an ECMAScript regular expression: {e}"),
            )
        })?;
        rules.patterns.push(source.to_owned());
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        if clamator_format(format) {
            rules.formats.push(vec![format.to_owned()]);
        }
    }
    if let Some(Value::Object(names)) = map.get("propertyNames") {
        if !names.contains_key("enum") {
            let keys = applicable(
                &Kind::String,
                own_rules(names, &child(pointer, "propertyNames"))?,
            );
            if !keys.is_empty() {
                rules.keys = Some(Box::new(keys));
            }
        }
    }
    Ok(rules)
}

fn as_schemas<'v>(value: &'v Value, pointer: &str) -> Result<&'v [Value], Unsupported> {
    value
        .as_array()
        .map(Vec::as_slice)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| unsupported(pointer, "must be a non-empty array of schemas"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(v: Value) -> Kind {
        normalize(&v, &v).unwrap().kind
    }

    #[test]
    fn nullable_spellings_agree() {
        let a = kind(json!({"type": ["string", "null"]}));
        let b = kind(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
        let c = kind(
            json!({"anyOf": [{"anyOf": [{"not": {}}, {"type": "string"}]}, {"type": "null"}]}),
        );
        for k in [a, b, c] {
            assert!(
                matches!(&k, Kind::Nullable(s) if s.kind == Kind::String),
                "{k:?}"
            );
        }
    }

    #[test]
    fn optional_outside_a_property_is_its_inner_schema() {
        assert_eq!(
            kind(json!({"anyOf": [{"not": {}}, {"type": "number"}]})),
            Kind::Number
        );
    }

    #[test]
    fn the_one_branch_of_an_optional_keeps_its_rules_description_and_default() {
        // `z.record(z.string().min(2).optional())` puts this under additionalProperties.
        let v = json!({"anyOf": [{"not": {}}, {"type": "string", "minLength": 2, "description": "d", "default": "ab"}]});
        let s = normalize(&v, &v).unwrap();
        assert_eq!(s.kind, Kind::String);
        assert_eq!(s.rules.min_length, Some(2));
        assert_eq!(s.description.as_deref(), Some("d"));
        assert_eq!(s.default, Some(json!("ab")));
        // Rules beside the anyOf as well: the same ones are one set, different ones are refused.
        let mut beside = json!({"anyOf": [{"not": {}}, {"type": "string", "minLength": 2}]});
        beside["minLength"] = json!(2);
        assert_eq!(
            normalize(&beside, &beside).unwrap().rules.min_length,
            Some(2)
        );
        beside["minLength"] = json!(3);
        let err = normalize(&beside, &beside).unwrap_err();
        assert!(err.message.contains("beside \"anyOf\""), "{}", err.message);
    }

    #[test]
    fn format_only_branches_and_pattern_members_are_constraints() {
        assert_eq!(
            kind(json!({"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]})),
            Kind::String
        );
        assert_eq!(
            kind(json!({"type": "string", "allOf": [{"pattern": "a"}, {"pattern": "b"}]})),
            Kind::String
        );
    }

    #[test]
    fn consts_and_literal_unions_are_enums() {
        assert_eq!(
            kind(json!({"type": "string", "const": "x"})),
            Kind::Enum(vec![json!("x")])
        );
        assert_eq!(
            kind(json!({"type": ["number", "string"], "enum": [1, "2.1"]})),
            Kind::Enum(vec![json!(1), json!("2.1")])
        );
    }

    #[test]
    fn objects_maps_and_empty_objects() {
        assert!(matches!(
            kind(json!({"type": "object"})),
            Kind::Map { keys: None, .. }
        ));
        assert!(matches!(
            kind(json!({"type": "object", "properties": {}, "additionalProperties": false})),
            Kind::Object(Object { ref properties, additional: Additional::Forbidden }) if properties.is_empty()
        ));
        let record = kind(
            json!({"type": "object", "additionalProperties": {"type": "number"}, "propertyNames": {"enum": ["cpu", "gpu"]}}),
        );
        assert!(matches!(record, Kind::Map { keys: Some(ref k), .. } if k == &["cpu", "gpu"]));
    }

    #[test]
    fn local_refs_resolve_and_recursive_refs_are_refused() {
        let root = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/properties/a"}}, "required": ["a", "b"]});
        let Kind::Object(o) = normalize(&root, &root).unwrap().kind else {
            panic!()
        };
        assert_eq!(o.properties[1].schema.kind, Kind::String);

        let cyclic = json!({"type": "object", "properties": {"next": {"$ref": "#"}}});
        let err = normalize(&cyclic, &cyclic).unwrap_err();
        assert!(err.message.contains("recursive"), "{}", err.message);
    }

    #[test]
    fn unsupported_keywords_name_their_pointer() {
        let v = json!({"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}]}}});
        let err = normalize(&v, &v).unwrap_err();
        assert_eq!(err.pointer, "/properties/x/oneOf");
        assert!(err.message.contains("clamator-manifest"));
    }
}
