//! The value-rule checks of `clamator_protocol::validation` on a hand-written type (as generated
//! code writes them): every violation is listed with Pydantic's type, `loc`, message and `ctx`;
//! bounds are exact at the edges of `i64` and of ±2⁵³; and checking a valid value allocates
//! nothing outside the regex engine (`allocation_counter` counts).

use std::collections::BTreeMap;

use clamator_protocol::validation::{
    Format, ItemRules, Num, NumberRules, Path, Pattern, Segment, StringRules, Validate, Violations,
    check_items, check_items_hashed, check_keys, check_number, check_string,
};
use serde::Serialize;
use serde_json::json;

#[derive(Serialize)]
struct Order {
    sku: String,
    quantity: i64,
    price: f64,
    tags: Vec<String>,
    labels: BTreeMap<String, String>,
}

static SKU_PATTERN: Pattern = Pattern::new(r"^[A-Z]{3}-\d{4}$");
static SKU: StringRules = StringRules {
    min_length: Some(8),
    max_length: Some(8),
    patterns: &[&SKU_PATTERN],
    formats: &[],
};
static QUANTITY: NumberRules = NumberRules {
    minimum: Some(1.0),
    maximum: Some(100.0),
    ..NumberRules::NONE
};
static PRICE: NumberRules = NumberRules {
    exclusive_minimum: Some(0.0),
    multiple_of: Some(0.01),
    ..NumberRules::NONE
};
static TAGS: ItemRules = ItemRules {
    min_items: Some(1),
    max_items: Some(3),
    unique: true,
};
static TAG: StringRules = StringRules {
    formats: &[&[Format::Ipv4, Format::Ipv6]],
    ..StringRules::NONE
};
static KEY_PATTERN: Pattern = Pattern::new("^[a-z]+$");
static LABEL_KEYS: StringRules = StringRules {
    patterns: &[&KEY_PATTERN],
    ..StringRules::NONE
};

impl Validate for Order {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        check_string(&self.sku, &SKU, &at.key("sku"), out);
        check_number(
            Num::from(&self.quantity),
            &QUANTITY,
            &at.key("quantity"),
            out,
        );
        check_number(Num::from(&self.price), &PRICE, &at.key("price"), out);
        let tags_at = at.key("tags");
        check_items(&self.tags, &TAGS, &tags_at, out);
        for (i, tag) in self.tags.iter().enumerate() {
            check_string(tag, &TAG, &tags_at.index(i), out);
        }
        check_keys(&self.labels, &LABEL_KEYS, &at.key("labels"), out);
    }
}

fn valid() -> Order {
    Order {
        sku: "ABC-1234".to_owned(),
        quantity: 100,
        price: 12.34,
        tags: vec!["10.0.0.1".to_owned(), "::1".to_owned()],
        labels: BTreeMap::from([("colour".to_owned(), "red".to_owned())]),
    }
}

#[test]
fn a_valid_value_passes_without_allocating_except_in_the_regex_engine() {
    let order = valid();
    // The first check compiles the patterns (once per process).
    assert_eq!(order.validate(), Ok(()));
    let info = allocation_counter::measure(|| {
        for _ in 0..100 {
            assert!(order.validate().is_ok());
        }
    });
    // Lengths, bounds, multipleOf, formats, item counts and uniqueness allocate nothing; regress
    // allocates its backtracking state for each match (here two patterns: the SKU, one key).
    let pattern_matches = 100 * 2;
    assert!(
        info.count_total <= 2 * pattern_matches,
        "{} allocations for {pattern_matches} pattern matches: {info:?}",
        info.count_total
    );
    let no_patterns = Order {
        labels: BTreeMap::new(),
        ..valid()
    };
    let info = allocation_counter::measure(|| {
        let mut out = Violations::new();
        check_number(
            Num::from(&no_patterns.quantity),
            &QUANTITY,
            &Path::Root,
            &mut out,
        );
        check_number(Num::from(&no_patterns.price), &PRICE, &Path::Root, &mut out);
        check_items(&no_patterns.tags, &TAGS, &Path::Root, &mut out);
        for tag in &no_patterns.tags {
            check_string(tag, &TAG, &Path::Root, &mut out);
        }
        assert!(out.is_empty());
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn every_violation_is_listed_in_pydantic_shape() {
    let order = Order {
        sku: "abc".to_owned(),
        quantity: 0,
        price: 12.345,
        tags: vec![
            "x".to_owned(),
            "x".to_owned(),
            "::1".to_owned(),
            "1.1.1.1".to_owned(),
        ],
        labels: BTreeMap::from([("Bad Key".to_owned(), "v".to_owned())]),
    };
    let violations = order.validate().unwrap_err();
    let got: Vec<(&str, Vec<Segment>)> = violations
        .iter()
        .map(|v| (v.kind.as_str(), v.loc.clone()))
        .collect();
    let key = |k: &str| Segment::Key(k.to_owned());
    assert_eq!(
        got,
        vec![
            ("string_too_short", vec![key("sku")]),
            ("string_pattern_mismatch", vec![key("sku")]),
            ("greater_than_equal", vec![key("quantity")]),
            ("multiple_of", vec![key("price")]),
            ("too_long", vec![key("tags")]),
            ("unique_items", vec![key("tags")]),
            ("ip_any_address", vec![key("tags"), Segment::Index(0)]),
            ("ip_any_address", vec![key("tags"), Segment::Index(1)]),
            (
                "string_pattern_mismatch",
                vec![key("labels"), key("Bad Key"), key("[key]")]
            ),
        ]
    );
    let data = violations.to_data();
    assert_eq!(
        data["errors"][0],
        json!({"type": "string_too_short", "loc": ["sku"], "msg": "String should have at least 8 characters", "input": "abc", "ctx": {"min_length": 8}})
    );
    assert_eq!(
        data["errors"][1]["msg"],
        r"String should match pattern '^[A-Z]{3}-\d{4}$'"
    );
    assert_eq!(
        data["errors"][2]["msg"],
        "Input should be greater than or equal to 1"
    );
    assert_eq!(
        data["errors"][3]["msg"],
        "Input should be a multiple of 0.01"
    );
    assert_eq!(
        data["errors"][4]["msg"],
        "List should have at most 3 items after validation, not 4"
    );
    // What a reply carries reads back as the same typed list.
    assert_eq!(Violations::from_data(&data), Some(violations));
}

fn number_ok(value: Num, rules: &NumberRules) -> bool {
    let mut out = Violations::new();
    check_number(value, rules, &Path::Root, &mut out);
    out.is_empty()
}

#[test]
fn integer_bounds_are_exact_at_the_edges() {
    const TWO_53: f64 = 9_007_199_254_740_992.0;
    let at_most_safe = NumberRules {
        maximum: Some(9_007_199_254_740_991.0),
        ..NumberRules::NONE
    };
    assert!(number_ok(Num::Int(9_007_199_254_740_991), &at_most_safe));
    // As floats, 2^53 + 1 and 2^53 are equal; as integers they are not.
    assert!(!number_ok(
        Num::Int(9_007_199_254_740_993),
        &NumberRules {
            maximum: Some(TWO_53),
            ..NumberRules::NONE
        }
    ));
    assert!(number_ok(
        Num::Int(-9_007_199_254_740_991),
        &NumberRules {
            minimum: Some(-9_007_199_254_740_991.0),
            ..NumberRules::NONE
        }
    ));
    assert!(!number_ok(
        Num::Int(-9_007_199_254_740_993),
        &NumberRules {
            minimum: Some(-TWO_53),
            ..NumberRules::NONE
        }
    ));
    // i64's own edges: 2^63 is the f64 nearest to i64::MAX.
    let i64_range = NumberRules {
        minimum: Some(-9_223_372_036_854_775_808.0),
        maximum: Some(9_223_372_036_854_775_807.0),
        ..NumberRules::NONE
    };
    assert!(number_ok(Num::Int(i64::MAX), &i64_range));
    assert!(number_ok(Num::Int(i64::MIN), &i64_range));
    assert!(!number_ok(
        Num::Int(i64::MIN),
        &NumberRules {
            exclusive_minimum: Some(-9_223_372_036_854_775_808.0),
            ..NumberRules::NONE
        }
    ));
    // Fractional bounds on integers: > 0.5 accepts 1, < 0.5 accepts 0.
    assert!(number_ok(
        Num::Int(1),
        &NumberRules {
            exclusive_minimum: Some(0.5),
            ..NumberRules::NONE
        }
    ));
    assert!(!number_ok(
        Num::Int(0),
        &NumberRules {
            minimum: Some(0.5),
            ..NumberRules::NONE
        }
    ));
    assert!(number_ok(
        Num::Float(0.1 + 0.2),
        &NumberRules {
            maximum: Some(0.30000000000000004),
            ..NumberRules::NONE
        }
    ));
}

/// An item that counts how often it is compared.
#[derive(Serialize)]
struct Counted(u32);

impl std::hash::Hash for Counted {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

static COMPARISONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        COMPARISONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0 == other.0
    }
}

impl Eq for Counted {}

#[test]
fn uniqueness_of_hashable_items_is_linear_with_the_pairwise_verdict() {
    const UNIQUE: ItemRules = ItemRules::NONE.unique();
    // 50,000 distinct items: compared pairwise, 1.25 billion comparisons (seconds of a
    // server's time for one request); hashed, at most one per item (a probe compares only
    // items whose hashes nearly agree).
    let distinct: Vec<Counted> = (0..50_000).map(Counted).collect();
    COMPARISONS.store(0, std::sync::atomic::Ordering::Relaxed);
    let mut out = Violations::new();
    check_items_hashed(&distinct, &UNIQUE, &Path::Root, &mut out);
    assert!(out.is_empty());
    let comparisons = COMPARISONS.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        comparisons <= distinct.len(),
        "{comparisons} comparisons for 50,000 items"
    );

    // The same report as the pairwise check, short and long: the first repeated item and the
    // item it repeats.
    for len in [5_u32, 40, 5_000] {
        let mut items: Vec<Counted> = (0..len).map(Counted).collect();
        items.push(Counted(len / 2));
        items.push(Counted(1));
        let (mut hashed, mut pairwise) = (Violations::new(), Violations::new());
        check_items_hashed(&items, &UNIQUE, &Path::Root, &mut hashed);
        check_items(&items, &UNIQUE, &Path::Root, &mut pairwise);
        assert_eq!(hashed.to_data(), pairwise.to_data());
        let msg = hashed.to_data()["errors"][0]["msg"].clone();
        assert_eq!(
            msg,
            json!(format!(
                "Items {} and {len} are equal, but the items of this set must be unique",
                len / 2
            ))
        );
    }
}
