//! barter's own serde JSON for the bound types.
//!
//! Remote types cannot carry exported methods, so each type gets two functions,
//! `<type>_from_json` and `<type>_to_json`, which the Python package attaches to the type as
//! `from_json` and `to_json` (`barter/_records.py`).

use crate::error::{BarterError, Result};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Fail, naming the field, on a JSON number that barter's serde would read into a `Decimal`
/// rounded. serde hands `rust_decimal` a number that is not a 64-bit integer as an `f64`, which
/// it reads through the float's shortest decimal form: a literal that form does not spell (more
/// significant digits than a float holds) would silently become another value. Such a number is
/// refused in any field: a float field would round it just the same.
fn exact_numbers(json: &RawValue, path: &mut String) -> Result<()> {
    let text = json.get().trim();
    let length = path.len();
    let checked = match text.as_bytes().first() {
        Some(b'{') => serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(text)?.iter().try_for_each(|(key, value)| {
            path.truncate(length);
            path.push_str(if length == 0 { "" } else { "." });
            path.push_str(key);
            exact_numbers(value, path)
        }),
        Some(b'[') => serde_json::from_str::<Vec<Box<RawValue>>>(text)?.iter().enumerate().try_for_each(|(index, value)| {
            path.truncate(length);
            path.push_str(&format!("[{index}]"));
            exact_numbers(value, path)
        }),
        Some(b'-' | b'0'..=b'9') => exact_number(text, path),
        _ => Ok(()),
    };
    path.truncate(length);
    checked
}

fn exact_number(literal: &str, path: &str) -> Result<()> {
    if !literal.contains(['.', 'e', 'E']) && (literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok()) {
        return Ok(());
    }
    let float: f64 = literal.parse().map_err(|error| BarterError::invalid_value(format!("{path}: {literal}: {error}")))?;
    // rust_decimal reads a float as `Decimal::from_str(&value.to_string())`.
    let shortest = float.to_string();
    if digits(literal) == digits(&shortest) {
        return Ok(());
    }
    Err(BarterError::invalid_value(format!(
        "{path}: {literal} would be read as {shortest} (barter's JSON reads such numbers through a float): write at most 17 significant digits, or a Decimal as a string"
    )))
}

/// A decimal literal as (negative, significant digits, exponent of the last digit), to compare
/// two spellings of a number.
fn digits(literal: &str) -> (bool, String, i64) {
    let (negative, unsigned) = literal.strip_prefix('-').map_or((false, literal), |rest| (true, rest));
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).map_or((unsigned, 0), |(mantissa, exponent)| (mantissa, exponent.parse().unwrap_or(0)));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    let exponent = exponent - fraction.len() as i64 + (significant.len() - trimmed.len()) as i64;
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    (negative, trimmed.to_owned(), exponent)
}

/// Parse barter's serde JSON, refusing a number that would be read inexactly (`exact_numbers`).
/// An error names where in the value it is (`Item.kind.Trade.side: unknown variant ...`) as well
/// as serde's line.
pub(crate) fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T> {
    let value = from_json_as_written(json)?;
    let raw: Box<RawValue> = serde_json::from_slice(json)?;
    exact_numbers(&raw, &mut String::new())?;
    Ok(value)
}

/// Parse barter's serde JSON as serde reads it: for bulk data barter wrote itself (market data
/// files: its Decimals are strings, its floats shortest forms), where a second pass over every
/// number would cost as much as the parse.
pub(crate) fn from_json_as_written<T: DeserializeOwned>(json: &[u8]) -> Result<T> {
    // Tracking the path costs as much as the parse itself: only the failing input pays for it.
    serde_json::from_slice(json).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(with_path) if with_path.path().to_string() != "." => {
                let path = with_path.path().to_string();
                let error = with_path.into_inner();
                BarterError::Json { line: error.line() as u64, reason: format!("{path}: {error}") }
            }
            // No field to name (the top level, or trailing characters): serde's own error.
            _ => error.into(),
        }
    })
}

/// For each listed type, export `<type>_from_json(json) -> Type` and `<type>_to_json(value) ->
/// json` over barter's serde derive (`<type>` is the snake_case Python name: `Type as Name` for a
/// type exported under another name).
macro_rules! json_functions {
    () => {};
    ($type:ident as $name:ident $(, $($rest:tt)*)?) => {
        $crate::json::json_functions!(@one $type, $name);
        $($crate::json::json_functions!($($rest)*);)?
    };
    ($type:ident $(, $($rest:tt)*)?) => {
        $crate::json::json_functions!(@one $type, $type);
        $($crate::json::json_functions!($($rest)*);)?
    };
    (@one $type:ident, $name:ident) => {
        pastey::paste! {
            /// Build the value from barter's serde JSON.
            #[uniffi::export]
            pub fn [<$name:snake _from_json>](json: &str) -> $crate::error::Result<$type> {
                $crate::json::from_json(json.as_bytes())
            }

            /// barter's serde JSON of the value, exactly as `serde_json::to_string` writes it.
            #[uniffi::export]
            pub fn [<$name:snake _to_json>](value: $type) -> $crate::error::Result<String> {
                serde_json::to_string(&value).map_err($crate::error::BarterError::from)
            }
        }
    };
}

pub(crate) use json_functions;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_exactly_pass_and_rounded_ones_are_refused() {
        struct TestCase {
            literal: &'static str,
            exact: bool,
        }
        let cases = [
            // TC0: barter's example config
            TestCase { literal: "0.05", exact: true },
            // TC1: a float's shortest form with a trailing zero
            TestCase { literal: "10000.0", exact: true },
            // TC2: exponent notation
            TestCase { literal: "1E-7", exact: true },
            // TC3: a negative zero
            TestCase { literal: "-0.0", exact: true },
            // TC4: a 64-bit integer, read as one
            TestCase { literal: "18446744073709551615", exact: true },
            // TC5: an integer past 64 bits: read through a float, rounded
            TestCase { literal: "12345678901234567890123456789", exact: false },
            // TC6: more significant digits than a float holds
            TestCase { literal: "0.1234567890123456789", exact: false },
            // TC7: a float's shortest form, 17 digits
            TestCase { literal: "0.30000000000000004", exact: true },
            // TC8: a tiny float, exact as a float (a Decimal field would round it: not caught)
            TestCase { literal: "8.476257297202409e-299", exact: true },
        ];
        for (index, case) in cases.iter().enumerate() {
            assert_eq!(exact_number(case.literal, "x").is_ok(), case.exact, "TC{index} failed: {}", case.literal);
        }
    }

    #[test]
    fn a_rounded_number_is_refused_with_its_path() {
        let json = br#"{"a": [{"b": 1.5}, {"b": 0.1234567890123456789}]}"#;
        let error = from_json::<serde_json::Value>(json).unwrap_err();
        assert!(error.to_string().contains("a[1].b: 0.1234567890123456789 would be read as 0.12345678901234568"), "{error}");
    }
}
