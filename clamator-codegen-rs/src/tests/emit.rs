//! The emitter on small hand-built IR, one feature per case, as insta snapshots in the top-level
//! `snapshots/` folder (`emit__*.snap`): what a change to the emitter does to a struct with rules
//! and defaults, a tagged union, a string enum and an untagged union, read in a few lines instead
//! of the whole fixture set. The fixture set itself is compiled in `clamator-codegen-tests`.

use std::path::Path;

use crate::emit::types_only;
use crate::ir::{
    Body, EnumVariant, Field, Presence, Rules, StructDef, TaggedDef, TaggedVariant, Ty, TypeDef,
    UntaggedVariant,
};
use serde_json::json;

fn render(types: &[TypeDef]) -> String {
    let file: syn::File = syn::parse2(types_only(types)).expect("the emitter writes valid Rust");
    prettyplease::unparse(&file)
}

fn snapshot(name: &str, types: &[TypeDef]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("emit__{name}"), render(types)));
}

fn checked(ty: Ty, rules: Rules) -> Ty {
    Ty::Checked(Box::new(ty), Box::new(rules))
}

fn field(name: &str, wire: &str, ty: Ty, presence: Presence) -> Field {
    Field {
        name: name.to_owned(),
        wire: wire.to_owned(),
        doc: format!("Wire name `{wire}`."),
        ty,
        nullable: false,
        presence,
    }
}

fn structure(name: &str, fields: Vec<Field>) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        doc: format!("The `{name}` struct."),
        attrs: Vec::new(),
        derives: Vec::new(),
        body: Body::Struct(StructDef {
            fields,
            additional: None,
            additional_field: "additional_properties".to_owned(),
            drops_unknown: false,
        }),
    }
}

#[test]
fn struct_with_rules_defaults_and_a_set() {
    let sku = Rules {
        min_length: Some(1),
        patterns: vec!["^[A-Z]+$".to_owned()],
        ..Rules::default()
    };
    let tags = Rules {
        max_items: Some(3),
        unique: true,
        ..Rules::default()
    };
    snapshot(
        "struct_with_rules_defaults_and_a_set",
        &[structure(
            "OrderParams",
            vec![
                field("sku", "sku", checked(Ty::String, sku), Presence::Required),
                field(
                    "quantity",
                    "quantity",
                    checked(
                        Ty::I64,
                        Rules {
                            minimum: Some(1.0),
                            ..Rules::default()
                        },
                    ),
                    Presence::Default {
                        value: json!(1),
                        default_fn: "order_params_quantity_default".to_owned(),
                    },
                ),
                field("note", "note", Ty::String, Presence::Optional),
                field(
                    "tags",
                    "tags",
                    checked(Ty::Vec(Box::new(Ty::String)), tags),
                    Presence::Required,
                ),
            ],
        )],
    );
}

#[test]
fn tagged_union_with_a_payload_and_a_bare_variant() {
    let radius = Rules {
        exclusive_minimum: Some(0.0),
        ..Rules::default()
    };
    snapshot(
        "tagged_union_with_a_payload_and_a_bare_variant",
        &[
            TypeDef {
                name: "Shape".to_owned(),
                doc: "A shape.".to_owned(),
                attrs: Vec::new(),
                derives: Vec::new(),
                body: Body::Tagged(TaggedDef {
                    tag: "kind".to_owned(),
                    variants: vec![
                        TaggedVariant {
                            name: "Circle".to_owned(),
                            tag_value: json!("circle"),
                            payload: Some("ShapeCircle".to_owned()),
                            drops_unknown: false,
                        },
                        TaggedVariant {
                            name: "Empty".to_owned(),
                            tag_value: json!("empty"),
                            payload: None,
                            drops_unknown: false,
                        },
                    ],
                }),
            },
            structure(
                "ShapeCircle",
                vec![field(
                    "radius",
                    "radius",
                    checked(Ty::F64, radius),
                    Presence::Required,
                )],
            ),
        ],
    );
}

#[test]
fn string_enum_and_untagged_union_with_a_checked_branch() {
    snapshot(
        "string_enum_and_untagged_union_with_a_checked_branch",
        &[
            TypeDef {
                name: "Colour".to_owned(),
                doc: "A colour.".to_owned(),
                attrs: Vec::new(),
                derives: Vec::new(),
                body: Body::Enum(vec![
                    EnumVariant {
                        name: "Red".to_owned(),
                        value: json!("red"),
                    },
                    EnumVariant {
                        name: "DarkBlue".to_owned(),
                        value: json!("dark-blue"),
                    },
                ]),
            },
            TypeDef {
                name: "IdOrCode".to_owned(),
                doc: "An id or a code.".to_owned(),
                attrs: Vec::new(),
                derives: Vec::new(),
                body: Body::Untagged(vec![
                    UntaggedVariant {
                        name: "Id".to_owned(),
                        ty: checked(
                            Ty::String,
                            Rules {
                                formats: vec![vec!["uuid".to_owned()]],
                                ..Rules::default()
                            },
                        ),
                    },
                    UntaggedVariant {
                        name: "Code".to_owned(),
                        ty: Ty::I64,
                    },
                ]),
            },
        ],
    );
}
