//! Custom types shared by every module: how barter's scalar types cross the FFI exactly.
//!
//! Each crosses as a string, the one representation that is exact for all of their values:
//! - `Decimal` as plain decimal text, parsed exactly or refused, never rounded (Python
//!   `decimal.Decimal`, Kotlin `BigDecimal`);
//! - `DateTime<Utc>` as RFC 3339 in UTC with all nine fractional digits (Python
//!   `barter.Timestamp`, a `datetime` that keeps nanoseconds; Kotlin `Instant`);
//! - `SmolStr` as `str`;
//! - `usize` as `u64`.
//!
//! The foreign side of each mapping is configured in `uniffi.toml`.

use crate::error::BarterError;
use chrono::{SecondsFormat, Utc};
use rust_decimal::Decimal;
use smol_str::SmolStr;

/// `DateTime<Utc>` under the name the foreign code sees.
pub type Timestamp = chrono::DateTime<Utc>;

uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |decimal| decimal.to_string(),
    try_lift: |text| parse_decimal(&text).map_err(Into::into),
});

uniffi::custom_type!(Timestamp, String, {
    remote,
    lower: |time| time.to_rfc3339_opts(SecondsFormat::Nanos, true),
    try_lift: |text| parse_timestamp(&text).map_err(Into::into),
});

uniffi::custom_type!(SmolStr, String, {
    remote,
    lower: |text| text.to_string(),
    try_lift: |text| Ok(SmolStr::from(text)),
});

// Counts (`MultiBacktestSummary::num_backtests`, ...) cross as `u64`.
uniffi::custom_type!(usize, u64, {
    remote,
    lower: |count| count as u64,
    try_lift: |count| Ok(usize::try_from(count)?),
});

/// Parse a `Decimal` in plain notation exactly: more digits than it holds is an error, not a
/// rounding (the foreign side writes plain notation).
pub(crate) fn parse_decimal(text: &str) -> Result<Decimal, BarterError> {
    Decimal::from_str_exact(text)
        .map_err(|error| BarterError::invalid_value(format!("Decimal {text:?}: {error}")))
}

/// Parse an RFC 3339 timestamp into UTC, keeping nanoseconds.
pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, BarterError> {
    // chrono drops digits past the nanosecond: a time it cannot keep exactly is refused.
    if let Some((_, fraction)) = text.split_once('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 9 {
            return Err(BarterError::invalid_value(format!("timestamp {text:?}: {digits} fractional digits, nanoseconds (9) at most")));
        }
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| BarterError::invalid_value(format!("timestamp {text:?}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text_round_trips_exactly() {
        struct TestCase {
            input: &'static str,
            expected: Result<&'static str, ()>,
        }
        let cases = [
            // TC0: scale is kept
            TestCase { input: "1.2300", expected: Ok("1.2300") },
            // TC1: largest magnitude
            TestCase { input: "79228162514264337593543950335", expected: Ok("79228162514264337593543950335") },
            // TC2: scientific notation would be parsed through a rounding path: refused
            TestCase { input: "1.00000000000000000000000000000001E0", expected: Err(()) },
            // TC3: too many digits to be exact is an error, not a rounding
            TestCase { input: "0.12345678901234567890123456789012", expected: Err(()) },
            // TC4: out of range
            TestCase { input: "79228162514264337593543950336", expected: Err(()) },
            // TC5: not a number
            TestCase { input: "NaN", expected: Err(()) },
        ];
        for (index, case) in cases.into_iter().enumerate() {
            let actual = parse_decimal(case.input).map(|d| d.to_string()).map_err(|_| ());
            assert_eq!(actual.as_deref().map_err(|_| ()), case.expected, "TC{index} failed");
        }
    }

    #[test]
    fn timestamp_keeps_nanoseconds() {
        let time = parse_timestamp("2025-03-25T01:02:03.123456789Z").unwrap();
        assert_eq!(time.timestamp_subsec_nanos(), 123_456_789);
        assert_eq!(
            time.to_rfc3339_opts(SecondsFormat::Nanos, true),
            "2025-03-25T01:02:03.123456789Z"
        );
        assert!(parse_timestamp("2025-03-25T01:02:03").is_err(), "naive time is ambiguous");
        let finer = parse_timestamp("2025-03-25T01:02:03.1234567891Z").unwrap_err().to_string();
        assert!(finer.contains("10 fractional digits"), "sub-nanosecond digits are refused, not dropped: {finer}");
    }
}
