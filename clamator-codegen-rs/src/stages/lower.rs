//! Stage 4: normalised schemas → [`ServiceIr`]: every type gets a deterministic name from its
//! path (`<Parent><Field>`), every field and variant an escaped, disambiguated Rust name.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::emit::docs::escape_description;
use crate::ir::{
    Body, EnumVariant, Field, MethodIr, Presence, ServiceIr, StructDef, TaggedDef, TaggedVariant,
    Ty, TypeDef, UntaggedVariant,
};
use crate::naming::{Scope, method_type_prefix, pascal, snake};
use crate::stages::definitions::{Definitions, Home};
use crate::stages::normalize::{
    Additional, Kind, MAX_NESTING, Object, Property, Schema, Unsupported,
};
use crate::stages::{defaults, share};

/// Names a client method may not take: the client's own helpers, and prelude trait methods that
/// take `self` by value, which method resolution would pick before an inherent `&self` method
/// (`client.into(&params)` would mean `Into::into`).
pub const CLIENT_RESERVED: &[&str] = &["new", "with_timeout", "inner", "into", "try_into"];

/// One method's normalised schemas, ready to lower.
pub struct MethodInput<'a> {
    /// Wire name.
    pub wire: &'a str,
    /// `paramsHash`.
    pub params_hash: &'a str,
    /// `resultHash`.
    pub result_hash: Option<&'a str>,
    /// Normalised params schema.
    pub params: Schema,
    /// Normalised result schema; `None` for notifications.
    pub result: Option<Schema>,
}

/// Which method and side an [`Unsupported`] came from.
#[derive(Debug)]
pub struct LowerError {
    /// Wire method name.
    pub method: String,
    /// Whether it was the result schema.
    pub result_side: bool,
    /// What.
    pub error: Unsupported,
}

/// `<Service>Client` and `<Service>Service`.
pub fn api_names(wire: &str) -> (String, String) {
    let service_pascal = pascal(wire);
    // `pascal` escapes a bare `Self` as `Self_`; composed names need no escape (`SelfClient`).
    let stem = service_pascal.strip_suffix('_').unwrap_or(&service_pascal);
    (format!("{stem}Client"), format!("{stem}Service"))
}

/// `<Method>Params` and, for a method, `<Method>Result`.
pub fn root_names(method: &str, notification: bool) -> Vec<String> {
    let prefix = method_type_prefix(method);
    let mut names = vec![format!("{prefix}Params")];
    if !notification {
        names.push(format!("{prefix}Result"));
    }
    names
}

/// What lowering one module needs to know of the others: the typing view's definitions, and
/// the names it must leave to them (every named definition's, every shared module type's).
pub struct Context<'d> {
    /// The typing view's definitions (empty without one).
    pub defs: &'d Definitions,
    /// Names taken elsewhere.
    pub reserved: &'d [String],
    /// The shared module's types, which this module may name.
    pub shared_types: &'d [TypeDef],
}

/// Lowers the definitions that live in the shared module. `Err` names the definition's key.
pub fn lower_shared(context: &Context<'_>) -> Result<Vec<TypeDef>, Unsupported> {
    let mut lowerer = Lowerer::new(context, Home::Shared, &[]);
    for key in &context.defs.shared {
        lowerer.definition(key, "", "")?;
    }
    defaults::check(&lowerer.types, 0, &[])?;
    let protected = lowerer.lowered.values().cloned().collect();
    let reserved: Vec<&str> = context
        .reserved
        .iter()
        .map(String::as_str)
        .chain(crate::emit::IMPORTED_NAMES.iter().copied())
        .collect();
    let mut types = lowerer.types;
    share::share_identical_types(&mut types, &mut [], &reserved, &protected);
    Ok(types)
}

/// Lowers one service, the one at `index` of the manifest.
pub fn lower_service(
    wire: &str,
    module: String,
    index: usize,
    methods: Vec<MethodInput<'_>>,
    context: &Context<'_>,
) -> Result<ServiceIr, LowerError> {
    let (client, service_trait) = api_names(wire);
    let mut lowerer = Lowerer::new(
        context,
        Home::Service(index),
        &[client.as_str(), service_trait.as_str()],
    );
    // Roots are the API: they get their exact `<Method>Params` / `<Method>Result` names before
    // any nested type can take one (method `start` with a field `params` would otherwise take
    // `StartParamsParams` from method `startParams`).
    let root_names: Vec<(String, Option<String>)> = methods
        .iter()
        .map(|m| {
            let prefix = method_type_prefix(m.wire);
            let params = lowerer.type_names.claim(&format!("{prefix}Params"));
            let result = m
                .result
                .as_ref()
                .map(|_| lowerer.type_names.claim(&format!("{prefix}Result")));
            (params, result)
        })
        .collect();
    let mut functions = Scope::with_reserved(CLIENT_RESERVED);
    let mut out = Vec::with_capacity(methods.len());
    for (m, (params_name, result_name)) in methods.into_iter().zip(root_names) {
        let wrap = |result_side| {
            let method = m.wire.to_owned();
            move |error| LowerError {
                method,
                result_side,
                error,
            }
        };
        let first = lowerer.types.len();
        let (params, params_check) = lowerer
            .root(
                &m.params,
                params_name,
                &format!("Params of `{wire}.{}`.", m.wire),
            )
            .map_err(wrap(false))?;
        defaults::check(&lowerer.types, first, lowerer.shared_types).map_err(wrap(false))?;
        let result = match (&m.result, result_name) {
            (Some(schema), Some(name)) => {
                let first = lowerer.types.len();
                let result = lowerer
                    .root(schema, name, &format!("Result of `{wire}.{}`.", m.wire))
                    .map_err(wrap(true))?;
                defaults::check(&lowerer.types, first, lowerer.shared_types).map_err(wrap(true))?;
                Some(result)
            }
            _ => None,
        };
        let (result, result_check) = match result {
            Some((name, check)) => (Some(name), Some(check)),
            None => (None, None),
        };
        let description = m
            .params
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(escape_description);
        out.push(MethodIr {
            wire: m.wire.to_owned(),
            function: functions.claim(&snake(m.wire)),
            description,
            params,
            result,
            params_check,
            result_check,
            params_hash: m.params_hash.to_owned(),
            result_hash: m.result_hash.map(str::to_owned),
        });
    }
    let mut types = lowerer.types;
    let reserved: Vec<&str> = [client.as_str(), service_trait.as_str()]
        .into_iter()
        .chain(context.reserved.iter().map(String::as_str))
        .chain(crate::emit::IMPORTED_NAMES.iter().copied())
        .collect();
    let protected = lowerer.lowered.values().cloned().collect();
    share::share_identical_types(&mut types, &mut out, &reserved, &protected);
    Ok(ServiceIr {
        wire: wire.to_owned(),
        file_name: format!("{}.rs", module.trim_start_matches("r#")),
        module,
        client,
        service_trait,
        methods: out,
        types,
        reexports: reachable(context.shared_types, lowerer.shared_used),
    })
}

/// The shared module's types a service re-exports: those it names, and every shared type they
/// hold, so that each is reachable from the service's module.
fn reachable(shared: &[TypeDef], used: BTreeSet<String>) -> Vec<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<String> = used.into_iter().collect();
    while let Some(name) = stack.pop() {
        let Some(def) = shared.iter().find(|d| d.name == name) else {
            continue;
        };
        if out.insert(name) {
            stack.extend(def.body.named_refs());
        }
    }
    out.into_iter().collect()
}

struct Lowerer<'d> {
    types: Vec<TypeDef>,
    type_names: Scope,
    fn_names: Scope,
    /// A name already claimed for the next type defined (a root's).
    fixed: Option<String>,
    /// The typing view's definitions.
    defs: &'d Definitions,
    /// The shared module's types (for checking defaults that fill them).
    shared_types: &'d [TypeDef],
    /// The module being filled.
    home: Home,
    /// Definitions lowered into this module: key → Rust name.
    lowered: HashMap<String, String>,
    /// Named definitions of the shared module referred to from here.
    shared_used: BTreeSet<String>,
}

/// A field's doc: what a reader of the Rust type cannot see. Its description first (the
/// summary), then how it is present on the wire when that is not plain "required" (what `None`
/// means differs between optional and nullable fields), its wire name when the Rust name
/// differs, and its value rules. A required field with none of these says just that.
fn field_doc(
    description: Option<&String>,
    presence: &Presence,
    nullable: bool,
    renamed_from: Option<&String>,
    rules: Option<String>,
) -> String {
    let mut line = match (presence, nullable) {
        (Presence::Required, false) => String::new(),
        (Presence::Required, true) => "Required; `None` is sent as `null`.".to_owned(),
        (Presence::Optional, false) => "Optional: left out when `None`.".to_owned(),
        (Presence::Optional, true) => {
            "Optional and nullable: `None` leaves it out, `Some(None)` sends `null`.".to_owned()
        }
        (Presence::Default { value, .. }, _) => format!(
            "Optional: `{}` when absent.",
            value.to_string().replace('`', "'")
        ),
    };
    if let Some(wire) = renamed_from {
        if !line.is_empty() {
            line.push(' ');
        }
        if wire.is_empty() {
            line.push_str("Wire name: the empty string.");
        } else {
            line.push_str(&format!("Wire name `{}`.", wire.replace('`', "'")));
        }
    }
    let paragraphs: Vec<String> = description
        .map(|d| escape_description(d))
        .into_iter()
        .chain((!line.is_empty()).then_some(line))
        .chain(rules)
        .collect();
    if paragraphs.is_empty() {
        "Required.".to_owned()
    } else {
        paragraphs.join("\n\n")
    }
}

/// A description (escaped to inert Markdown) or, without one, the generator's own text.
fn join_doc(default: &str, description: Option<&String>) -> String {
    match description {
        Some(d) if !d.trim().is_empty() => escape_description(d),
        _ => default.to_owned(),
    }
}

impl<'d> Lowerer<'d> {
    /// A lowerer for the module `home`, whose own names `reserved` (the client, the trait) and
    /// every name taken elsewhere (`context`) are not for its types.
    fn new(context: &Context<'d>, home: Home, reserved: &[&str]) -> Self {
        let taken: Vec<&str> = reserved
            .iter()
            .copied()
            .chain(context.reserved.iter().map(String::as_str))
            .chain(crate::emit::IMPORTED_NAMES.iter().copied())
            .collect();
        Self {
            types: Vec::new(),
            type_names: Scope::with_reserved(&taken),
            fn_names: Scope::with_reserved(&["into_contract"]),
            fixed: None,
            defs: context.defs,
            shared_types: context.shared_types,
            home,
            lowered: HashMap::new(),
            shared_used: BTreeSet::new(),
        }
    }

    /// The type of the definition `key`: its name, after lowering it into this module on
    /// first use, or naming it in the shared module. An anonymous (recursive, not exported)
    /// definition is named like an inline type, from `hint`, and described by `doc`.
    fn definition(&mut self, key: &str, hint: &str, doc: &str) -> Result<Ty, Unsupported> {
        if let Some(name) = self.lowered.get(key) {
            return Ok(Ty::Named(name.clone()));
        }
        let defs = self.defs;
        let schema = defs.schemas.get(key).ok_or_else(|| Unsupported {
            pointer: "/".to_owned(),
            message: format!("the typing view refers to a definition \"{key}\" it does not have"),
        })?;
        let (name, doc) = match defs.named.get(key) {
            Some(named) if named.home != self.home => {
                self.shared_used.insert(named.name.clone());
                return Ok(Ty::Named(named.name.clone()));
            }
            Some(named) => (
                named.name.clone(),
                format!(
                    "`{}`, as the contract sources define it.",
                    key.replace('`', "'")
                ),
            ),
            None => (self.type_names.claim(&type_name(hint)), doc.to_owned()),
        };
        // Known before its body is lowered: recursion refers to it by name.
        self.lowered.insert(key.to_owned(), name.clone());
        let (name, _) = self.root(schema, name, &doc)?;
        Ok(Ty::Named(name))
    }

    /// `schema`, or, for a reference to a definition that is only what a field says of its
    /// value (nullable, any value, a default), that definition's schema: a field reads those as
    /// if written inline (an `Option` it is required to send, a null kept apart from absent, a
    /// default that fills it).
    fn inline_wrapper<'s>(&self, schema: &'s Schema) -> Cow<'s, Schema> {
        let mut current = Cow::Borrowed(schema);
        for _ in 0..MAX_NESTING {
            let Kind::Ref(key) = &current.kind else { break };
            let Some(target) = self.defs.schemas.get(key) else {
                break;
            };
            if !(matches!(target.kind, Kind::Nullable(_) | Kind::Any) || target.default.is_some()) {
                break;
            }
            let mut inlined = target.clone();
            inlined.description = current.description.clone().or(inlined.description);
            inlined.default = current.default.clone().or(inlined.default);
            current = Cow::Owned(inlined);
        }
        current
    }

    /// `schema`, or the object a reference to a definition stands for: a union's branches are
    /// told apart by their tag whether written inline or exported.
    fn inline_object<'s>(&self, schema: &'s Schema) -> &'s Schema
    where
        'd: 's,
    {
        match &schema.kind {
            Kind::Ref(key) => match self.defs.schemas.get(key) {
                Some(target) if matches!(target.kind, Kind::Object(_)) => target,
                _ => schema,
            },
            _ => schema,
        }
    }

    /// A method's params or result, under its pre-claimed `name`: always a named type, so users
    /// can name it; an alias when the schema has no type of its own (a primitive, a tuple, …).
    /// Returns the name and the type to check a root value with (the name itself, unless the
    /// root states rules of its own, as a tuple's item count).
    fn root(
        &mut self,
        schema: &Schema,
        name: String,
        doc: &str,
    ) -> Result<(String, Ty), Unsupported> {
        let names_itself = matches!(
            schema.kind,
            Kind::Object(_)
                | Kind::Union(_)
                | Kind::Intersection(_)
                | Kind::Enum(_)
                | Kind::Tuple { rest: Some(_), .. }
        );
        let nullable = matches!(&schema.kind, Kind::Nullable(_))
            || matches!(&schema.kind, Kind::Enum(values) if values.iter().any(Value::is_null));
        if names_itself && !nullable {
            self.fixed = Some(name.clone());
        }
        // `Option<…>` at the root: the root name is the alias, the type inside is `<Root>Inner`.
        let hint = if nullable {
            format!("{name}Inner")
        } else {
            name.clone()
        };
        let ty = self.ty(schema, &hint, doc)?;
        self.fixed = None;
        match ty.peeled() {
            Ty::Named(n) if *n == name => Ok((name, ty)),
            _ => {
                let mut doc = join_doc(doc, schema.description.as_ref());
                if let Some(rules) = describe_rules(&ty) {
                    doc.push_str("\n\n");
                    doc.push_str(&rules);
                }
                self.define(TypeDef::new(name.clone(), doc, Body::Alias(ty)));
                Ok((name.clone(), Ty::Named(name)))
            }
        }
    }

    /// The name for a type about to be defined: the pre-claimed root name, or a new one.
    fn name_for(&mut self, hint: &str) -> String {
        self.fixed
            .take()
            .unwrap_or_else(|| self.type_names.claim(&type_name(hint)))
    }

    fn define(&mut self, def: TypeDef) {
        self.types.push(def);
    }

    /// Claims a name and the next slot in the file for a type whose body is filled in later, so
    /// that a parent comes before the types nested in it.
    fn reserve(&mut self, hint: &str) -> (String, usize) {
        let name = self.name_for(hint);
        let index = self.types.len();
        self.define(TypeDef::new(
            name.clone(),
            String::new(),
            Body::Alias(Ty::Unit),
        ));
        (name, index)
    }

    /// The type of `schema`, wrapped in [`Ty::Checked`] when it states value rules.
    fn ty(&mut self, schema: &Schema, hint: &str, doc: &str) -> Result<Ty, Unsupported> {
        let ty = self.unchecked_ty(schema, hint, doc)?;
        Ok(if schema.rules.is_empty() {
            ty
        } else {
            Ty::Checked(Box::new(ty), Box::new(schema.rules.clone()))
        })
    }

    fn unchecked_ty(&mut self, schema: &Schema, hint: &str, doc: &str) -> Result<Ty, Unsupported> {
        Ok(match &schema.kind {
            Kind::Any => Ty::Json,
            Kind::Never => Ty::Never,
            Kind::Null => Ty::Unit,
            Kind::Boolean => Ty::Bool,
            Kind::Integer => Ty::I64,
            Kind::Number => Ty::F64,
            Kind::String => Ty::String,
            Kind::Enum(values) => self.enumeration(values, schema, hint, doc),
            Kind::Array { items, .. } => Ty::Vec(Box::new(self.ty(
                items,
                &format!("{hint}Item"),
                &format!("An item of {}.", subject(doc)),
            )?)),
            Kind::Tuple { items, rest } => {
                // Named before its items, so that a root's name is not taken by one of them.
                let name = rest.is_some().then(|| self.name_for(hint));
                let tys = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        self.ty(
                            item,
                            &format!("{hint}{}", ordinal(i)),
                            &match &name {
                                Some(n) => format!("Item {i} of `{n}`."),
                                None => format!("Item {i} of {}.", subject(doc)),
                            },
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                match (rest, name) {
                    (Some(rest), Some(name)) => {
                        let rest = self.ty(
                            rest,
                            &format!("{hint}Rest"),
                            &format!("A trailing item of `{hint}`."),
                        )?;
                        self.define(TypeDef::new(
                            name.clone(),
                            join_doc(doc, schema.description.as_ref()),
                            Body::TupleRest { items: tys, rest },
                        ));
                        Ty::Named(name)
                    }
                    _ if tys.is_empty() => Ty::Vec(Box::new(Ty::Never)),
                    _ => Ty::Tuple(tys),
                }
            }
            Kind::Object(object) => Ty::Named(self.object(object, schema, hint, doc)?),
            Kind::Map { keys, values } => {
                let key = match keys {
                    None => Ty::String,
                    Some(keys) => {
                        let values: Vec<Value> =
                            keys.iter().map(|k| Value::String(k.clone())).collect();
                        self.enumeration(
                            &values,
                            schema,
                            &format!("{hint}Key"),
                            &format!("A key of {}.", subject(doc)),
                        )
                    }
                };
                let value = self.ty(
                    values,
                    &format!("{hint}Value"),
                    &format!("A value of {}.", subject(doc)),
                )?;
                Ty::Map(Box::new(key), Box::new(value))
            }
            Kind::Nullable(inner) => Ty::Option(Box::new(self.ty(inner, hint, doc)?)),
            Kind::Union(branches) => self.union(branches, schema, hint, doc)?,
            Kind::Ref(key) => self.definition(key, hint, doc)?,
            Kind::Intersection(members) => {
                let mut flat = Vec::new();
                flatten_intersection(members, &mut flat);
                if flat.iter().all(|m| matches!(m.kind, Kind::Object(_))) {
                    let merged = merge_objects(&flat)?;
                    Ty::Named(self.object(&merged, schema, hint, doc)?)
                } else {
                    // A pipe or a mixed intersection: the first member is what travels (the
                    // pipe's input); the others only constrain it. A root's name goes to the
                    // alias, not to a type inside that member.
                    self.fixed = None;
                    let mut constrained = flat[0].clone();
                    for member in &flat[1..] {
                        constrained = conjoin(&constrained, member)?;
                    }
                    self.ty(&constrained, hint, doc)?
                }
            }
        })
    }

    fn enumeration(&mut self, values: &[Value], schema: &Schema, hint: &str, doc: &str) -> Ty {
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() {
            return Ty::Unit;
        }
        let mut scope = Scope::default();
        let variants = non_null
            .iter()
            .map(|v| EnumVariant {
                name: scope.claim(&variant_name(v)),
                value: (*v).clone(),
            })
            .collect();
        let name = self.name_for(hint);
        self.define(TypeDef::new(
            name.clone(),
            join_doc(doc, schema.description.as_ref()),
            Body::Enum(variants),
        ));
        let ty = Ty::Named(name);
        if non_null.len() < values.len() {
            Ty::Option(Box::new(ty))
        } else {
            ty
        }
    }

    fn object(
        &mut self,
        object: &Object,
        schema: &Schema,
        hint: &str,
        doc: &str,
    ) -> Result<String, Unsupported> {
        let (name, index) = self.reserve(hint);
        let mut field_names = Scope::default();
        let mut fields = Vec::with_capacity(object.properties.len());
        for property in &object.properties {
            fields.push(self.field(property, &name, &mut field_names)?);
        }
        let additional = match &object.additional {
            Additional::Forbidden | Additional::Dropped => None,
            Additional::Any => Some(Ty::Json),
            Additional::Typed(values) => Some(self.ty(
                values,
                &format!("{name}Additional"),
                &format!("An additional property of `{name}`."),
            )?),
        };
        let additional_field = field_names.claim("additional_properties");
        self.types[index] = TypeDef::new(
            name.clone(),
            join_doc(doc, schema.description.as_ref()),
            Body::Struct(StructDef {
                fields,
                additional,
                additional_field,
                drops_unknown: object.additional == Additional::Dropped,
            }),
        );
        Ok(name)
    }

    fn field(
        &mut self,
        property: &Property,
        parent: &str,
        names: &mut Scope,
    ) -> Result<Field, Unsupported> {
        let schema = &*self.inline_wrapper(&property.schema);
        let (inner, nullable) = match &schema.kind {
            Kind::Nullable(inner) => (inner.as_ref(), true),
            _ => (schema, false),
        };
        let hint = format!("{parent}{}", pascal(&property.name));
        let description = schema
            .description
            .as_ref()
            .or(inner.description.as_ref())
            .filter(|d| !d.trim().is_empty());
        let ty = self.ty(
            inner,
            &hint,
            &format!("The `{}` of `{parent}`.", property.name.replace('`', "'")),
        )?;
        let rust = names.claim(&snake(&property.name));
        let presence = match &schema.default {
            Some(value) => Presence::Default {
                value: value.clone(),
                default_fn: self.fn_names.claim(&format!(
                    "{}_{}_default",
                    snake(parent).trim_start_matches("r#"),
                    rust.trim_start_matches("r#").trim_end_matches('_')
                )),
            },
            None if property.required => Presence::Required,
            None => Presence::Optional,
        };
        let doc = field_doc(
            description,
            &presence,
            nullable,
            (rust.trim_start_matches("r#") != property.name).then_some(&property.name),
            describe_rules(&ty),
        );
        Ok(Field {
            name: rust,
            wire: property.name.clone(),
            doc,
            ty,
            nullable,
            presence,
        })
    }

    fn union(
        &mut self,
        branches: &[Schema],
        schema: &Schema,
        hint: &str,
        doc: &str,
    ) -> Result<Ty, Unsupported> {
        let objects: Vec<Schema> = branches
            .iter()
            .map(|b| self.inline_object(b).clone())
            .collect();
        if let Some((tag, values)) = find_tag(&objects) {
            let (name, index) = self.reserve(hint);
            let mut variant_names = Scope::default();
            let mut variants = Vec::with_capacity(branches.len());
            for (branch, value) in objects.iter().zip(values) {
                let Kind::Object(object) = &branch.kind else {
                    unreachable!("find_tag checked")
                };
                let variant = variant_names.claim(&tag_variant_name(&tag, &value));
                let rest = Object {
                    properties: object
                        .properties
                        .iter()
                        .filter(|p| p.name != tag)
                        .cloned()
                        .collect(),
                    additional: object.additional.clone(),
                };
                let payload = if rest.properties.is_empty()
                    && matches!(rest.additional, Additional::Forbidden | Additional::Dropped)
                {
                    None
                } else {
                    let payload_doc =
                        format!("The `{variant}` variant of `{name}` (`{tag}` is {value}).");
                    Some(self.object(&rest, branch, &format!("{name}{variant}"), &payload_doc)?)
                };
                variants.push(TaggedVariant {
                    name: variant,
                    tag_value: value,
                    payload,
                    drops_unknown: rest.additional == Additional::Dropped,
                });
            }
            self.types[index] = TypeDef::new(
                name.clone(),
                join_doc(doc, schema.description.as_ref()),
                Body::Tagged(TaggedDef { tag, variants }),
            );
            return Ok(Ty::Named(name));
        }

        let (name, index) = self.reserve(hint);
        let mut variant_names = Scope::default();
        let mut variants = Vec::with_capacity(branches.len());
        for branch in branches {
            let variant = variant_names.claim(&branch_name(branch));
            let ty = self.ty(
                branch,
                &format!("{name}{variant}"),
                &format!("The `{variant}` branch of `{name}`."),
            )?;
            variants.push(UntaggedVariant { name: variant, ty });
        }
        self.types[index] = TypeDef::new(
            name.clone(),
            join_doc(doc, schema.description.as_ref()),
            Body::Untagged(variants),
        );
        Ok(Ty::Named(name))
    }
}

/// A type name from a hint built of PascalCase parts. A part may be escaped with a trailing
/// underscore (`self` → `Self_`); inside a longer name that underscore is not needed and would
/// break `non_camel_case_types` (`ParamsSelf_Inner`), so only a bare `Self` keeps it.
fn type_name(hint: &str) -> String {
    let joined: String = hint.chars().filter(|c| *c != '_').collect();
    if joined == "Self" {
        "Self_".to_owned()
    } else {
        joined
    }
}

/// The value rules of a field's type in words, for its doc ("Rules: 1 to 80 characters,
/// pattern `^[a-z]+$`. Each item: format `uuid`."), so the contract shows in the editor.
fn describe_rules(ty: &Ty) -> Option<String> {
    let mut sentences = Vec::new();
    describe_into(ty, "Rules", &mut sentences);
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

fn describe_into(ty: &Ty, lead: &str, out: &mut Vec<String>) {
    match ty {
        Ty::Checked(inner, rules) => {
            let parts = rule_words(rules);
            if !parts.is_empty() {
                out.push(format!("{lead}: {}.", parts.join(", ")));
            }
            describe_into(inner, lead, out);
        }
        Ty::Option(inner) | Ty::Box(inner) => describe_into(inner, lead, out),
        Ty::Vec(inner) => describe_into(inner, "Each item", out),
        Ty::Map(_, value) => describe_into(value, "Each value", out),
        Ty::Tuple(items) => {
            for (i, item) in items.iter().enumerate() {
                describe_into(item, &format!("Item {i}"), out);
            }
        }
        _ => {}
    }
}

fn number_words(f: f64) -> String {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format(f);
    text.strip_suffix(".0").unwrap_or(text).to_owned()
}

fn count_words(min: Option<u64>, max: Option<u64>, one: &str, many: &str) -> Option<String> {
    let unit = |n: u64| if n == 1 { one } else { many };
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("exactly {a} {}", unit(a))),
        (Some(a), Some(b)) => Some(format!("{a} to {b} {}", unit(b))),
        (Some(a), None) => Some(format!("at least {a} {}", unit(a))),
        (None, Some(b)) => Some(format!("at most {b} {}", unit(b))),
        (None, None) => None,
    }
}

fn rule_words(r: &crate::ir::Rules) -> Vec<String> {
    let mut parts = Vec::new();
    parts.extend(count_words(
        r.min_length,
        r.max_length,
        "character",
        "characters",
    ));
    for p in &r.patterns {
        parts.push(format!("pattern `{}`", p.replace('`', "'")));
    }
    for group in &r.formats {
        let names: Vec<String> = group.iter().map(|f| format!("`{f}`")).collect();
        parts.push(format!("format {}", names.join(" or ")));
    }
    for (bound, op) in [
        (r.minimum, "≥"),
        (r.exclusive_minimum, ">"),
        (r.maximum, "≤"),
        (r.exclusive_maximum, "<"),
    ] {
        if let Some(b) = bound {
            parts.push(format!("{op} {}", number_words(b)));
        }
    }
    if let Some(m) = r.multiple_of {
        parts.push(format!("a multiple of {}", number_words(m)));
    }
    parts.extend(count_words(r.min_items, r.max_items, "item", "items"));
    if r.unique {
        parts.push("items unique".to_owned());
    }
    parts.extend(count_words(
        r.min_properties,
        r.max_properties,
        "entry",
        "entries",
    ));
    if let Some(keys) = &r.keys {
        let words = rule_words(keys);
        if !words.is_empty() {
            parts.push(format!("keys: {}", words.join(", ")));
        }
    }
    parts
}

/// A generated doc sentence as the subject of another ("The `items` of `X`." → "the `items` of
/// `X`"), so a nested type's doc names something that exists rather than a made-up type name.
fn subject(doc: &str) -> String {
    let text = doc.trim_end_matches('.');
    let mut chars = text.chars();
    let lowered: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if lowered.starts_with("params of ") || lowered.starts_with("result of ") {
        format!("the {lowered}")
    } else {
        lowered
    }
}

fn ordinal(i: usize) -> String {
    const NAMES: &[&str] = &[
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
        "Tenth",
    ];
    NAMES
        .get(i)
        .map_or_else(|| format!("Item{i}"), |s| (*s).to_owned())
}

fn flatten_intersection<'a>(members: &'a [Schema], out: &mut Vec<&'a Schema>) {
    for m in members {
        match &m.kind {
            Kind::Intersection(inner) => flatten_intersection(inner, out),
            _ => out.push(m),
        }
    }
}

/// `base` with what `extra` states about the same value added, for `allOf` members that are not
/// all objects: a pipe (`z.string().trim().pipe(z.string().min(3))` is `allOf: [string, string
/// with rules]`), whose every member's rules must hold, at any depth (array items, record
/// values, tuple items, same-named properties). A member of another shape describes the value
/// after a `.transform`, which JSON never carries: no value is both, so it adds nothing here
/// and the input's type stands (what Zod peers send).
fn conjoin(base: &Schema, extra: &Schema) -> Result<Schema, Unsupported> {
    let mut out = base.clone();
    match (&mut out.kind, &extra.kind) {
        (Kind::Nullable(inner), Kind::Nullable(other)) => {
            **inner = conjoin(inner, other)?;
            return Ok(out);
        }
        (Kind::Nullable(inner), _) => {
            **inner = conjoin(inner, extra)?;
            return Ok(out);
        }
        (_, Kind::Nullable(other)) => return conjoin(base, other),
        (Kind::String, Kind::String)
        | (Kind::Integer, Kind::Integer | Kind::Number)
        | (Kind::Number, Kind::Number) => {}
        // `allOf: [number, integer]` admits integers only.
        (kind @ Kind::Number, Kind::Integer) => *kind = Kind::Integer,
        (Kind::Array { items }, Kind::Array { items: other }) => {
            **items = conjoin(items, other)?;
        }
        (Kind::Map { values, .. }, Kind::Map { values: other, .. }) => {
            **values = conjoin(values, other)?;
        }
        (
            Kind::Tuple { items, rest },
            Kind::Tuple {
                items: other,
                rest: other_rest,
            },
        ) if items.len() == other.len() => {
            for (item, other) in items.iter_mut().zip(other) {
                *item = conjoin(item, other)?;
            }
            if let (Some(rest), Some(other)) = (rest, other_rest) {
                **rest = conjoin(rest, other)?;
            }
        }
        (Kind::Object(object), Kind::Object(other)) => {
            for property in &mut object.properties {
                if let Some(o) = other.properties.iter().find(|o| o.name == property.name) {
                    property.schema = conjoin(&property.schema, &o.schema)?;
                    property.required |= o.required;
                }
            }
        }
        _ => return Ok(out),
    }
    out.rules = out.rules.and(&extra.rules).ok_or_else(|| Unsupported {
        pointer: extra.pointer.clone(),
        message: "an intersection whose members state different \"multipleOf\"s is not supported; \
                  state one"
            .to_owned(),
    })?;
    Ok(out)
}

/// The object every member of an intersection describes: a property several members declare
/// meets each member's rules. zod-to-json-schema strips `additionalProperties` from intersection
/// members, so without the typing view's unknown-key modes every member is open and so is the
/// object.
fn merge_objects(members: &[&Schema]) -> Result<Object, Unsupported> {
    let mut properties: Vec<Property> = Vec::new();
    let (mut any_forbid, mut any_open) = (false, false);
    for m in members {
        let Kind::Object(o) = &m.kind else { continue };
        any_forbid |= o.additional == Additional::Forbidden;
        any_open |= matches!(o.additional, Additional::Any | Additional::Typed(_));
        for p in &o.properties {
            match properties.iter_mut().find(|q| q.name == p.name) {
                Some(q) => {
                    q.schema = conjoin(&q.schema, &p.schema)?;
                    q.required |= p.required;
                }
                None => properties.push(p.clone()),
            }
        }
    }
    // Each member of a Zod intersection parses the whole value: a strict member refuses what it
    // does not declare, an open one keeps it, stripping ones drop it.
    let additional = if any_forbid {
        Additional::Forbidden
    } else if any_open {
        Additional::Any
    } else {
        Additional::Dropped
    };
    Ok(Object {
        properties,
        additional,
    })
}

/// A property every branch requires, holding a distinct string or boolean constant in each.
fn find_tag(branches: &[Schema]) -> Option<(String, Vec<Value>)> {
    let objects: Vec<&Object> = branches
        .iter()
        .map(|b| match &b.kind {
            Kind::Object(o) => Some(o),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let first = objects.first()?;
    'candidates: for candidate in &first.properties {
        let mut values = Vec::with_capacity(objects.len());
        for object in &objects {
            let Some(p) = object
                .properties
                .iter()
                .find(|p| p.name == candidate.name && p.required)
            else {
                continue 'candidates;
            };
            match &p.schema.kind {
                Kind::Enum(v) if v.len() == 1 && (v[0].is_string() || v[0].is_boolean()) => {
                    values.push(v[0].clone())
                }
                _ => continue 'candidates,
            }
        }
        let same_type =
            values.iter().all(|v| v.is_string()) || values.iter().all(|v| v.is_boolean());
        let distinct = values
            .iter()
            .enumerate()
            .all(|(i, v)| !values[..i].contains(v));
        if same_type && distinct {
            return Some((candidate.name.clone(), values));
        }
    }
    None
}

fn tag_variant_name(tag: &str, value: &Value) -> String {
    match value {
        Value::Bool(true) => pascal(tag),
        Value::Bool(false) => format!("Not{}", pascal(tag)),
        other => variant_name(other),
    }
}

/// A variant name for an enum value.
pub fn variant_name(value: &Value) -> String {
    match value {
        Value::String(s) => pascal(s),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Null => "Null".to_owned(),
        Value::Number(n) => {
            let text = n.to_string();
            let (sign, digits) = match text.strip_prefix('-') {
                Some(d) => ("Minus", d),
                None => ("V", text.as_str()),
            };
            // `1.5` → V1p5, `1e-7` → V1em7, `1e+21` → V1e21: identifier characters only.
            let spelled: String = digits
                .chars()
                .filter_map(|c| match c {
                    '.' => Some('p'),
                    '-' => Some('m'),
                    '+' => None,
                    c if c.is_ascii_alphanumeric() => Some(c),
                    _ => Some('_'),
                })
                .collect();
            format!("{sign}{spelled}")
        }
        _ => "Value".to_owned(),
    }
}

fn branch_name(branch: &Schema) -> String {
    match &branch.kind {
        Kind::Object(o) => o
            .properties
            .iter()
            .find(|p| p.required)
            .or(o.properties.first())
            .map_or_else(|| "Object".to_owned(), |p| pascal(&p.name)),
        Kind::String => "String".to_owned(),
        Kind::Number => "Number".to_owned(),
        Kind::Integer => "Integer".to_owned(),
        Kind::Boolean => "Bool".to_owned(),
        Kind::Null => "Null".to_owned(),
        Kind::Array { .. } | Kind::Tuple { .. } => "Array".to_owned(),
        Kind::Map { .. } => "Map".to_owned(),
        Kind::Enum(values) if values.len() == 1 => variant_name(&values[0]),
        Kind::Enum(_) => "Enum".to_owned(),
        Kind::Any => "Any".to_owned(),
        Kind::Never => "Never".to_owned(),
        Kind::Nullable(inner) => branch_name(inner),
        Kind::Union(_) => "Union".to_owned(),
        Kind::Intersection(_) => "Intersection".to_owned(),
        Kind::Ref(key) => pascal(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::normalize::normalize;
    use serde_json::json;

    fn schema(v: serde_json::Value) -> Schema {
        normalize(&v, &v).unwrap()
    }

    #[test]
    fn every_number_spelling_is_an_identifier() {
        for n in [
            json!(1e-7),
            json!(-2.5e-12),
            json!(1e21),
            json!(-0.0),
            json!(3),
            json!(1.5),
            json!(u64::MAX),
        ] {
            let name = variant_name(&n);
            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{n} → {name}");
        }
        assert_eq!(variant_name(&json!(1e-7)), "V1em7");
    }

    #[test]
    fn every_intersection_member_s_rules_hold() {
        // A property both members declare meets the rules of each.
        let both = schema(json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string", "maxLength": 9}}, "required": ["a"]},
            {"type": "object", "properties": {"a": {"type": "string", "minLength": 3}}}
        ]}));
        let Kind::Intersection(members) = &both.kind else {
            panic!("{both:?}")
        };
        let merged = merge_objects(&members.iter().collect::<Vec<_>>()).unwrap();
        let rules = &merged.properties[0].schema.rules;
        assert_eq!((rules.min_length, rules.max_length), (Some(3), Some(9)));
        assert!(merged.properties[0].required);

        // `allOf: [number, integer ≤ 9]` admits integers up to 9.
        let number = schema(json!({"type": "number", "minimum": 0}));
        let integer = schema(json!({"type": "integer", "maximum": 9, "minimum": -3}));
        let c = conjoin(&number, &integer).unwrap();
        assert_eq!(c.kind, Kind::Integer);
        assert_eq!((c.rules.minimum, c.rules.maximum), (Some(0.0), Some(9.0)));

        // After a transform the members have different shapes: the input's type stands.
        let text = schema(json!({"type": "string", "minLength": 1}));
        assert_eq!(conjoin(&text, &integer).unwrap(), text);

        // Two different multipleOfs cannot be one rule set.
        let tens = schema(json!({"type": "integer", "multipleOf": 10}));
        let threes = schema(json!({"type": "integer", "multipleOf": 3}));
        assert!(
            conjoin(&tens, &threes)
                .unwrap_err()
                .message
                .contains("multipleOf")
        );
    }
}
