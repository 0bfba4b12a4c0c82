//! Decoding a generated struct: through the runtime's one struct visitor (what generated code
//! does, `__private::strip_object`) against serde's derive on the same shape, measured in the
//! same run. Both go through `validation::decode`, as params on a server and results on a client.
//!
//! `cargo bench -p clamator-protocol --bench decode` — compare the two `time` figures.
#![allow(missing_docs)]

use clamator_protocol::__private::{
    optional, or_default, read_unit_enum, required, strict_object, strip_object,
};
use clamator_protocol::validation::decode;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

fn one() -> i64 {
    1
}

mod derived {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Address {
        street: String,
        city: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zip: Option<String>,
    }

    #[derive(Serialize, Deserialize, Clone, Copy)]
    pub enum Colour {
        #[serde(rename = "red")]
        Red,
        #[serde(rename = "dark-blue")]
        DarkBlue,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Order {
        sku: String,
        #[serde(default = "super::one")]
        quantity: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        tags: Vec<String>,
        #[serde(rename = "shipTo")]
        ship_to: Address,
        colour: Colour,
    }
}

#[derive(Serialize)]
struct Address {
    street: String,
    city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<String>,
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let build = |(f0, (f1, (f2, ())))| {
            Ok(Self {
                street: required(f0, "street")?,
                city: required(f1, "city")?,
                zip: optional(f2),
            })
        };
        strict_object(d, &["street", "city", "zip"], build)
    }
}

#[derive(Serialize, Clone, Copy)]
enum Colour {
    #[serde(rename = "red")]
    Red,
    #[serde(rename = "dark-blue")]
    DarkBlue,
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = &[Self::Red, Self::DarkBlue];
        read_unit_enum(d, "Colour", &["red", "dark-blue"], all)
    }
}

#[derive(Serialize)]
struct Order {
    sku: String,
    quantity: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    tags: Vec<String>,
    #[serde(rename = "shipTo")]
    ship_to: Address,
    colour: Colour,
}

impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let keys = &["sku", "quantity", "note", "tags", "shipTo", "colour"];
        let build = |(f0, (f1, (f2, (f3, (f4, (f5, ()))))))| {
            Ok(Self {
                sku: required(f0, "sku")?,
                quantity: or_default(f1, one),
                note: optional(f2),
                tags: required(f3, "tags")?,
                ship_to: required(f4, "shipTo")?,
                colour: required(f5, "colour")?,
            })
        };
        strip_object(d, keys, build)
    }
}

fn input() -> Value {
    json!({
        "sku": "A-1042", "note": "leave at the door", "tags": ["gift", "fragile"],
        "shipTo": {"street": "1 Main St", "city": "Springfield"}, "colour": "dark-blue",
        "extra": {"ignored": true}
    })
}

fn decoding(c: &mut Criterion) {
    let value = input();
    // Both decode the same value to the same JSON, or the comparison means nothing.
    let runtime: Order = decode(&value).unwrap();
    let derived: derived::Order = decode(&value).unwrap();
    assert_eq!(
        serde_json::to_value(&runtime).unwrap(),
        serde_json::to_value(&derived).unwrap()
    );
    let mut group = c.benchmark_group("decode a generated struct");
    group.bench_function("serde derive (baseline)", |b| {
        b.iter(|| decode::<derived::Order>(black_box(&value)).unwrap())
    });
    group.bench_function("runtime visitor", |b| {
        b.iter(|| decode::<Order>(black_box(&value)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decoding);
criterion_main!(benches);
