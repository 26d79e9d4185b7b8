//! TLS: the Gateway's self-signed certificate, accepted on opt-in, for the
//! configured gateway host only.
//!
//! [`accept_self_signed_for`] gives the client a rustls configuration whose
//! certificate verifier ([`GatewayVerifier`]) accepts a certificate it
//! cannot verify only when the TLS server name is the configured gateway
//! host, and verifies every other host as usual (the platform's verifier,
//! as reqwest's default configuration). The handshake signatures are
//! checked for every host, the gateway included: the server must hold the
//! private key of the certificate it presents. TLS 1.2 and 1.3.
//!
//! The verifier sees the server name, not the port: another port on the
//! gateway host is accepted too, but the client never goes there by itself
//! (redirects to another origin are refused, and no proxy is used with the
//! opt-in).

use crate::error::Result;

/// Builds `builder`'s TLS so that the unverifiable (self-signed)
/// certificate of the Gateway at `url` is accepted, and only there.
#[cfg(feature = "rustls")]
pub(crate) fn accept_self_signed_for(
    builder: reqwest::ClientBuilder,
    url: &reqwest::Url,
) -> Result<reqwest::ClientBuilder> {
    Ok(builder.tls_backend_preconfigured(gateway::client_config(url)?))
}

/// Without a TLS backend there is no certificate to relax: `https` URLs
/// fail anyway.
#[cfg(not(feature = "rustls"))]
pub(crate) fn accept_self_signed_for(
    builder: reqwest::ClientBuilder,
    _url: &reqwest::Url,
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

    /// The rustls configuration of a client that accepts the self-signed
    /// certificate of the gateway at `url`.
    pub(super) fn client_config(url: &reqwest::Url) -> Result<ClientConfig> {
        let invalid = |e: String| Error::InvalidArgument(format!("TLS for the gateway: {e}"));
        let gateway = server_name(url).map_err(invalid)?;
        // As reqwest: a process-wide default provider if one is installed,
        // else aws-lc-rs.
        let provider = CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
        let others = rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|e| invalid(e.to_string()))?;
        let verifier = GatewayVerifier {
            gateway,
            others: Arc::new(others),
            provider: provider.clone(),
        };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| invalid(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        // The facade's reqwest speaks HTTP/1.1 only (no `http2` feature).
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
    }
}
