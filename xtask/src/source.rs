//! Reading an upstream spec from a file or an http(s) URL, as JSON or YAML.

use std::time::Duration;

use serde_json::Value;

use crate::error::{Result, XtaskError};

/// The raw bytes of an upstream spec and where they came from.
pub struct Source {
    /// What the user named: a path or a URL.
    pub name: String,
    /// The bytes exactly as read.
    pub bytes: Vec<u8>,
}

impl Source {
    /// Reads `location`: an `http://` or `https://` URL is fetched, anything
    /// else is a file path.
    pub fn load(location: &str) -> Result<Self> {
        let bytes = if is_url(location) {
            fetch(location)?
        } else {
            std::fs::read(location).map_err(|e| XtaskError::io(location, e))?
        };
        Ok(Source {
            name: location.to_string(),
            bytes,
        })
    }

    /// A name for the lock file that does not depend on where the file was
    /// read from on this machine: the URL, or the file's base name.
    pub fn provenance_name(&self) -> String {
        if is_url(&self.name) {
            self.name.clone()
        } else {
            std::path::Path::new(&self.name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| self.name.clone())
        }
    }

    /// Parses the bytes as JSON, or as YAML when they are not JSON.
    pub fn parse(&self) -> Result<Value> {
        parse_document(&self.name, &self.bytes)
    }
}

fn is_url(location: &str) -> bool {
    location.starts_with("http://") || location.starts_with("https://")
}

/// Parses JSON first (the common case and the strictest), then YAML.
pub fn parse_document(name: &str, bytes: &[u8]) -> Result<Value> {
    let bad = |message: String| XtaskError::BadSpec {
        source_name: name.to_string(),
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| bad(format!("not UTF-8 text: {e}")))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| bad(format!("invalid JSON: {e}")));
    }
    let value: Value =
        serde_yaml::from_str(trimmed).map_err(|e| bad(format!("neither JSON nor YAML: {e}")))?;
    if !value.is_object() {
        return Err(bad(
            "neither a JSON nor a YAML document with an `openapi` or `swagger` field".into(),
        ));
    }
    Ok(value)
}

fn fetch(url: &str) -> Result<Vec<u8>> {
    let err = |message: String| XtaskError::Fetch {
        url: url.to_string(),
        message,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let response = agent.get(url).call().map_err(|e| err(e.to_string()))?;
    response
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_and_yaml() {
        let json = parse_document("a.json", br#"{"openapi":"3.0.0"}"#).unwrap();
        assert_eq!(json["openapi"], "3.0.0");
        let yaml = parse_document("a.yaml", b"swagger: '2.0'\npaths: {}\n").unwrap();
        assert_eq!(yaml["swagger"], "2.0");
    }

    #[test]
    fn rejects_garbage_with_a_message() {
        let e = parse_document("x.bin", b"\x00\x01 not : [ valid").unwrap_err();
        assert!(e.to_string().starts_with("x.bin: "), "{e}");
        let e = parse_document("x.txt", b"just some words").unwrap_err();
        assert!(e.to_string().contains("neither"), "{e}");
        let e = parse_document("x.json", b"{\"a\": ").unwrap_err();
        assert!(e.to_string().contains("invalid JSON"), "{e}");
    }

    #[test]
    fn unreachable_url_is_an_error_not_a_panic() {
        // Port 9 on loopback: nothing listens there.
        let e = Source::load("http://127.0.0.1:9/spec.json").err().unwrap();
        assert!(
            e.to_string()
                .starts_with("cannot fetch http://127.0.0.1:9/spec.json"),
            "{e}"
        );
    }

    #[test]
    fn provenance_is_independent_of_the_directory() {
        let s = Source {
            name: "/some/where/cp-gateway.json".into(),
            bytes: vec![],
        };
        assert_eq!(s.provenance_name(), "cp-gateway.json");
    }
}
