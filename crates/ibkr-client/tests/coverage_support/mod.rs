//! Helpers of the `coverage_*` tests: the variant an operation is missing
//! from answers `Unsupported` without sending anything, and IBKR's error
//! answers reach the caller as errors.
#![allow(dead_code)]

use std::fmt::Debug;
use std::future::Future;

use httpmock::MockServer;
use ibkr_client::pacing::PacingTable;
use ibkr_client::{Client, Error, Variant};

use crate::common;

/// A client of `variant` on `server`, without pacing (the tests call paced
/// endpoints several times).
pub fn client(server: &MockServer, variant: Variant) -> Client {
    Client::new(common::config(server, variant).pacing(PacingTable::unlimited())).expect("client")
}

/// `call` on `variant` fails with `Unsupported` naming `operation`, and
/// nothing reaches the server.
pub async fn unsupported<T, F, Fut>(operation: &str, variant: Variant, call: F)
where
    T: Debug,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ibkr_client::Result<T>>,
{
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body("{}");
        })
        .await;
    let c = client(&server, variant);
    assert!(!c.supports(operation), "{operation} on {variant}");
    let result = call(c).await;
    assert!(
        matches!(&result, Err(Error::Unsupported { operation: op, variant: v }) if *op == operation && *v == variant),
        "{operation} on {variant}: {result:?}"
    );
    assert_eq!(
        any.calls_async().await,
        0,
        "{operation}: nothing is sent on {variant}"
    );
}

/// `call` on `variant`, against a server answering every request with
/// `status` and `body`.
pub async fn answered<T, F, Fut>(
    variant: Variant,
    status: u16,
    body: &str,
    call: F,
) -> ibkr_client::Result<T>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ibkr_client::Result<T>>,
{
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let result = call(client(&server, variant)).await;
    assert_eq!(any.calls_async().await, 1, "one request");
    result
}

/// `call` on `variant` gives IBKR's error, both as a 200 `{"error": …}`
/// ([`Error::Api`], or `OrderRejected` for an order write) and as an HTTP
/// 400 with IBKR's body ([`Error::Http`]).
pub async fn ibkr_errors<T, F, Fut>(operation: &str, variant: Variant, call: F)
where
    T: Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = ibkr_client::Result<T>>,
{
    let message = "Bad Request: accountId is not valid";
    let body = format!(r#"{{"error": "{message}", "statusCode": 400}}"#);
    let result = answered(variant, 200, &body, &call).await;
    assert!(
        matches!(&result, Err(Error::Api { operation: op, message: m, .. }
            | Error::OrderRejected { operation: op, message: m }) if *op == operation && m == message),
        "{operation} on {variant}, 200 error: {result:?}"
    );
    let result = answered(variant, 400, &body, &call).await;
    assert!(
        matches!(&result, Err(Error::Http { operation: op, status: 400, body: b }) if *op == operation && b.contains(message)),
        "{operation} on {variant}, HTTP 400: {result:?}"
    );
}
