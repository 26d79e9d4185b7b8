//! A JSON float as the decimal its shortest round-trip text writes.
//!
//! serde_json hands a JSON number with a fraction or an exponent over as
//! the `f64` nearest to its text. The facade reads that `f64` back as the
//! decimal with the fewest digits that reads back as the same `f64`:
//! `189.49`, not the float's binary expansion (`189.490000000000009094…`).
//! That is the number's own text for every number of up to 15 significant
//! digits (every price, size and amount IBKR writes by hand), and the
//! shortest text of the float for the others (IBKR also sends floats that
//! went through `f32`, `70.94000244140625`).
//!
//! Three paths give that decimal, all without `fmt`:
//!
//! - [`few_digits`]: a division per scale for the decimals of up to three
//!   fraction digits;
//! - [`fifteen_digits`]: one multiplication and one division say whether
//!   the float is a decimal of at most 15 significant digits, and which;
//! - [`shortest_digits`]: `zmij`'s shortest round-trip digits (the
//!   formatter serde_json writes floats with, already built), read into a
//!   decimal, for the others.
//!
//! Rust's own `{}` formatting (Grisu, then Dragon) gives the same digits
//! and stays as the last resort, for the few decimals outside these two
//! paths' range; the tests check both paths against it.

use super::lenient::StackText;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// Powers of ten an `f64` holds exactly, by exponent.
const TENS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// 2^53: below it, every integer is an `f64` and adding 0.5 is exact.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

#[doc(hidden)]
/// The decimal of a JSON float (see the module); `None` when it is not
/// finite or out of [`Decimal`]'s range.
pub fn float_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        // `-0.0` too: no negative zero.
        return Some(Decimal::ZERO);
    }
    few_digits(f)
        .or_else(|| fifteen_digits(f))
        .or_else(|| shortest_digits(f))
        .or_else(|| display_decimal(f))
}

/// The decimal of at most three fraction digits that reads back as `f`
/// (sizes, strikes, most prices), if there is one: for each scale `s`,
/// `m = round(f·10^s)` is the candidate and `m / 10^s == f` says whether it
/// reads back (both exact below 2^53, IEEE division rounds correctly). The
/// first scale that reads back is the shortest. A division or two, where
/// [`fifteen_digits`] would also strip a dozen zeros.
fn few_digits(f: f64) -> Option<Decimal> {
    for (scale, ten) in (0u32..4).zip(TENS) {
        let scaled = f * ten;
        if scaled.abs() >= EXACT_INTEGERS {
            return None;
        }
        // Rounded half away from zero; adding 0.5 is exact below 2^53, and
        // the cast truncates.
        let m = (scaled + 0.5f64.copysign(scaled)) as i64;
        if m as f64 / ten == f {
            return Some(Decimal::new(m, scale));
        }
    }
    None
}

/// The decimal of at most 15 significant digits that reads back as `f`,
/// if there is one (else `None`, and the caller looks further).
///
/// With `s` fraction digits and `f·10^s < 10^15`, `m = round(f·10^s)` is
/// the candidate: `f`'s rounding interval, scaled, is narrower than
/// `10^15 · 2^-52 < 0.23`, so it holds at most one integer, and the
/// product's own rounding (at most 1/16 there) cannot move `m` off it.
/// `m / 10^s == f` (both exact, IEEE division rounds correctly) says
/// whether it reads back. Any shorter decimal that reads back would be the
/// same integer, so `m` without its trailing zeros is the shortest.
fn fifteen_digits(f: f64) -> Option<Decimal> {
    let a = f.abs();
    // floor(log2 a) for a normal float; 1233 / 4096 is log10 2 to within
    // 2.5e-6, so `est + 1` is floor(log10 a) or one above it, and `s`
    // leaves 15 digits or 14 (never 16: the bound below checks it).
    let log2 = ((a.to_bits() >> 52) as i32) - 1023;
    let est = (log2 * 1233) >> 12;
    let s = usize::try_from(13 - est).ok().filter(|s| *s < TENS.len())?;
    let ten = TENS[s];
    let scaled = a * ten;
    if scaled >= 1e15 {
        return None;
    }
    // Adding 0.5 is exact below 2^53, and the cast truncates. `i64`, not
    // `u64`: one instruction each way on x86-64.
    let m = (scaled + 0.5) as i64;
    if m as f64 / ten != a {
        return None;
    }
    let (mut m, mut s) = (m, s as u32);
    for (zeros, pow) in [(8, 100_000_000), (4, 10_000), (2, 100), (1, 10)] {
        if s >= zeros && m % pow == 0 {
            m /= pow;
            s -= zeros;
        }
    }
    Some(Decimal::new(if f < 0.0 { -m } else { m }, s))
}

/// `zmij`'s shortest round-trip text of `f` (`-1.2345e-7`, `189.49`,
/// `1e+22`), read into a decimal; `None` beyond 28 fraction digits or
/// [`Decimal`]'s range.
fn shortest_digits(f: f64) -> Option<Decimal> {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(f).as_bytes();
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (mut mantissa, mut fraction, mut seen_point) = (0u128, 0i32, false);
    let mut rest = text;
    while let Some((&b, tail)) = rest.split_first() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u128::from(b - b'0');
                fraction += i32::from(seen_point);
            }
            b'.' => seen_point = true,
            _ => break,
        }
        rest = tail;
    }
    // At most 17 digits before any exponent.
    let exponent = match rest {
        [] => 0,
        [b'e' | b'E', exp @ ..] => std::str::from_utf8(exp).ok()?.parse::<i32>().ok()?,
        _ => return None,
    };
    let mut scale = fraction.checked_sub(exponent)?;
    // zmij writes no zero mantissa here: `f` is not zero.
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale < 0 {
        mantissa = mantissa.checked_mul(10u128.checked_pow(scale.unsigned_abs())?)?;
        scale = 0;
    }
    let scale = u32::try_from(scale).ok().filter(|s| *s <= 28)?;
    let value = i128::try_from(mantissa).ok()?;
    let d = Decimal::try_from_i128_with_scale(value, scale).ok()?;
    Some(if negative { -d } else { d })
}

/// [`float_decimal`] through `f64`'s `Display` (no exponent, every digit
/// written out), into a stack buffer.
pub(super) fn display_decimal(f: f64) -> Option<Decimal> {
    let mut buf = StackText::<64>::new();
    fmt::Write::write_fmt(&mut buf, format_args!("{f}")).ok()?;
    Decimal::from_str(buf.as_str()).ok()
}

#[doc(hidden)]
/// The `f64` a decimal is sent as in a JSON number, when that number reads
/// back as the same decimal (every decimal of up to 15 significant
/// digits); `None` when it would not: sending it would change the value.
pub fn exact_f64(d: Decimal) -> Option<f64> {
    let mut buf = StackText::<64>::new();
    fmt::Write::write_fmt(&mut buf, format_args!("{d}")).ok()?;
    let f: f64 = buf.as_str().parse().ok()?;
    (float_decimal(f)? == d).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `float_decimal` and the `Display` path agree on value and scale;
    /// where two shortest texts are equally near the float (the 17th digit
    /// of a tie), either may pick either one, and both read back as `f`.
    fn check(f: f64) -> bool {
        let slow = if f == 0.0 {
            Some(Decimal::ZERO)
        } else {
            f.is_finite().then(|| display_decimal(f)).flatten()
        };
        let fast = float_decimal(f);
        let tie = match (fast, slow) {
            (Some(a), Some(b)) => {
                a.scale() == b.scale()
                    && (a - b).abs() == Decimal::new(1, a.scale())
                    && a.to_string().parse::<f64>() == Ok(f)
            }
            _ => false,
        };
        if !tie {
            assert_eq!(fast, slow, "{f:e}");
            assert_eq!(fast.map(|d| d.scale()), slow.map(|d| d.scale()), "{f:e}");
        }
        tie
    }

    #[test]
    fn floats_read_as_their_display_text() {
        // The prices, sizes and amounts IBKR sends, a spread of others, and
        // floats of any bit pattern.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let (mut checked, mut ties) = (0, 0);
        for f in [
            0.0,
            -0.0,
            1.0,
            0.1,
            0.00365831,
            69814.3984375,
            185.17599485,
            1412.0,
            -435667.94,
            1564447.6240790943,
            70.94000244140625,
            10.794995100000001,
            1e-7,
            -1.5e-9,
            123456789.123456,
            999999999999999.0,
            99999999999999.9,
            9.007199254740993e15,
            1e17,
            1.2345678901234568e20,
            7.9e28,
            1e300,
            5e-324,
            1e-28,
            1.5e-29,
        ]
        .into_iter()
        .chain(std::iter::from_fn(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 1_000_000_000_000) as f64;
            let f = if x.is_multiple_of(3) {
                f64::from_bits(x)
            } else {
                digits / 10f64.powi((x % 13) as i32) * if x.is_multiple_of(5) { -1.0 } else { 1.0 }
            };
            Some(f)
        }))
        .take(200_000)
        {
            ties += usize::from(check(f));
            checked += 1;
        }
        assert_eq!(checked, 200_000);
        assert!(ties < 100, "{ties} ties");
    }

    #[test]
    fn the_paths_give_the_shortest_text() {
        let dec = |s: &str| Decimal::from_str(s).unwrap();
        for (f, text) in [
            (189.49, "189.49"),
            (-189.49, "-189.49"),
            (100.0, "100"),
            (0.01, "0.01"),
            (1e-7, "0.0000001"),
            (999999999999999.0, "999999999999999"),
            (70.94000244140625, "70.94000244140625"),
            (10.794995100000001, "10.794995100000001"),
            (1.2345678901234568e20, "123456789012345680000"),
        ] {
            let d = float_decimal(f).unwrap();
            assert_eq!(d, dec(text), "{f:e}");
            assert_eq!(d.to_string(), text, "{f:e}");
        }
        // Each path takes its floats, with the same result as `Display`.
        assert_eq!(few_digits(189.49), Some(dec("189.49")));
        assert_eq!(few_digits(0.0001), None);
        assert_eq!(fifteen_digits(0.0001), Some(dec("0.0001")));
        assert_eq!(fifteen_digits(189.49), Some(dec("189.49")));
        assert_eq!(fifteen_digits(70.94000244140625), None);
        assert_eq!(
            shortest_digits(70.94000244140625),
            Some(dec("70.94000244140625"))
        );
        assert_eq!(shortest_digits(-1.5e-9), Some(dec("-0.0000000015")));
        assert_eq!(shortest_digits(1e22), Some(dec("10000000000000000000000")));
        assert_eq!(shortest_digits(1e-29), None);
        assert_eq!(
            float_decimal(-0.0).map(|d| d.is_sign_negative()),
            Some(false)
        );
        assert_eq!(float_decimal(f64::NAN), None);
        assert_eq!(float_decimal(f64::INFINITY), None);
        assert_eq!(float_decimal(1e300), None);
    }
}
