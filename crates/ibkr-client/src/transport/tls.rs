//! TLS: the Gateway's self-signed certificate, accepted on opt-in.

use crate::error::Result;

/// Accepts an invalid certificate chain from the Gateway at `url`.
///
/// reqwest's switch applies to every host the client reaches; the client
/// never reaches another one (redirects to other origins are refused, no
/// proxy is used).
pub(crate) fn accept_self_signed_for(
    builder: reqwest::ClientBuilder,
    _url: &reqwest::Url,
) -> Result<reqwest::ClientBuilder> {
    #[cfg(feature = "rustls")]
    let builder = builder.tls_danger_accept_invalid_certs(true);
    Ok(builder)
}
