//! barter's own serde JSON for the bound types.
//!
//! Remote types cannot carry exported methods, so each type gets two functions,
//! `<type>_from_json` and `<type>_to_json`, which the Python package attaches to the type as
//! `from_json` and `to_json` (`barter/_records.py`).

use crate::error::{BarterError, Result};
use serde::de::DeserializeOwned;

/// Parse barter's serde JSON. An error names where in the value it is (`Item.kind.Trade.side:
/// unknown variant ...`) as well as serde's line.
pub(crate) fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T> {
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
