//! barter's own serde JSON for the bound types.
//!
//! Remote types cannot carry exported methods, so each type gets two functions,
//! `<type>_from_json` and `<type>_to_json`, which the Python package attaches to the type as
//! `from_json` and `to_json` (`barter/_records.py`).

use crate::error::{BarterError, Result};
use serde::{Serialize, de::DeserializeOwned};
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
        Some(b'"') => exact_time(&serde_json::from_str::<String>(text)?, path),
        _ => Ok(()),
    };
    path.truncate(length);
    checked
}

/// The first time (`hh:mm:ss.` followed by digits) with more than 9 fractional digits.
fn finer_than_nanoseconds(json: &[u8]) -> Option<String> {
    let dots = json.iter().enumerate().filter(|(_, byte)| **byte == b'.').map(|(at, _)| at);
    dots.filter(|at| *at >= 6).find_map(|at| {
        let seconds = &json[at - 6..at];
        let is_time = seconds[0] == b':' && seconds[3] == b':' && seconds.iter().enumerate().all(|(i, byte)| i % 3 == 0 || byte.is_ascii_digit());
        let digits = json[at + 1..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        (is_time && digits > 9).then(|| String::from_utf8_lossy(&json[at.saturating_sub(19)..at + 1 + digits]).into_owned())
    })
}

/// Fail, naming the field, on an RFC 3339 time with digits past the nanosecond, which chrono's
/// serde drops without a word.
fn exact_time(text: &str, path: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let is_time = bytes.len() > 20 && bytes[4] == b'-' && bytes[7] == b'-' && matches!(bytes[10], b'T' | b't' | b' ') && bytes[13] == b':' && bytes[19] == b'.';
    if is_time && bytes[20..].iter().take_while(|byte| byte.is_ascii_digit()).count() > 9 {
        crate::custom::parse_timestamp(text).map_err(|error| match error {
            BarterError::InvalidValue { reason } => BarterError::invalid_value(format!("{path}: {reason}")),
            error => error,
        })?;
    }
    Ok(())
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
    let value = parse(json)?;
    let raw: Box<RawValue> = serde_json::from_slice(json)?;
    exact_numbers(&raw, &mut String::new())?;
    Ok(value)
}

/// Parse barter's serde JSON as serde reads it: for bulk data barter wrote itself (market data
/// files: its Decimals are strings, its floats shortest forms), where a second pass over every
/// number would cost as much as the parse. Only times finer than a nanosecond, which chrono
/// would cut without a word, are looked for (a scan of the bytes).
pub(crate) fn from_json_as_written<T: DeserializeOwned>(json: &[u8]) -> Result<T> {
    if let Some(time) = finer_than_nanoseconds(json) {
        return Err(BarterError::invalid_value(format!("timestamp {time:?}: more than 9 fractional digits, nanoseconds at most")));
    }
    parse(json)
}

/// serde's parse, an error naming where in the value it is.
fn parse<T: DeserializeOwned>(json: &[u8]) -> Result<T> {
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

/// barter's serde JSON of `value`, or `BarterError::InvalidValue` where barter would read it back
/// as another value or not at all: its JSON keeps less than some values hold (contract expiries
/// to the millisecond; NaN and infinities become `null`), and a value changed on the way to a
/// file is refused, never written silently.
///
/// One failure to read back is barter's own and not the value's: `OrderBookSide` skips its `side`
/// when it serialises and requires it when it deserialises, so no order book barter writes reads
/// back. Those are written as barter writes them.
pub(crate) fn to_json<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Result<String> {
    let json = serde_json::to_string(value)?;
    match serde_json::from_str::<T>(&json) {
        Ok(back) if back == *value => Ok(json),
        Ok(back) => Err(BarterError::invalid_value(format!("barter's JSON of {value:?} reads back as {back:?}: it keeps less than the value holds"))),
        Err(error) if error.to_string().starts_with("missing field `side`") => Ok(json),
        Err(error) => Err(BarterError::invalid_value(format!("barter's JSON of {value:?}, {json}, cannot be read back: {error}"))),
    }
}

pub(crate) fn to_json_lossless<T: Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

/// For each listed type, export `<type>_from_json(json) -> Type` and `<type>_to_json(value) ->
/// json` over barter's serde derive (`<type>` is the snake_case Python name: `Type as Name` for a
/// type exported under another name).
macro_rules! json_functions {
    () => {};
    ($type:ident as $name:ident $(, $($rest:tt)*)?) => {
        $crate::json::json_functions!(@one $type, $name, to_json);
        $($crate::json::json_functions!($($rest)*);)?
    };
    // A type without `PartialEq` (barter derives none), whose JSON keeps all of it.
    ($type:ident (lossless) $(, $($rest:tt)*)?) => {
        $crate::json::json_functions!(@one $type, $type, to_json_lossless);
        $($crate::json::json_functions!($($rest)*);)?
    };
    ($type:ident $(, $($rest:tt)*)?) => {
        $crate::json::json_functions!(@one $type, $type, to_json);
        $($crate::json::json_functions!($($rest)*);)?
    };
    (@one $type:ident, $name:ident, $to_json:ident) => {
        pastey::paste! {
            /// Build the value from barter's serde JSON.
            #[uniffi::export]
            pub fn [<$name:snake _from_json>](json: &str) -> $crate::error::Result<$type> {
                $crate::json::from_json(json.as_bytes())
            }

            /// barter's serde JSON of the value, exactly as `serde_json::to_string` writes it;
            /// `BarterError.InvalidValue` if barter would read it back as another value.
            #[uniffi::export]
            pub fn [<$name:snake _to_json>](value: $type) -> $crate::error::Result<String> {
                $crate::json::$to_json(&value)
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

    #[test]
    fn a_time_finer_than_nanoseconds_is_refused_with_its_path() {
        let json = br#"{"t": ["2025-03-25T23:07:00.773674205Z", "2025-03-25T23:07:00.7736742051Z"]}"#;
        let error = from_json::<serde_json::Value>(json).unwrap_err();
        assert!(error.to_string().contains("t[1]: timestamp") && error.to_string().contains("10 fractional digits"), "{error}");
        let error = from_json_as_written::<serde_json::Value>(json).unwrap_err();
        assert!(error.to_string().contains("\"2025-03-25T23:07:00.7736742051\": more than 9 fractional digits"), "{error}");
        assert!(from_json::<serde_json::Value>(br#"{"t": "2025-03-25T23:07:00.773674205Z", "s": "2025-03-25 notes"}"#).is_ok());
    }

    #[test]
    fn to_json_refuses_what_barter_would_read_back_changed() {
        use barter_instrument::instrument::kind::future::FutureContract;
        use chrono::TimeZone;

        // barter writes an expiry in milliseconds: one with nanoseconds would come back without.
        let at = |nanos| chrono::Utc.timestamp_opt(1_700_000_000, nanos).unwrap();
        let contract = |nanos| FutureContract { contract_size: rust_decimal::Decimal::ONE, settlement_asset: 0_usize, expiry: at(nanos) };
        assert_eq!(to_json(&contract(5_000_000)).unwrap(), r#"{"contract_size":"1","settlement_asset":0,"expiry":1700000000005}"#);
        let error = to_json(&contract(5_000_001)).unwrap_err();
        assert!(error.to_string().contains("reads back as"), "{error}");

        // barter cannot read the order books it writes (its quirk): written as barter writes them.
        let book = barter_data::books::OrderBook::new(1, None, vec![], vec![barter_data::books::Level::new(1, 2)]);
        assert_eq!(to_json(&book).unwrap(), r#"{"sequence":1,"time_engine":null,"bids":{"levels":[]},"asks":{"levels":[{"price":"1","amount":"2"}]}}"#);

        // NaN is written as null, which barter cannot read.
        assert!(to_json(&f64::NAN).unwrap_err().to_string().contains("cannot be read back"));
    }
}
