//! The stream over TLS: the Gateway's self-signed certificate is accepted
//! for the WebSocket exactly as for REST, on opt-in and for the configured
//! host. A TLS front (the TEST-ONLY certificate of `fixtures/tls`, which
//! names `localhost` and `127.0.0.1`) forwards to the embedded mock.
#![cfg(all(feature = "testing", feature = "rustls"))]

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use ibkr_client::stream::{Event, Field};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{Client, Config, Error};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CERT: &str = include_str!("fixtures/tls/TEST_ONLY_cert.pem");
const KEY: &str = include_str!("fixtures/tls/TEST_ONLY_key.pem");

/// A TLS front on 127.0.0.1 for `backend`; its port.
async fn tls_front(backend: std::net::SocketAddr) -> u16 {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
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
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let Ok(mut plain) = TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn wss_to_the_gateway_with_its_self_signed_certificate() {
    let mock = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    mock.authenticate();
    let port = tls_front(mock.addr()).await;
    let base = format!("https://localhost:{port}/v1/api");

    // Without the opt-in nothing connects.
    let strict = Client::new(Config::gateway().base_url(&base)).unwrap();
    let e = strict.stream().await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e}");
    assert!(mock.stream_handshakes().is_empty());

    let client = Client::new(
        Config::gateway()
            .base_url(&base)
            .accept_self_signed_certificate(),
    )
    .unwrap();
    let stream = client.stream().await.unwrap();
    let mut quotes = stream.market_data(265598, &[Field::Last]);
    let first = tokio::time::timeout(Duration::from_secs(20), quotes.next())
        .await
        .unwrap();
    match first {
        Some(Ok(Event::Data(q))) => assert_eq!(q.quote.last(), Some("189.50".parse().unwrap())),
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.stream_handshakes().len(), 1);
    assert!(mock.stream_handshakes()[0].accepted);
}
