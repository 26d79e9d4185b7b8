//! A `RequestHook` sees and may change every request of a generated client,
//! and sees every response: the seam for authentication and pacing.

use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use ibkr_api::{BoxFuture, Hooks, RequestHook};
use ibkr_api_mock::web::MockServerExt;
use ibkr_tests::from_json;
use serde_json::json;

#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<(String, u16)>>,
}

impl RequestHook for Recorder {
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            if operation_id == "logout_post" {
                return Err("refused by hook".to_string());
            }
            request
                .headers_mut()
                .insert("authorization", "Bearer test-token".parse().unwrap());
            Ok(())
        })
    }

    fn on_response(&self, result: &reqwest::Result<reqwest::Response>, operation_id: &'static str) {
        let status = result.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
        self.seen
            .lock()
            .unwrap()
            .push((operation_id.to_string(), status));
    }
}

#[tokio::test]
async fn hooks_sign_requests_observe_responses_and_can_refuse() {
    let server = MockServer::start_async().await;
    let recorder = Arc::new(Recorder::default());
    let client = ibkr_api::web::Client::new(&server.base_url(), Hooks::new(recorder.clone()));
    let mock = server.tickle_post(|when, then| {
        when.into_inner()
            .header("authorization", "Bearer test-token");
        then.ok(&from_json(json!({"session": "s"})));
    });
    client.tickle_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(
        *recorder.seen.lock().unwrap(),
        vec![("tickle_post".to_string(), 200)]
    );

    match client.logout_post().await {
        Err(ibkr_api::Error::Custom(message)) => assert_eq!(message, "refused by hook"),
        other => panic!("expected the hook's refusal, got {other:?}"),
    }
    assert_eq!(
        recorder.seen.lock().unwrap().len(),
        1,
        "a refused request is never sent"
    );
    assert!(format!("{:?}", Hooks::new(recorder)).contains("installed: true"));
}

/// Sends each request a second time when the first answer is a 503, through
/// the generated Gateway client.
#[derive(Default)]
struct ResendOn503 {
    sent: Mutex<u32>,
}

impl RequestHook for ResendOn503 {
    fn on_request<'a>(
        &'a self,
        _request: &'a mut reqwest::Request,
        _operation_id: &'static str,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        Box::pin(async move {
            let spare = request.try_clone();
            *self.sent.lock().unwrap() += 1;
            let first = client.execute(request).await?;
            match spare {
                Some(again) if first.status() == 503 => {
                    *self.sent.lock().unwrap() += 1;
                    client.execute(again).await
                }
                _ => Ok(first),
            }
        })
    }
}

#[tokio::test]
async fn hooks_can_take_over_sending() {
    let server = MockServer::start_async().await;
    let hook = Arc::new(ResendOn503::default());
    let client = ibkr_api::gateway::Client::new(&server.base_url(), Hooks::new(hook.clone()));
    let busy = server
        .mock_async(|when, then| {
            when.method("POST").path("/tickle");
            then.status(503);
        })
        .await;
    // The hook sends twice and returns the last answer, which the generated
    // client then decodes as usual.
    assert!(client.tickle_post().await.is_err());
    assert_eq!(busy.calls_async().await, 2);
    assert_eq!(*hook.sent.lock().unwrap(), 2);
}
