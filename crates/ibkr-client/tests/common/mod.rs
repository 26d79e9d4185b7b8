//! Helpers shared by the facade's integration tests.
#![allow(dead_code)]

pub mod examples;

use httpmock::MockServer;
use ibkr_client::{BearerToken, Client, Config, Variant};

/// Both variants, for tests that run the same scenario on each.
pub const VARIANTS: [Variant; 2] = [Variant::Web, Variant::Gateway];

/// The path prefix of trading/session paths for `variant` against a mock
/// server: the Web API client adds `/v1/api` to the host, the Gateway client
/// is configured with `…/v1/api` as its base.
pub fn prefix(_variant: Variant) -> &'static str {
    "/v1/api"
}

/// The configuration of a client of `variant` pointing at the mock server.
pub fn config(server: &MockServer, variant: Variant) -> Config {
    match variant {
        Variant::Web => Config::web(BearerToken::new("test-token")).base_url(server.base_url()),
        Variant::Gateway => Config::gateway().base_url(server.url("/v1/api")),
    }
}

/// A client of `variant` pointing at the mock server.
pub fn client(server: &MockServer, variant: Variant) -> Client {
    Client::new(config(server, variant)).expect("client")
}

/// A gateway client pointing at the mock server.
pub fn gateway(server: &MockServer) -> Client {
    client(server, Variant::Gateway)
}

/// A Web API client pointing at the mock server.
pub fn web(server: &MockServer) -> Client {
    client(server, Variant::Web)
}

/// The full path of `path` for `variant`.
pub fn path(variant: Variant, path: &str) -> String {
    format!("{}{}", prefix(variant), path)
}
