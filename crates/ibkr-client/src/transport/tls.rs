//! TLS of every connection the facade opens: rustls with the `ring` crypto
//! provider, TLS 1.2 and 1.3, the platform's certificate verifier, and the
//! Gateway's self-signed certificate accepted on opt-in for the configured
//! gateway host only.
//!
//! [`client_config`] is the one place a rustls configuration is built: the
//! HTTP client ([`configure`], used by `transport/http.rs`), the OAuth
//! providers' fallback client and the WebSocket stream all take theirs from
//! it. The provider is always `ring`, passed explicitly: the facade never
//! installs a process-wide default provider and never reads one (reqwest is
//! built with `rustls-no-provider`, so it has no provider of its own; a
//! reqwest client built without [`configure`] has no TLS configuration and
//! reqwest would panic building it unless the application installed a
//! process default). `ring` rather than reqwest's default `aws-lc-rs`
//! because aws-lc-sys's C build was the longest unit of a cold build of the
//! facade (see BENCHMARKS.md).
//!
//! With the opt-in, the certificate verifier ([`GatewayVerifier`]) accepts a
//! certificate it cannot verify only when the TLS server name is the
//! configured gateway host, and verifies every other host as usual (the
//! platform's verifier). The handshake signatures are checked for every
//! host, the gateway included: the server must hold the private key of the
//! certificate it presents.
//!
//! The verifier sees the server name, not the port: another port on the
//! gateway host is accepted too, but the client never goes there by itself
//! (redirects to another origin are refused, and no proxy is used with the
//! opt-in).

use crate::error::Result;

/// The rustls configuration of a connection to the API at `url`: the `ring`
/// provider, TLS 1.3 and 1.2, ALPN `http/1.1` (the facade's reqwest speaks
/// HTTP/1.1 only, and a WebSocket upgrade is HTTP/1.1), the platform's
/// certificate verifier, and with `accept_self_signed` the certificate of
/// `url`'s host accepted without verification (that host only; handshake
/// signatures still checked).
///
/// Stable for every caller in the crate (`transport/http.rs`, `auth/`,
/// `stream/`): `url` is the configured API base URL (or any URL on its
/// host); it is read only when `accept_self_signed` is set.
///
/// # Errors
///
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the
/// platform verifier cannot be set up, or, with `accept_self_signed`, when
/// `url`'s host is not a valid TLS server name.
#[cfg(feature = "rustls")]
pub(crate) fn client_config(
    url: &reqwest::Url,
    accept_self_signed: bool,
) -> Result<rustls::ClientConfig> {
    gateway::client_config(url, accept_self_signed)
}

/// `builder` with the facade's TLS: [`client_config`] for `url`, as a
/// preconfigured rustls backend.
#[cfg(feature = "rustls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    url: &reqwest::Url,
    accept_self_signed: bool,
) -> Result<reqwest::ClientBuilder> {
    Ok(builder.tls_backend_preconfigured(client_config(url, accept_self_signed)?))
}

/// Without a TLS backend there is nothing to configure: `https` URLs fail
/// anyway.
#[cfg(not(feature = "rustls"))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    _url: &reqwest::Url,
    _accept_self_signed: bool,
) -> Result<reqwest::ClientBuilder> {
    Ok(builder)
}

#[cfg(feature = "rustls")]
mod gateway {
    use std::fmt;
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

    use crate::error::{Error, Result};

    /// See [`super::client_config`].
    pub(super) fn client_config(
        url: &reqwest::Url,
        accept_self_signed: bool,
    ) -> Result<ClientConfig> {
        let invalid = |e: String| Error::InvalidArgument(format!("TLS configuration: {e}"));
        // Explicitly `ring`, never a process-wide default (see the module).
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let platform: Arc<dyn ServerCertVerifier> = Arc::new(
            rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| invalid(e.to_string()))?,
        );
        let verifier = if accept_self_signed {
            Arc::new(GatewayVerifier {
                gateway: server_name(url).map_err(invalid)?,
                others: platform,
                provider: provider.clone(),
            })
        } else {
            platform
        };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| invalid(e.to_string()))?
            // The platform verifier is a custom verifier to rustls (as in
            // reqwest's own configuration); only the opt-in relaxes it.
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // The facade's reqwest speaks HTTP/1.1 only (no `http2` feature), and
        // a WebSocket upgrade is HTTP/1.1.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The TLS server name reqwest presents for `url`'s host (brackets of
    /// an IPv6 address removed, as hyper-rustls does).
    fn server_name(url: &reqwest::Url) -> std::result::Result<ServerName<'static>, String> {
        let host = url.host_str().unwrap_or_default();
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        ServerName::try_from(host.to_string())
            .map_err(|_| format!("{host:?} is not a valid TLS server name"))
    }

    /// Accepts any certificate from the gateway host; verifies every other
    /// host with `others`. Handshake signatures are always checked.
    pub(super) struct GatewayVerifier {
        /// The configured gateway host, the only name whose certificate is
        /// not verified.
        gateway: ServerName<'static>,
        /// The verifier for every other host.
        others: Arc<dyn ServerCertVerifier>,
        provider: Arc<CryptoProvider>,
    }

    impl fmt::Debug for GatewayVerifier {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("GatewayVerifier")
                .field("gateway", &self.gateway)
                .finish_non_exhaustive()
        }
    }

    impl ServerCertVerifier for GatewayVerifier {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> std::result::Result<ServerCertVerified, rustls::Error> {
            if *server_name == self.gateway {
                tracing::trace!(
                    host = %server_name.to_str(),
                    "the gateway's certificate is accepted without verification (opt-in)"
                );
                return Ok(ServerCertVerified::assertion());
            }
            self.others.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            )
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_server_name_is_the_url_host() {
            let name = |url: &str| server_name(&url.parse().unwrap()).unwrap();
            assert_eq!(
                name("https://LocalHost:5000/v1/api"),
                ServerName::try_from("localhost").unwrap()
            );
            assert_eq!(
                name("https://127.0.0.1:5000"),
                ServerName::try_from("127.0.0.1").unwrap()
            );
            assert_eq!(
                name("https://[::1]:5000"),
                ServerName::try_from("::1").unwrap()
            );
            assert_ne!(
                name("https://localhost:5000"),
                ServerName::try_from("127.0.0.1").unwrap()
            );
        }

        /// The key exchange groups of a configuration's provider, by name.
        fn groups(config: &ClientConfig) -> Vec<String> {
            config
                .crypto_provider()
                .kx_groups
                .iter()
                .map(|g| format!("{:?}", g.name()))
                .collect()
        }

        /// (TLS 1.2 and 1.3 are checked end to end by tests/tls.rs.)
        #[test]
        fn every_configuration_uses_ring() {
            let ring = rustls::crypto::ring::default_provider();
            let ring_groups: Vec<String> = ring
                .kx_groups
                .iter()
                .map(|g| format!("{:?}", g.name()))
                .collect();
            let url: reqwest::Url = "https://localhost:5000/v1/api".parse().unwrap();
            for self_signed in [false, true] {
                let config = client_config(&url, self_signed).unwrap();
                assert_eq!(groups(&config), ring_groups, "{self_signed}");
                assert_eq!(
                    config.crypto_provider().cipher_suites.len(),
                    ring.cipher_suites.len()
                );
                assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
            }
            // No process-wide default was installed on the way.
            assert!(CryptoProvider::get_default().is_none());
        }

        #[test]
        fn a_host_that_is_no_server_name_fails_only_with_the_opt_in() {
            // A URL whose host rustls cannot name (an opaque host).
            let url: reqwest::Url = "https://exa_mple..com/v1/api".parse().unwrap();
            assert!(client_config(&url, false).is_ok());
            let e = client_config(&url, true).unwrap_err().to_string();
            assert!(e.contains("not a valid TLS server name"), "{e}");
        }
    }
}
