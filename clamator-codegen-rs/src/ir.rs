//! The generator's intermediate representation: Rust types and services with every name decided,
//! independent of how the tokens are spelled.

use serde_json::Value;

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// `i64`.
    I64,
    /// `u64`: an integer the schema bounds at zero or above, when `Options::unsigned_integers`
    /// asks for it (the wire is the same).
    U64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `clamator_protocol::Uuid`: a `format: uuid` string, when `Options::typed_formats` asks
    /// for it (it accepts what the format accepts).
    Uuid,
    /// `clamator_protocol::DateTime`: a `format: date-time` string, when `Options::typed_formats`
    /// asks for it (it accepts what the format accepts and keeps the text).
    DateTime,
    /// The user's type at `path` for a string of `format`, from `Options::replace_format`; it
    /// decodes exactly the strings the format accepts.
    UserFormat {
        /// The format's name (`date-time`).
        format: String,
        /// The type's path (`crate::time::Stamp`).
        path: String,
    },
    /// Any JSON value.
    Json,
    /// `()`, the type of `null`.
    Unit,
    /// No value at all.
    Never,
    /// A type defined in the same file (or re-exported into it from the shared module).
    Named(String),
    /// `Box<T>`: a reference to a type that contains this one directly (recursion through a
    /// field or an `Option`), which Rust can only hold behind a pointer.
    Box(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A tuple.
    Tuple(Vec<Ty>),
    /// `BTreeMap<K, V>`.
    Map(Box<Ty>, Box<Ty>),
    /// The inner type, with value rules to check (the Rust type is the inner one).
    Checked(Box<Ty>, Box<Rules>),
}

impl Ty {
    /// The Rust type: this type with every [`Ty::Checked`] wrapper removed.
    pub fn rust(&self) -> Ty {
        match self {
            Ty::Checked(inner, _) => inner.rust(),
            Ty::Option(inner) => Ty::Option(Box::new(inner.rust())),
            Ty::Box(inner) => Ty::Box(Box::new(inner.rust())),
            Ty::Vec(inner) => Ty::Vec(Box::new(inner.rust())),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(Ty::rust).collect()),
            Ty::Map(k, v) => Ty::Map(Box::new(k.rust()), Box::new(v.rust())),
            other => other.clone(),
        }
    }

    /// The types directly inside this one: an option's or a list's item, a tuple's items, a
    /// map's key and value, a checked type's inner type. Named types are leaves.
    pub fn children(&self) -> Vec<&Ty> {
        match self {
            Ty::Checked(inner, _) | Ty::Option(inner) | Ty::Vec(inner) | Ty::Box(inner) => {
                vec![inner]
            }
            Ty::Tuple(items) => items.iter().collect(),
            Ty::Map(k, v) => vec![k, v],
            _ => Vec::new(),
        }
    }

    /// [`Ty::children`], to change in place.
    pub fn children_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            Ty::Checked(inner, _) | Ty::Option(inner) | Ty::Vec(inner) | Ty::Box(inner) => {
                vec![inner]
            }
            Ty::Tuple(items) => items.iter_mut().collect(),
            Ty::Map(k, v) => vec![k, v],
            _ => Vec::new(),
        }
    }

    /// This type without a [`Ty::Checked`] wrapper at the top.
    pub fn peeled(&self) -> &Ty {
        match self {
            Ty::Checked(inner, _) => inner.peeled(),
            other => other,
        }
    }
}

/// The value rules of JSON Schema that one value must meet (draft-07 keywords; see the runtime's
/// `validation::rules`). Empty when the schema states none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// `minLength`, in code points.
    pub min_length: Option<u64>,
    /// `maxLength`, in code points.
    pub max_length: Option<u64>,
    /// `pattern`s, each of which must match (ECMAScript sources, checked to compile).
    pub patterns: Vec<String>,
    /// `format` groups, each met by one of its formats (known formats only).
    pub formats: Vec<Vec<String>>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minProperties` of a record.
    pub min_properties: Option<u64>,
    /// `maxProperties` of a record.
    pub max_properties: Option<u64>,
    /// `uniqueItems`.
    pub unique: bool,
    /// `propertyNames` rules of a record's keys (a pattern, lengths).
    pub keys: Option<Box<Rules>>,
}

impl Rules {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }

    /// Whether any string rule is set.
    pub fn has_string_rules(&self) -> bool {
        self.min_length.is_some()
            || self.max_length.is_some()
            || !self.patterns.is_empty()
            || !self.formats.is_empty()
    }

    /// Whether any number rule is set.
    pub fn has_number_rules(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
            || self.multiple_of.is_some()
    }

    /// Whether any item-count or uniqueness rule is set.
    pub fn has_item_rules(&self) -> bool {
        self.min_items.is_some() || self.max_items.is_some() || self.unique
    }

    /// The rules of a value that meets both `self` and `other` (`allOf`): the tighter bound of
    /// each pair, every pattern and format group. `None` when they cannot be one set: two
    /// different `multipleOf`s.
    pub fn and(&self, other: &Rules) -> Option<Rules> {
        fn tighter<T: PartialOrd + Copy>(
            a: Option<T>,
            b: Option<T>,
            wins: fn(T, T) -> bool,
        ) -> Option<T> {
            match (a, b) {
                (Some(x), Some(y)) => Some(if wins(y, x) { y } else { x }),
                (x, y) => x.or(y),
            }
        }
        fn lower<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
            tighter(a, b, |y, x| y > x)
        }
        fn upper<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
            tighter(a, b, |y, x| y < x)
        }
        fn union<T: PartialEq + Clone>(a: &[T], b: &[T]) -> Vec<T> {
            let mut out = a.to_vec();
            out.extend(b.iter().filter(|x| !a.contains(x)).cloned());
            out
        }
        let multiple_of = match (self.multiple_of, other.multiple_of) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.or(b),
        };
        let keys = match (&self.keys, &other.keys) {
            (Some(a), Some(b)) => Some(Box::new(a.and(b)?)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Some(Rules {
            min_length: lower(self.min_length, other.min_length),
            max_length: upper(self.max_length, other.max_length),
            patterns: union(&self.patterns, &other.patterns),
            formats: union(&self.formats, &other.formats),
            minimum: lower(self.minimum, other.minimum),
            maximum: upper(self.maximum, other.maximum),
            exclusive_minimum: lower(self.exclusive_minimum, other.exclusive_minimum),
            exclusive_maximum: upper(self.exclusive_maximum, other.exclusive_maximum),
            multiple_of,
            min_items: lower(self.min_items, other.min_items),
            max_items: upper(self.max_items, other.max_items),
            min_properties: lower(self.min_properties, other.min_properties),
            max_properties: upper(self.max_properties, other.max_properties),
            unique: self.unique || other.unique,
            keys,
        })
    }
}

/// A type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Doc text (already plain text; escaped when emitted).
    pub doc: String,
    /// What it is.
    pub body: Body,
    /// Extra derives chosen by the user (`schemars::JsonSchema`), as paths, checked to parse.
    pub derives: Vec<String>,
    /// Extra attributes chosen by the user (`#[non_exhaustive]`), as Rust source, checked to
    /// parse.
    pub attrs: Vec<String>,
}

impl TypeDef {
    /// A type as the schema gives it, with nothing added by the user.
    pub fn new(name: String, doc: String, body: Body) -> Self {
        Self {
            name,
            doc,
            body,
            derives: Vec::new(),
            attrs: Vec::new(),
        }
    }
}

/// The kinds of type definitions.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A struct from an object schema.
    Struct(StructDef),
    /// An enum of JSON values (string, number, boolean or null); a `const` is an enum of one.
    Enum(Vec<EnumVariant>),
    /// A union whose object branches are told apart by a constant property.
    Tagged(TaggedDef),
    /// A union tried branch by branch, in order.
    Untagged(Vec<UntaggedVariant>),
    /// A name for another type.
    Alias(Ty),
    /// An array of fixed leading items followed by any number of `rest` items.
    TupleRest {
        /// Leading item types.
        items: Vec<Ty>,
        /// Type of the remaining items.
        rest: Ty,
    },
}

impl Body {
    /// The types the definition holds directly: fields and additional properties, union
    /// branches, the alias target, tuple items. Tagged payloads are names: [`Body::payloads`].
    pub fn tys(&self) -> Vec<&Ty> {
        match self {
            Body::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(&s.additional)
                .collect(),
            Body::Untagged(vs) => vs.iter().map(|v| &v.ty).collect(),
            Body::Alias(t) => vec![t],
            Body::TupleRest { items, rest } => items.iter().chain([rest]).collect(),
            Body::Tagged(_) | Body::Enum(_) => Vec::new(),
        }
    }

    /// [`Body::tys`], to change in place.
    pub fn tys_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            Body::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(&mut s.additional)
                .collect(),
            Body::Untagged(vs) => vs.iter_mut().map(|v| &mut v.ty).collect(),
            Body::Alias(t) => vec![t],
            Body::TupleRest { items, rest } => items.iter_mut().chain([rest]).collect(),
            Body::Tagged(_) | Body::Enum(_) => Vec::new(),
        }
    }

    /// The payload type names of a tagged union's variants (none for other bodies).
    pub fn payloads_mut(&mut self) -> Vec<&mut String> {
        match self {
            Body::Tagged(t) => t
                .variants
                .iter_mut()
                .filter_map(|v| v.payload.as_mut())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The names of every type the definition refers to: in its types (at any depth) and as
    /// tagged payloads.
    pub fn named_refs(&self) -> Vec<String> {
        let mut names = Vec::new();
        for t in self.tys() {
            named_in(t, &mut names);
        }
        names.extend(self.payloads().into_iter().map(str::to_owned));
        names
    }

    /// [`Body::payloads_mut`], to read.
    pub fn payloads(&self) -> Vec<&str> {
        match self {
            Body::Tagged(t) => t
                .variants
                .iter()
                .filter_map(|v| v.payload.as_deref())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The names of the types in `all` for which `holds(body, found)` is true, where `found` is what
/// was found so far: a least fixpoint over references between types, for properties a type has
/// when something it holds has them ("has value rules somewhere inside"). Recursive types have
/// them only through something other than themselves.
pub fn types_where(
    all: &[&TypeDef],
    holds: impl Fn(&Body, &std::collections::HashSet<&str>) -> bool,
) -> std::collections::HashSet<String> {
    let mut found: std::collections::HashSet<&str> = std::collections::HashSet::new();
    loop {
        let before = found.len();
        for def in all {
            if !found.contains(def.name.as_str()) && holds(&def.body, &found) {
                found.insert(def.name.as_str());
            }
        }
        if found.len() == before {
            return found.into_iter().map(str::to_owned).collect();
        }
    }
}

/// The names of the types in `all` for which `holds(body, kept)` stays true while `kept` shrinks
/// to them: a greatest fixpoint, for properties a type has unless something it holds lacks them
/// ("can be `Eq + Hash`"), so that a recursive type has them when nothing else denies them.
pub fn types_always(
    all: &[&TypeDef],
    holds: impl Fn(&Body, &std::collections::HashSet<&str>) -> bool,
) -> std::collections::HashSet<String> {
    let mut kept: std::collections::HashSet<&str> = all.iter().map(|d| d.name.as_str()).collect();
    loop {
        let before = kept.len();
        let failing: Vec<&str> = all
            .iter()
            .filter(|d| kept.contains(d.name.as_str()) && !holds(&d.body, &kept))
            .map(|d| d.name.as_str())
            .collect();
        for name in failing {
            kept.remove(name);
        }
        if kept.len() == before {
            return kept.into_iter().map(str::to_owned).collect();
        }
    }
}

/// Pushes the name of every type `t` refers to.
pub fn named_in(t: &Ty, out: &mut Vec<String>) {
    if let Ty::Named(n) = t {
        out.push(n.clone());
    }
    t.children().into_iter().for_each(|t| named_in(t, out));
}

/// A struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// `None`: unknown keys are not kept (refused, or dropped: `drops_unknown`). `Some(ty)`:
    /// they are kept, with values of `ty`.
    pub additional: Option<Ty>,
    /// Unknown keys are dropped, not refused (a Zod `z.object()`, which strips them); only
    /// where `additional` is `None`.
    pub drops_unknown: bool,
    /// Rust name of the field that holds additional properties.
    pub additional_field: String,
}

/// How a field is present on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// The key must be there.
    Required,
    /// The key may be absent; absent stays absent on the way out.
    Optional,
    /// The key may be absent; then this value applies (`default_fn` returns it).
    Default {
        /// The default value.
        value: Value,
        /// Name of the generated function returning it.
        default_fn: String,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Doc text.
    pub doc: String,
    /// The value's type, before presence and nullability wrap it.
    pub ty: Ty,
    /// Whether null is allowed.
    pub nullable: bool,
    /// How the key is present.
    pub presence: Presence,
}

impl Field {
    /// The declared Rust type of the field.
    pub fn declared_ty(&self) -> Ty {
        let base = if self.nullable {
            Ty::Option(Box::new(self.ty.clone()))
        } else {
            self.ty.clone()
        };
        match self.presence {
            Presence::Optional => Ty::Option(Box::new(base)),
            Presence::Required | Presence::Default { .. } => base,
        }
    }
}

/// An enum variant for one JSON value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust name.
    pub name: String,
    /// The wire value.
    pub value: Value,
}

/// A tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedDef {
    /// Wire name of the tag property.
    pub tag: String,
    /// Variants in branch order.
    pub variants: Vec<TaggedVariant>,
}

/// One variant of a tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Rust name.
    pub name: String,
    /// The tag's value for this variant.
    pub tag_value: Value,
    /// The struct holding the other properties; `None` when there are none.
    pub payload: Option<String>,
    /// Without a payload: other keys are dropped (a stripping object), not refused.
    pub drops_unknown: bool,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// Rust name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
}

/// One generated service file.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIr {
    /// Wire service name.
    pub wire: String,
    /// Rust module name (may be raw, `r#type`).
    pub module: String,
    /// File name (`excavator_engine.rs`).
    pub file_name: String,
    /// `<Service>Client`.
    pub client: String,
    /// `<Service>Service`.
    pub service_trait: String,
    /// Methods in manifest order.
    pub methods: Vec<MethodIr>,
    /// Every type, in the order first needed.
    pub types: Vec<TypeDef>,
    /// Types of the shared module this service uses, re-exported from its file, by name.
    pub reexports: Vec<String>,
}

/// The types the contract sources define and several services use: one module, which every
/// service using them re-exports from.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedIr {
    /// Rust module name.
    pub module: String,
    /// File name (`shared.rs`).
    pub file_name: String,
    /// Every type, in the order first needed.
    pub types: Vec<TypeDef>,
}

/// Everything generated from one manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// One per service, in manifest order.
    pub services: Vec<ServiceIr>,
    /// The shared module, when some definition is used by several services.
    pub shared: Option<SharedIr>,
}

impl Plan {
    /// The types of the shared module (none without one).
    pub fn shared_types(&self) -> &[TypeDef] {
        self.shared.as_ref().map_or(&[], |s| &s.types)
    }
}

/// One method.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodIr {
    /// Wire method name.
    pub wire: String,
    /// Rust function name on the client and the trait.
    pub function: String,
    /// The contract's description of the method (its params schema's), escaped to inert
    /// Markdown; the client and the trait each put their own first line above it.
    pub description: Option<String>,
    /// The params type (`<Method>Params`).
    pub params: String,
    /// The result type (`<Method>Result`); `None` for notifications.
    pub result: Option<String>,
    /// What to check a params value as: `Named(params)`, or that with root rules around it.
    pub params_check: Ty,
    /// What to check a result value as; `None` for notifications.
    pub result_check: Option<Ty>,
    /// `paramsHash`.
    pub params_hash: String,
    /// `resultHash`.
    pub result_hash: Option<String>,
}
