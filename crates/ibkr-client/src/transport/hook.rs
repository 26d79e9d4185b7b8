//! The escape hatch's way onto the request path (feature `low-level`: the
//! whole module, like the generated clients it serves, is compiled only
//! with it).
//!
//! The generated clients behind [`Client::web_api`](crate::Client::web_api)
//! and [`Client::gateway_api`](crate::Client::gateway_api) carry this hook:
//! their requests are paced, authenticated and (reads only) retried by the
//! same [`Transport::send`] as the facade's. Nothing travels in headers or
//! global state: the hook does all of it in `execute`. A request the
//! transport refuses before sending (no pacing slot in time, no
//! credentials) comes back to the generated client as a local answer
//! marked with the `x-ibkr-client-refused` header: 429 for pacing, 401 for
//! credentials, 400 otherwise, with `{"error": "…"}` saying why.

use std::sync::Arc;

use ibkr_ops::Class;
use reqwest::{Request, Response};

use super::{Failure, Sent, Transport};
use crate::error::Error;
use crate::transport::retry::OperationKind;

/// The header marking an answer the transport made up locally.
pub(crate) const REFUSED_HEADER: &str = "x-ibkr-client-refused";

/// The facade's hook in the generated clients.
pub(crate) struct TransportHook {
    pub(crate) transport: Arc<Transport>,
}

impl ibkr_api::RequestHook for TransportHook {
    fn on_request<'a>(
        &'a self,
        _request: &'a mut Request,
        _operation_id: &'static str,
    ) -> ibkr_api::BoxFuture<'a, std::result::Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> ibkr_api::BoxFuture<'a, reqwest::Result<Response>> {
        Box::pin(async move {
            let path = self.transport.relative_path(&request).to_string();
            let class = match OperationKind::classify(operation_id, request.method(), &path) {
                OperationKind::Read(_) => Class::Read,
                OperationKind::Write(_) => Class::Write,
                OperationKind::Order(_) => Class::Order,
            };
            match self
                .transport
                .send(operation_id, class, request, None)
                .await
            {
                Ok(Sent { response, .. }) => Ok(response),
                Err(Failure::Exchange(e)) => Err(e),
                Err(Failure::Local(e)) => Ok(refused(&e)),
            }
        })
    }
}

/// The local answer for a request refused before sending.
fn refused(error: &Error) -> Response {
    let status = match error {
        Error::RateLimited { .. } => 429,
        Error::NotAuthenticated(_) => 401,
        _ => 400,
    };
    let body = serde_json::json!({ "error": error.to_string() }).to_string();
    let mut builder = http::Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(REFUSED_HEADER, "1");
    if let Error::RateLimited { wait, .. } = error {
        builder = builder.header(http::header::RETRY_AFTER, wait.as_secs().max(1).to_string());
    }
    match builder.body(body) {
        Ok(response) => Response::from(response),
        Err(_) => Response::from(http::Response::new(String::new())),
    }
}
