//! TLS to the Gateway: its self-signed certificate is refused unless the
//! user opts in, and the opt-in never extends to another host.
#![cfg(feature = "rustls")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ibkr_client::{Client, Config, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CERT: &str = include_str!("fixtures/tls/TEST_ONLY_cert.pem");
const KEY: &str = include_str!("fixtures/tls/TEST_ONLY_key.pem");

/// A TLS server on 127.0.0.1 answering every request with `head` + `body`;
/// returns its port and a counter of requests that completed the handshake.
async fn tls_server(head: String, body: &'static str) -> (u16, Arc<AtomicUsize>) {
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY.as_bytes()).unwrap(),
        )
        .unwrap();
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
