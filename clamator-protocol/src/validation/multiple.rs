//! `multipleOf`, decided on decimal values as Zod and Python decide it: 12.34 is a multiple of
//! 0.01 although `12.34 % 0.01` is not 0 in binary floating point. Both numbers are read as the
//! shortest decimal that round-trips (what JSON carries), `digits × 10^exponent`, and divided
//! exactly; nothing is allocated.

use super::number::Num;

/// A finite non-negative decimal: `digits × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Decimal {
    digits: u128,
    exponent: i32,
}

/// The shortest decimal of `|v|` (ryu's digits, as JavaScript prints numbers).
fn decimal_of_float(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(v.abs());
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: u128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        digits = digits.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let exponent = exp - i32::try_from(fraction.len()).ok()?;
    Some(Decimal { digits, exponent })
}

fn pow10_mod(mut k: u32, m: u128) -> u128 {
    let mut result = 1 % m;
    let mut base = 10 % m;
    while k > 0 {
        if k & 1 == 1 {
            result = result * base % m;
        }
        base = base * base % m;
        k >>= 1;
    }
    result
}

/// Whether `value` is an integer multiple of `step`. A step that is not a positive finite
/// number constrains nothing.
pub(super) fn is_multiple_of(value: Num, step: f64) -> bool {
    if !(step.is_finite() && step > 0.0) {
        return true;
    }
    let Some(s) = decimal_of_float(step) else {
        return true;
    };
    let v = match value {
        Num::Int(i) => Decimal {
            digits: u128::from(i.unsigned_abs()),
            exponent: 0,
        },
        Num::UInt(u) => Decimal {
            digits: u128::from(u),
            exponent: 0,
        },
        Num::Float(f) => match decimal_of_float(f) {
            Some(d) => d,
            None => return false,
        },
    };
    if v.digits == 0 {
        return true;
    }
    // Digits are below 10^17 (ryu) or 2^64 (integers), so products of two stay in u128.
    if v.exponent >= s.exponent {
        let shift = u32::try_from(v.exponent - s.exponent).unwrap_or(u32::MAX);
        (v.digits % s.digits) * pow10_mod(shift, s.digits) % s.digits == 0
    } else {
        let shift = u32::try_from(s.exponent - v.exponent).unwrap_or(u32::MAX);
        match 10u128
            .checked_pow(shift)
            .and_then(|p| p.checked_mul(s.digits))
        {
            Some(divisor) => v.digits % divisor == 0,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_multiples() {
        let yes = [
            (Num::Float(12.34), 0.01),
            (Num::Float(0.3), 0.1),
            (Num::Float(-0.07), 0.01),
            (Num::Int(10), 5.0),
            (Num::Int(0), 0.25),
            (Num::Float(1e300), 0.01),
            (Num::Int(i64::MIN), 2.0),
            (Num::Float(2.5), 0.5),
        ];
        let no = [
            (Num::Float(12.345), 0.01),
            (Num::Float(0.35), 0.1),
            (Num::Int(7), 5.0),
            (Num::Int(1), 0.3),
            (Num::Float(1e-20), 0.01),
            (Num::Int(9_007_199_254_740_993), 2.0),
        ];
        for (v, s) in yes {
            assert!(is_multiple_of(v, s), "{v:?} should be a multiple of {s}");
        }
        for (v, s) in no {
            assert!(
                !is_multiple_of(v, s),
                "{v:?} should not be a multiple of {s}"
            );
        }
    }
}
