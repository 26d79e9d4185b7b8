//! Helpers shared by the cross-crate integration tests.

/// Builds a generated type from JSON, the way a server response would.
pub fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("fixture matches the generated type")
}
