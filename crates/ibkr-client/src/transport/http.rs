//! The one HTTP client of a [`Client`](crate::Client): TLS, redirects,
//! proxies, cookies. The OAuth providers' token requests use it too
//! ([`AuthProvider::bind`](crate::AuthProvider::bind)).
//!
//! - `https` everywhere; plain `http` only to a loopback host.
//! - Redirects are followed only to the configured origin.
//! - No proxy from the environment unless [`Config::use_env_proxy`] is set.
//! - TLS: rustls with the `ring` provider and the platform's verifier
//!   (`transport/tls.rs`); the Gateway's self-signed certificate is
//!   accepted only on opt-in ([`Config::accept_self_signed_certificate`]),
//!   and only for the configured host.

use std::net::IpAddr;

use crate::config::Config;
use crate::error::{Error, Result, Variant};

/// Checks the base URL: `https`, or `http` to a loopback host.
pub(crate) fn check_base_url(config: &Config) -> Result<reqwest::Url> {
    let url = reqwest::Url::parse(&config.base_url).map_err(|e| {
        Error::InvalidArgument(format!("invalid base URL {:?}: {e}", config.base_url))
    })?;
    let host = url.host_str().unwrap_or_default();
    if !matches!(url.scheme(), "http" | "https") || host.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "base URL {:?} must be an http or https URL with a host",
            config.base_url
        )));
    }
    if url.scheme() == "http" && !is_loopback(host) {
        return Err(Error::InvalidArgument(format!(
            "base URL {:?}: plain http is allowed only to a loopback host (localhost, 127.0.0.1, ::1); use https",
            config.base_url
        )));
    }
    if config.accept_self_signed && config.variant() == Variant::Web {
        return Err(Error::InvalidArgument(
            "accept_self_signed_certificate is only for the Gateway".into(),
        ));
    }
    Ok(url)
}

/// Whether `host` is a loopback name or address.
pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Builds the client for `config`, whose base URL `url` was checked. It
/// keeps no cookies: the request path does ([`super::cookies`]).
pub(crate) fn build(config: &Config, url: &reqwest::Url) -> Result<reqwest::Client> {
    let origin = (
        url.scheme().to_string(),
        url.host_str().unwrap_or_default().to_string(),
        url.port_or_known_default(),
    );
    let redirect = reqwest::redirect::Policy::custom(move |attempt| {
        let next = attempt.url();
        let same = next.scheme() == origin.0
            && next.host_str() == Some(origin.1.as_str())
            && next.port_or_known_default() == origin.2;
        if !same {
            attempt.error("redirect to another host refused")
        } else if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .timeout(config.timeout)
        .redirect(redirect)
        .user_agent(
            config
                .user_agent
                .clone()
                .unwrap_or_else(|| concat!("ibkr-client/", env!("CARGO_PKG_VERSION")).into()),
        );
    if !config.env_proxy || config.accept_self_signed {
        builder = builder.no_proxy();
    }
    // Every client gets the facade's rustls configuration (ring provider,
    // platform verifier, the self-signed opt-in for this host only): reqwest
    // has no crypto provider of its own (`rustls-no-provider`).
    let builder = crate::transport::tls::configure(builder, url, config.accept_self_signed)?;
    let http = builder
        .build()
        .map_err(|e| Error::Transport(format!("cannot build the HTTP client: {e}")))?;
    Ok(http)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "LOCALHOST"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["api.ibkr.com", "10.0.0.1", "localhost.evil.com", "[::2]"] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn plain_http_only_to_loopback() {
        let web = |url: &str| Config::web(crate::BearerToken::new("t")).base_url(url);
        assert!(check_base_url(&web("http://127.0.0.1:8080")).is_ok());
        assert!(check_base_url(&web("https://api.ibkr.com")).is_ok());
        let e = check_base_url(&web("http://api.ibkr.com")).unwrap_err();
        assert!(e.to_string().contains("loopback"), "{e}");
        let gw = Config::gateway().base_url("http://192.168.1.5:5000/v1/api");
        assert!(check_base_url(&gw).is_err());
    }
}
