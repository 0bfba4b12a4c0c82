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
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// Any JSON value.
    Json,
    /// `()`, the type of `null`.
    Unit,
    /// No value at all.
    Never,
    /// A type defined in the same file.
    Named(String),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A tuple.
    Tuple(Vec<Ty>),
    /// `BTreeMap<K, V>`.
    Map(Box<Ty>, Box<Ty>),
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

/// A struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// `None`: unknown keys are rejected. `Some(ty)`: they are kept, with values of `ty`.
    pub additional: Option<Ty>,
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
    /// Whether the value is a set (items must differ).
    pub unique: bool,
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
}

/// One method.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodIr {
    /// Wire method name.
    pub wire: String,
    /// Rust function name on the client and the trait.
    pub function: String,
    /// Doc text.
    pub doc: String,
    /// The params type (`<Method>Params`).
    pub params: String,
    /// The result type (`<Method>Result`); `None` for notifications.
    pub result: Option<String>,
    /// `paramsHash`.
    pub params_hash: String,
    /// `resultHash`.
    pub result_hash: Option<String>,
}
