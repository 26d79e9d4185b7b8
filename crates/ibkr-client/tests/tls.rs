//! TLS to the Gateway: its self-signed certificate is refused unless the
//! user opts in, and the opt-in never extends to another host.
//!
//! The test certificate (`fixtures/tls`, TEST-ONLY) names both `localhost`
//! and `127.0.0.1`, and the test servers listen on 127.0.0.1: the same
//! server is reached under the configured name and under another one, so
//! only the host name the client was configured with can make the
//! difference.
#![cfg(feature = "rustls")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ibkr_client::{Client, Config, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::CryptoProvider;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;
use tokio_rustls::rustls::{ServerConfig, SupportedProtocolVersion, version};

const CERT: &str = include_str!("fixtures/tls/TEST_ONLY_cert.pem");
const KEY: &str = include_str!("fixtures/tls/TEST_ONLY_key.pem");
/// An RSA key that is not the certificate's (TEST-ONLY, from the OAuth fixtures).
const OTHER_KEY: &str = include_str!("fixtures/oauth1/TEST_ONLY_signature_key.pem");

fn provider() -> Arc<CryptoProvider> {
    Arc::new(tokio_rustls::rustls::crypto::ring::default_provider())
}

fn cert() -> CertificateDer<'static> {
    CertificateDer::from_pem_slice(CERT.as_bytes()).unwrap()
}

/// The gateway's server configuration: the self-signed certificate and its
/// key, speaking `versions`.
fn gateway_config(versions: &[&'static SupportedProtocolVersion]) -> ServerConfig {
    ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert()],
            PrivateKeyDer::from_pem_slice(KEY.as_bytes()).unwrap(),
        )
        .unwrap()
}

/// A TLS server on 127.0.0.1 with the gateway's certificate, answering every
/// request with `head` + `body`; returns its port and a counter of requests
/// that completed the handshake.
async fn tls_server(head: String, body: &'static str) -> (u16, Arc<AtomicUsize>) {
    let versions = [&version::TLS13, &version::TLS12];
    tls_server_with(gateway_config(&versions), head, body).await
}

/// Like [`tls_server`], with its own server configuration.
async fn tls_server_with(
    config: ServerConfig,
    head: String,
    body: &'static str,
) -> (u16, Arc<AtomicUsize>) {
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, count, head) = (acceptor.clone(), count.clone(), head.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut read = 0;
                while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let response = format!(
                    "{head}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, served)
}

const STATUS: &str = r#"{"authenticated":true,"connected":true,"competing":false}"#;

fn ok_head() -> String {
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n".into()
}

#[tokio::test]
async fn the_gateways_self_signed_certificate_is_refused_by_default() {
    let (port, served) = tls_server(ok_head(), STATUS).await;
    let client =
        Client::new(Config::gateway().base_url(format!("https://localhost:{port}/v1/api")))
            .unwrap();
    match client.session().auth_status().await {
        Err(Error::Transport(message)) => {
            assert!(message.to_lowercase().contains("certificate"), "{message}")
        }
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert_eq!(served.load(Ordering::SeqCst), 0, "no request got through");
}

#[tokio::test]
async fn the_opt_in_accepts_the_gateways_certificate() {
    let (port, served) = tls_server(ok_head(), STATUS).await;
    let client = Client::new(
        Config::gateway()
            .base_url(format!("https://localhost:{port}/v1/api"))
            .accept_self_signed_certificate(),
    )
    .unwrap();
    let status = client.session().auth_status().await.unwrap();
    assert!(status.authenticated && status.connected);
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_opt_in_does_not_follow_the_gateway_to_another_host() {
    // A second self-signed server on another port: the opt-in client must
    // not be sent there by a redirect.
    let (other_port, other_served) = tls_server(ok_head(), STATUS).await;
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nlocation: https://127.0.0.1:{other_port}/v1/api/iserver/auth/status\r\n"
    );
    let (port, served) = tls_server(redirect, "").await;
    let client = Client::new(
        Config::gateway()
            .base_url(format!("https://localhost:{port}/v1/api"))
            .accept_self_signed_certificate(),
    )
    .unwrap();
    match client.session().auth_status().await {
        Err(Error::Transport(message)) => assert!(message.contains("redirect"), "{message}"),
        other => panic!("expected the redirect to be refused, got {other:?}"),
    }
    assert!(served.load(Ordering::SeqCst) >= 1);
    assert_eq!(other_served.load(Ordering::SeqCst), 0);
}

/// The error and its sources, as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn opt_in_client(base: String) -> Client {
    Client::new(
        Config::gateway()
            .base_url(base)
            .accept_self_signed_certificate(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_opt_in_covers_only_the_configured_host_name() {
    // One server, one certificate naming both localhost and 127.0.0.1; the
    // client is configured for localhost.
    let (port, served) = tls_server(ok_head(), STATUS).await;
    let client = opt_in_client(format!("https://localhost:{port}/v1/api"));
    let http = client.http_client();
    // The client's own HTTP client reaches the same server as 127.0.0.1:
    // the certificate is verified as for any host, and it is self-signed.
    let err = http
        .get(format!(
            "https://127.0.0.1:{port}/v1/api/iserver/auth/status"
        ))
        .send()
        .await
        .expect_err("the self-signed certificate is refused for 127.0.0.1");
    let text = chain(&err).to_lowercase();
    assert!(text.contains("certificate"), "{text}");
    assert_eq!(served.load(Ordering::SeqCst), 0, "no request got through");
    // Under the configured name it is accepted, by the facade and by the
    // HTTP client alike.
    let answer = http
        .get(format!(
            "https://localhost:{port}/v1/api/iserver/auth/status"
        ))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    assert!(client.session().auth_status().await.unwrap().authenticated);
    assert_eq!(served.load(Ordering::SeqCst), 2);

    // And the other way round: configured for 127.0.0.1, refused as localhost.
    let (port, served) = tls_server(ok_head(), STATUS).await;
    let client = opt_in_client(format!("https://127.0.0.1:{port}/v1/api"));
    let err = client
        .http_client()
        .get(format!(
            "https://localhost:{port}/v1/api/iserver/auth/status"
        ))
        .send()
        .await
        .expect_err("the self-signed certificate is refused for localhost");
    let text = chain(&err).to_lowercase();
    assert!(text.contains("certificate"), "{text}");
    assert_eq!(served.load(Ordering::SeqCst), 0);
    assert!(client.session().auth_status().await.unwrap().authenticated);
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_opt_in_speaks_tls_1_2_and_1_3() {
    for versions in [[&version::TLS12], [&version::TLS13]] {
        let (port, served) = tls_server_with(gateway_config(&versions), ok_head(), STATUS).await;
        let client = opt_in_client(format!("https://localhost:{port}/v1/api"));
        let status = client.session().auth_status().await;
        assert!(
            status.as_ref().is_ok_and(|s| s.authenticated),
            "{versions:?}: {status:?}"
        );
        assert_eq!(served.load(Ordering::SeqCst), 1);
    }
}

/// Presents the gateway's certificate but signs the handshake with another
/// key: a server that merely copied the certificate.
#[derive(Debug)]
struct CopiedCertificate(Arc<CertifiedKey>);

impl ResolvesServerCert for CopiedCertificate {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

#[tokio::test]
async fn the_opt_in_still_checks_the_handshake_signature() {
    let provider = provider();
    let other_key = provider
        .key_provider
        .load_private_key(PrivateKeyDer::from_pem_slice(OTHER_KEY.as_bytes()).unwrap())
        .unwrap();
    let copied = Arc::new(CopiedCertificate(Arc::new(CertifiedKey::new(
        vec![cert()],
        other_key,
    ))));
    for versions in [[&version::TLS12], [&version::TLS13]] {
        let config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(copied.clone());
        let (port, served) = tls_server_with(config, ok_head(), STATUS).await;
        let client = opt_in_client(format!("https://localhost:{port}/v1/api"));
        match client.session().auth_status().await {
            Err(Error::Transport(_)) => {}
            other => panic!("{versions:?}: expected a handshake failure, got {other:?}"),
        }
        assert_eq!(served.load(Ordering::SeqCst), 0, "{versions:?}");
    }
}
