//! Spec operations deliberately left to the escape hatch (the generated
//! clients behind `Client::web_api`, `Client::web_account_api` and
//! `Client::gateway_api`), each with the reason the facade does not wrap
//! it.
//!
//! `cargo xtask coverage` writes the reason in the README's coverage table
//! and counts these operations apart: a spec operation that no facade
//! operation sends and no entry here declares is **missing**, and
//! `cargo xtask coverage --check` fails while any is.
//!
//! An entry is not a way to make that count drop: declare only what the
//! facade should not wrap (deprecated families, one-off onboarding flows,
//! what another module already serves).

use crate::Method;

/// A family of spec operations the facade leaves to the escape hatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Escape {
    /// The HTTP method; `None` for every method of the path.
    pub method: Option<Method>,
    /// The path template as the specs write it (placeholder names do not
    /// matter), or a prefix ending in `/*` for every path under it
    /// (`/ccp/*`).
    pub path: &'static str,
    /// The variants the entry is about (`"web"`, `"gateway"`).
    pub variants: &'static [&'static str],
    /// Why the facade does not wrap it, as the coverage table writes it.
    pub reason: &'static str,
}

/// Both variants.
const BOTH: &[&str] = &["web", "gateway"];
/// The Web API only.
const WEB: &[&str] = &["web"];

/// IBKR's OAuth 1.0a onboarding of a third-party application.
const OAUTH_ONBOARDING: &str = "the third-party OAuth 1.0a onboarding flow (request token, then \
    access token), done once outside the client; configure `OAuth1Config` with its result";

/// Token requests the auth providers send themselves.
const PROVIDER_INTERNAL: &str = "sent by the client's OAuth provider itself (`oauth1` computes the \
    live session token, `oauth2` requests its access token); not an operation to call";

/// Every declared escape-hatch family.
pub const ESCAPE_HATCH: &[Escape] = &[
    Escape {
        method: None,
        path: "/ccp/*",
        variants: BOTH,
        reason: "deprecated: IBKR's old CCP API, superseded by the `/iserver` trading endpoints \
                 the facade wraps (`Orders`, `Portfolio`, `Session`)",
    },
    Escape {
        method: Some(Method::Post),
        path: "/oauth/request_token",
        variants: WEB,
        reason: OAUTH_ONBOARDING,
    },
    Escape {
        method: Some(Method::Post),
        path: "/oauth/access_token",
        variants: WEB,
        reason: OAUTH_ONBOARDING,
    },
    Escape {
        method: Some(Method::Post),
        path: "/oauth/live_session_token",
        variants: WEB,
        reason: PROVIDER_INTERNAL,
    },
    Escape {
        method: Some(Method::Post),
        path: "/oauth2/api/v1/token",
        variants: WEB,
        reason: PROVIDER_INTERNAL,
    },
    Escape {
        method: None,
        path: "/ws",
        variants: BOTH,
        reason: "the WebSocket, served by the streaming module (`Client::stream`), not REST",
    },
];

impl Escape {
    /// Whether the entry covers the spec operation `method path` of
    /// `variant` (`"web"` or `"gateway"`). `method` is matched without
    /// regard to case (`get` or `GET`); `{…}` placeholders match whatever
    /// their names.
    pub fn covers(&self, variant: &str, method: &str, path: &str) -> bool {
        if !self.variants.contains(&variant) {
            return false;
        }
        if let Some(m) = self.method
            && !m.as_str().eq_ignore_ascii_case(method)
        {
            return false;
        }
        match self.path.strip_suffix("/*") {
            Some(prefix) => path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
            None => erase_placeholders(self.path) == erase_placeholders(path),
        }
    }
}

/// The declared entry covering `method path` of `variant`, if any.
pub fn escape_for(variant: &str, method: &str, path: &str) -> Option<&'static Escape> {
    ESCAPE_HATCH
        .iter()
        .find(|e| e.covers(variant, method, path))
}

/// The template with `{…}` placeholder names erased.
fn erase_placeholders(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_well_formed() {
        for e in ESCAPE_HATCH {
            assert!(e.path.starts_with('/'), "{}", e.path);
            assert!(!e.variants.is_empty(), "{}", e.path);
            assert!(
                e.variants.iter().all(|v| ["web", "gateway"].contains(v)),
                "{}",
                e.path
            );
            assert!(e.reason.len() > 20, "{}: a reason is written", e.path);
            assert!(!e.path.contains('?'), "{}", e.path);
        }
    }

    #[test]
    fn prefixes_methods_and_variants_match() {
        assert!(escape_for("gateway", "post", "/ccp/order").is_some());
        assert!(escape_for("gateway", "GET", "/ccp/auth/init").is_some());
        assert!(escape_for("gateway", "get", "/ccpx").is_none());
        assert!(escape_for("web", "get", "/ws").is_some());
        assert!(escape_for("gateway", "post", "/ws").is_some());
        assert!(escape_for("web", "post", "/oauth/request_token").is_some());
        assert!(escape_for("web", "get", "/oauth/request_token").is_none());
        assert!(escape_for("gateway", "post", "/oauth/request_token").is_none());
        assert!(escape_for("web", "post", "/oauth2/api/v1/token").is_some());
        assert!(escape_for("web", "get", "/iserver/accounts").is_none());
    }

    #[test]
    fn trading_operations_are_never_declared() {
        for e in ESCAPE_HATCH {
            for prefix in [
                "/iserver",
                "/portfolio",
                "/trsrv",
                "/md",
                "/hmds",
                "/pa",
                "/fyi",
            ] {
                assert!(!e.path.starts_with(prefix), "{} is a trading path", e.path);
            }
        }
    }

    #[test]
    fn placeholder_names_do_not_matter() {
        let e = Escape {
            method: Some(Method::Get),
            path: "/a/{id}/b",
            variants: WEB,
            reason: "a reason long enough to be one",
        };
        assert!(e.covers("web", "get", "/a/{accountId}/b"));
        assert!(!e.covers("web", "get", "/a/b"));
    }
}
