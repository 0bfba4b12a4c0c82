//! The value rules of JSON Schema, as data a generated check hands to a function here: string
//! lengths, patterns and formats; number bounds and `multipleOf`; item counts and uniqueness;
//! record key rules and property counts. Each check records every rule the value breaks.

use serde_json::{Map, Value, json};

use super::multiple::is_multiple_of;
use super::number::Num;
use super::path::Path;
use super::pattern::Pattern;
use super::violation::Violations;
use clamator_formats::Format;

/// Rules for a string. Lengths count Unicode code points, as JSON Schema and Python do.
///
/// Built from [`StringRules::NONE`] with the `const` setters:
/// `StringRules::NONE.min_length(1).max_length(80)`.
#[derive(Debug, Clone, Copy)]
pub struct StringRules<'a> {
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern`s (a schema's own and those of `allOf` members): each must match.
    pub patterns: &'a [&'a Pattern],
    /// `format`s: each group must be met by one of its formats (a group of two is an
    /// `anyOf` of formats, as `z.string().ip()` lowers to).
    pub formats: &'a [&'a [Format]],
}

impl<'a> StringRules<'a> {
    /// No rules.
    pub const NONE: StringRules<'static> = StringRules {
        min_length: None,
        max_length: None,
        patterns: &[],
        formats: &[],
    };

    /// With `minLength`.
    pub const fn min_length(mut self, n: usize) -> Self {
        self.min_length = Some(n);
        self
    }

    /// With `maxLength`.
    pub const fn max_length(mut self, n: usize) -> Self {
        self.max_length = Some(n);
        self
    }

    /// With these patterns.
    pub const fn patterns<'b>(self, patterns: &'b [&'b Pattern]) -> StringRules<'b>
    where
        'a: 'b,
    {
        StringRules {
            min_length: self.min_length,
            max_length: self.max_length,
            patterns,
            formats: self.formats,
        }
    }

    /// With these format groups.
    pub const fn formats<'b>(self, formats: &'b [&'b [Format]]) -> StringRules<'b>
    where
        'a: 'b,
    {
        StringRules {
            min_length: self.min_length,
            max_length: self.max_length,
            patterns: self.patterns,
            formats,
        }
    }
}

fn ctx(pairs: &[(&str, Value)]) -> Option<Map<String, Value>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Checks `value` against string rules.
pub fn check_string(value: &str, rules: &StringRules<'_>, at: &Path<'_>, out: &mut Violations) {
    if rules.min_length.is_some() || rules.max_length.is_some() {
        let length = value.chars().count();
        if let Some(min) = rules.min_length.filter(|min| length < *min) {
            out.record(
                "string_too_short",
                at,
                format!(
                    "String should have at least {}",
                    plural(min, "character", "characters")
                ),
                json!(value),
                ctx(&[("min_length", json!(min))]),
            );
        }
        if let Some(max) = rules.max_length.filter(|max| length > *max) {
            out.record(
                "string_too_long",
                at,
                format!(
                    "String should have at most {}",
                    plural(max, "character", "characters")
                ),
                json!(value),
                ctx(&[("max_length", json!(max))]),
            );
        }
    }
    for pattern in rules.patterns {
        match pattern.is_match(value) {
            Some(true) => {}
            Some(false) => out.record(
                "string_pattern_mismatch",
                at,
                format!("String should match pattern '{}'", pattern.source()),
                json!(value),
                ctx(&[("pattern", json!(pattern.source()))]),
            ),
            None => out.record(
                "pattern_error",
                at,
                format!("pattern '{}' could not be compiled", pattern.source()),
                json!(value),
                None,
            ),
        }
    }
    for group in rules.formats {
        if group.iter().any(|f| f.is_valid(value)) {
            continue;
        }
        let (kind, msg, ctx) = format_failure(group);
        out.record(kind, at, msg, json!(value), ctx);
    }
}

/// The violation of a string in none of `group`'s formats: its type, message and context.
/// Decoding into a typed format (`Uuid`, `DateTime`) reports the same, so choosing one changes
/// no byte of a refusal either.
pub(crate) fn format_failure(
    group: &[Format],
) -> (&'static str, String, Option<Map<String, Value>>) {
    let (kind, msg) = match group {
        [one] => one.error(),
        [Format::Ipv4, Format::Ipv6] | [Format::Ipv6, Format::Ipv4] => (
            "ip_any_address",
            "value is not a valid IPv4 or IPv6 address",
        ),
        _ => ("value_error", "Input should be in one of the formats"),
    };
    let names: Vec<&str> = group.iter().map(|f| f.name()).collect();
    let names = names.join(" or ");
    (
        kind,
        format!("{msg} (format {names})"),
        ctx(&[("format", json!(names))]),
    )
}

/// Rules for a number. Bounds are `f64`s as JSON carries them; an integer is compared with
/// them exactly, even past 2⁵³. Built from [`NumberRules::NONE`] with the `const` setters.
#[derive(Debug, Clone, Copy)]
pub struct NumberRules {
    /// `minimum` (inclusive).
    pub minimum: Option<f64>,
    /// `maximum` (inclusive).
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`, decided on the decimal values (0.01 accepts 12.34).
    pub multiple_of: Option<f64>,
}

impl NumberRules {
    /// No rules; the base for `..NumberRules::NONE`.
    pub const NONE: NumberRules = NumberRules {
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        multiple_of: None,
    };

    /// With `minimum`.
    pub const fn minimum(mut self, bound: f64) -> Self {
        self.minimum = Some(bound);
        self
    }

    /// With `maximum`.
    pub const fn maximum(mut self, bound: f64) -> Self {
        self.maximum = Some(bound);
        self
    }

    /// With `exclusiveMinimum`.
    pub const fn exclusive_minimum(mut self, bound: f64) -> Self {
        self.exclusive_minimum = Some(bound);
        self
    }

    /// With `exclusiveMaximum`.
    pub const fn exclusive_maximum(mut self, bound: f64) -> Self {
        self.exclusive_maximum = Some(bound);
        self
    }

    /// With `multipleOf`.
    pub const fn multiple_of(mut self, step: f64) -> Self {
        self.multiple_of = Some(step);
        self
    }
}

/// A bound as Pydantic shows it: an integer bound without `.0`.
fn bound_json(bound: f64) -> Value {
    if bound.fract() == 0.0 && bound.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        let int = bound as i64;
        json!(int)
    } else {
        json!(bound)
    }
}

fn bound_text(bound: f64) -> String {
    bound_json(bound).to_string()
}

/// A bound, whether the value's ordering against it is allowed, Pydantic's error type, the words
/// of its message and its `ctx` key.
type BoundCheck = (
    Option<f64>,
    fn(std::cmp::Ordering) -> bool,
    &'static str,
    &'static str,
    &'static str,
);

/// Checks a number against number rules.
pub fn check_number(value: Num, rules: &NumberRules, at: &Path<'_>, out: &mut Violations) {
    use std::cmp::Ordering::{Greater, Less};
    let checks: [BoundCheck; 4] = [
        (
            rules.minimum,
            |o| o != Less,
            "greater_than_equal",
            "greater than or equal to",
            "ge",
        ),
        (
            rules.exclusive_minimum,
            |o| o == Greater,
            "greater_than",
            "greater than",
            "gt",
        ),
        (
            rules.maximum,
            |o| o != Greater,
            "less_than_equal",
            "less than or equal to",
            "le",
        ),
        (
            rules.exclusive_maximum,
            |o| o == Less,
            "less_than",
            "less than",
            "lt",
        ),
    ];
    for (bound, holds, kind, words, key) in checks {
        let Some(bound) = bound else { continue };
        if value.cmp(bound).is_some_and(holds) {
            continue;
        }
        out.record(
            kind,
            at,
            format!("Input should be {words} {}", bound_text(bound)),
            value.to_json(),
            ctx(&[(key, bound_json(bound))]),
        );
    }
    if let Some(step) = rules.multiple_of {
        if !is_multiple_of(value, step) {
            out.record(
                "multiple_of",
                at,
                format!("Input should be a multiple of {}", bound_text(step)),
                value.to_json(),
                ctx(&[("multiple_of", bound_json(step))]),
            );
        }
    }
}

/// Rules for an array (or a record's entries, for `minProperties` / `maxProperties`). Built
/// from [`ItemRules::NONE`] with the `const` setters.
#[derive(Debug, Clone, Copy)]
pub struct ItemRules {
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems`.
    pub unique: bool,
}

impl ItemRules {
    /// No rules; the base for `..ItemRules::NONE`.
    pub const NONE: ItemRules = ItemRules {
        min_items: None,
        max_items: None,
        unique: false,
    };

    /// With `minItems` (or `minProperties`).
    pub const fn min_items(mut self, n: usize) -> Self {
        self.min_items = Some(n);
        self
    }

    /// With `maxItems` (or `maxProperties`).
    pub const fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// With `uniqueItems`.
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}

fn check_count(
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
    what: &str,
    input: impl Fn() -> Value,
    at: &Path<'_>,
    out: &mut Violations,
) {
    if let Some(min) = min.filter(|min| len < *min) {
        out.record(
            "too_short",
            at,
            format!(
                "{what} should have at least {} after validation, not {len}",
                plural(min, "item", "items")
            ),
            input(),
            ctx(&[
                ("field_type", json!(what)),
                ("min_length", json!(min)),
                ("actual_length", json!(len)),
            ]),
        );
    }
    if let Some(max) = max.filter(|max| len > *max) {
        out.record(
            "too_long",
            at,
            format!(
                "{what} should have at most {} after validation, not {len}",
                plural(max, "item", "items")
            ),
            input(),
            ctx(&[
                ("field_type", json!(what)),
                ("max_length", json!(max)),
                ("actual_length", json!(len)),
            ]),
        );
    }
}

/// Checks an array's length and, for a set, that its items differ (typed equality: numbers by
/// value, objects regardless of key order, as JSON Schema compares). Uniqueness compares every
/// pair, so it is quadratic: generated code calls it only for items that cannot be hashed
/// (floats, JSON values), and [`check_items_hashed`] for all others.
pub fn check_items<T: PartialEq + serde::Serialize>(
    items: &[T],
    rules: &ItemRules,
    at: &Path<'_>,
    out: &mut Violations,
) {
    check_items_with(items, rules, at, out, first_duplicate_pairwise);
}

/// [`check_items`] for items that hash: uniqueness in linear time, with the same verdict and
/// the same report (the first item equal to an earlier one, and that earlier one). A short
/// array is compared pairwise, which allocates nothing and is faster at that size.
pub fn check_items_hashed<T: Eq + std::hash::Hash + serde::Serialize>(
    items: &[T],
    rules: &ItemRules,
    at: &Path<'_>,
    out: &mut Violations,
) {
    check_items_with(items, rules, at, out, |items| {
        if items.len() <= PAIRWISE_UP_TO {
            return first_duplicate_pairwise(items);
        }
        let mut first = std::collections::HashMap::with_capacity(items.len());
        items
            .iter()
            .enumerate()
            .find_map(|(i, item)| first.insert(item, i).map(|j| (j, i)))
    });
}

/// Up to this many items, uniqueness is checked pairwise even when items hash.
const PAIRWISE_UP_TO: usize = 16;

/// The first item equal to an earlier one, and that earlier one: `(earlier, later)`.
fn first_duplicate_pairwise<T: PartialEq>(items: &[T]) -> Option<(usize, usize)> {
    items.iter().enumerate().find_map(|(i, item)| {
        let j = items[..i].iter().position(|earlier| earlier == item)?;
        Some((j, i))
    })
}

/// The count rules, then `duplicate` (the indexes of a repeated item and of its first
/// occurrence) when the items must be unique.
fn check_items_with<T: serde::Serialize>(
    items: &[T],
    rules: &ItemRules,
    at: &Path<'_>,
    out: &mut Violations,
    duplicate: impl FnOnce(&[T]) -> Option<(usize, usize)>,
) {
    let input = || serde_json::to_value(items).unwrap_or(Value::Null);
    check_count(
        items.len(),
        rules.min_items,
        rules.max_items,
        "List",
        input,
        at,
        out,
    );
    if rules.unique {
        if let Some((j, i)) = duplicate(items) {
            out.record(
                "unique_items",
                at,
                format!("Items {j} and {i} are equal, but the items of this set must be unique"),
                input(),
                None,
            );
        }
    }
}

/// Checks the length of an array that is not a `Vec` (a tuple with trailing items).
pub fn check_length<T: serde::Serialize + ?Sized>(
    len: usize,
    value: &T,
    rules: &ItemRules,
    at: &Path<'_>,
    out: &mut Violations,
) {
    let input = || serde_json::to_value(value).unwrap_or(Value::Null);
    check_count(
        len,
        rules.min_items,
        rules.max_items,
        "List",
        input,
        at,
        out,
    );
}

/// Checks the number of entries of a record (`minProperties` / `maxProperties`).
pub fn check_entries<K: serde::Serialize + Ord, V: serde::Serialize>(
    map: &std::collections::BTreeMap<K, V>,
    rules: &ItemRules,
    at: &Path<'_>,
    out: &mut Violations,
) {
    let input = || serde_json::to_value(map).unwrap_or(Value::Null);
    check_count(
        map.len(),
        rules.min_items,
        rules.max_items,
        "Dictionary",
        input,
        at,
        out,
    );
}

/// Checks each key of a record against string rules (`propertyNames`); a violation's `loc`
/// ends with the key and `"[key]"`, as Pydantic reports key errors.
pub fn check_keys<V>(
    map: &std::collections::BTreeMap<String, V>,
    rules: &StringRules<'_>,
    at: &Path<'_>,
    out: &mut Violations,
) {
    for key in map.keys() {
        let at = at.key(key);
        check_string(key, rules, &at.key("[key]"), out);
    }
}
