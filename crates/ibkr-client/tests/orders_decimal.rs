//! Property tests of the lenient decimals (`ibkr_client::lenient`): every
//! price, size and amount IBKR can send, as a JSON number or as text (with
//! thousands separators, a currency, a percent sign or a magnitude
//! suffix), decodes to exactly the decimal it writes, from the bytes and
//! from a `serde_json::Value`.

use ibkr_client::lenient;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    p: Option<Decimal>,
}

/// Decodes `{"p": <json>}` from bytes and from a `Value`; both must agree.
fn decode(json: &str) -> Option<Decimal> {
    let body = format!("{{\"p\": {json}}}");
    let from_bytes: Row = serde_json::from_str(&body).unwrap();
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let from_value: Row = serde_json::from_value(value).unwrap();
    assert_eq!(from_bytes.p, from_value.p, "{json}");
    from_bytes.p
}

/// A price as IBKR sends them: up to 12 integer digits, up to 6 decimals
/// (15 significant digits at most), either sign.
fn amount() -> impl Strategy<Value = Decimal> {
    (-999_999_999_999_999i64..=999_999_999_999_999, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s))
}

/// `1234567.5` as `1,234,567.5`.
fn grouped(d: Decimal) -> String {
    let text = d.to_string();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// As a JSON number (what serde_json's f64 gives back), exactly.
    #[test]
    fn json_numbers_round_trip(d in amount()) {
        prop_assert_eq!(decode(&d.to_string()), Some(d));
    }

    /// As text: plain, grouped, with a currency, with a percent sign, with
    /// a leading plus, padded.
    #[test]
    fn strings_round_trip(d in amount(), unit in "[A-Z]{3}") {
        let plain = d.to_string();
        for text in [
            plain.clone(),
            grouped(d),
            format!("{} {unit}", grouped(d)),
            format!("{plain} {unit}"),
            format!("{plain}%"),
            format!("  {plain} "),
        ] {
            prop_assert_eq!(decode(&format!("\"{text}\"")), Some(d), "{}", text);
            prop_assert_eq!(lenient::parse_decimal(&text), Some(d), "{}", text);
        }
        if d >= Decimal::ZERO {
            prop_assert_eq!(lenient::parse_decimal(&format!("+{plain}")), Some(d));
        }
    }

    /// With a magnitude suffix: `1.2345M` is `1234500`, exactly.
    #[test]
    fn suffixes_scale_exactly(m in 0i64..=999_999_999, s in 0u32..=4, k in 0usize..3) {
        let written = Decimal::new(m, s);
        let (suffix, scale) = [("K", 1_000i64), ("M", 1_000_000), ("B", 1_000_000_000)][k];
        let expected = (written * Decimal::from(scale)).normalize();
        prop_assert_eq!(decode(&format!("\"{written}{suffix}\"")), Some(expected));
        prop_assert_eq!(lenient::parse_decimal(&format!("{written}{}", suffix.to_lowercase())), Some(expected));
    }

    /// A prefixed (`C`, `H`) or otherwise decorated number is not a price.
    #[test]
    fn prefixed_numbers_are_not_prices(d in amount(), prefix in "[A-Za-z$#]") {
        prop_assert_eq!(decode(&format!("\"{prefix}{d}\"")), None);
    }
}

#[test]
fn missing_values_are_none() {
    for json in [
        "\"\"", "\"N/A\"", "\"n/a\"", "\"-\"", "\"--\"", "null", "true", "{}", "[]", "\"USD\"",
    ] {
        assert_eq!(decode(json), None, "{json}");
    }
    assert_eq!(decode("0"), Some(Decimal::ZERO));
}
