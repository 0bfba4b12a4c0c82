//! `JSON.stringify` as JavaScript does it, for recomputing manifest hashes: compact, keys in
//! their stored order, non-ASCII unescaped, numbers printed the ECMAScript way.

use std::fmt::Write;

use serde_json::{Number, Value};

/// The text `JSON.stringify(value)` produces for `value` (parsed with key order preserved).
pub fn stringify(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

const MAX_SAFE: u64 = 1 << 53;

fn write_number(out: &mut String, n: &Number) {
    // JavaScript holds every number as an f64: integers beyond 2^53 print as their nearest f64.
    if let Some(u) = n.as_u64().filter(|u| *u <= MAX_SAFE) {
        let _ = write!(out, "{u}");
    } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= MAX_SAFE) {
        let _ = write!(out, "{i}");
    } else {
        out.push_str(&js_number(n.as_f64().unwrap_or(f64::NAN)));
    }
}

/// ECMAScript `Number::toString(10)` for a finite f64.
pub fn js_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned(); // also -0
    }
    if !x.is_finite() {
        return "null".to_owned(); // what JSON.stringify writes for NaN and infinities
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, n) = shortest_digits(x.abs());
    let k = digits.len() as i32;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let exp = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        if k == 1 {
            format!("{digits}e{exp}")
        } else {
            format!("{}.{}e{exp}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

/// The shortest round-tripping decimal digits of `x` (> 0) and `n` such that
/// `x = 0.d1d2…dk × 10^n`.
fn shortest_digits(x: f64) -> (String, i32) {
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(x);
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int_part}{frac_part}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0').to_owned();
    let n = int_part.len() as i32 - leading as i32 + exp;
    (digits, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_as_javascript_does() {
        let cases = [
            (1.0, "1"),
            (0.5, "0.5"),
            (1e-7, "1e-7"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123.456, "123.456"),
            (0.000001, "0.000001"),
            (1.5e300, "1.5e+300"),
            (-0.0, "0"),
            (-2.5, "-2.5"),
            (0.01, "0.01"),
            (5e-324, "5e-324"),
            (9007199254740993.0, "9007199254740992"),
        ];
        for (x, expected) in cases {
            assert_eq!(js_number(x), expected, "{x:e}");
        }
    }

    #[test]
    fn stringify_matches_javascript() {
        let v: Value = serde_json::from_str(
            r#"{"b":1.0,"a":[true,null,"é/\"\\\n\u0001\u2028"],"c":-0,"d":9007199254740993,"e":-9007199254740991}"#,
        )
        .unwrap();
        assert_eq!(
            stringify(&v),
            "{\"b\":1,\"a\":[true,null,\"é/\\\"\\\\\\n\\u0001\u{2028}\"],\"c\":0,\"d\":9007199254740992,\"e\":-9007199254740991}"
        );
        assert_eq!(stringify(&json!({})), "{}");
    }
}
