//! The pacer against IBKR's documented limits, in paused tokio time.

use std::sync::Arc;
use std::time::Duration;

use ibkr_client::Error;
use ibkr_client::pacing::{Limit, Pacer, PacingRule, PacingTable, Rate};
use reqwest::Method;
use tokio::time::Instant;

const GET: Method = Method::GET;
const POST: Method = Method::POST;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Acquires `n` permits one after the other; returns their offsets from the start.
async fn offsets(pacer: &Pacer, method: &Method, path: &str, n: usize) -> Vec<Duration> {
    let start = Instant::now();
    let mut out = Vec::new();
    for _ in 0..n {
        let _permit = pacer.acquire(method, path).await.expect("permit");
        out.push(start.elapsed());
    }
    out
}

#[tokio::test(start_paused = true)]
async fn snapshot_is_spaced_at_ten_per_second() {
    let pacer = Pacer::new(PacingTable::gateway());
    let times = offsets(&pacer, &GET, "/iserver/marketdata/snapshot?conids=1", 21).await;
    for (i, t) in times.iter().enumerate() {
        assert_eq!(*t, ms(100) * i as u32, "request {i}");
    }
    // No window of one second holds more than 10 requests.
    for w in times.windows(11) {
        assert!(w[10] - w[0] >= Duration::from_secs(1));
    }
}

#[tokio::test(start_paused = true)]
async fn global_limit_applies_across_endpoints() {
    let pacer = Pacer::new(PacingTable::gateway());
    let start = Instant::now();
    for i in 0..30u32 {
        let path = format!("/iserver/contract/{i}/info");
        pacer.acquire(&GET, &path).await.unwrap();
    }
    // 30 requests at 10/s: the last one goes at 2.9 s.
    assert_eq!(start.elapsed(), ms(2900));
}

#[tokio::test(start_paused = true)]
async fn web_global_limit_is_fifty_per_second() {
    let pacer = Pacer::new(PacingTable::web());
    let start = Instant::now();
    for i in 0..51u32 {
        pacer
            .acquire(&GET, &format!("/iserver/contract/{i}/info"))
            .await
            .unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn five_second_endpoints_wait_then_give_up_beyond_max_wait() {
    let pacer = Pacer::new(PacingTable::gateway());
    let times = offsets(&pacer, &GET, "/iserver/account/orders", 3).await;
    assert_eq!(
        times,
        vec![ms(0), Duration::from_secs(5), Duration::from_secs(10)]
    );

    let strict = Pacer::new(PacingTable::gateway()).with_max_wait(Duration::from_secs(1));
    strict.acquire(&GET, "/portfolio/accounts").await.unwrap();
    let before = Instant::now();
    let err = strict
        .acquire(&GET, "/portfolio/accounts")
        .await
        .unwrap_err();
    assert_eq!(
        before.elapsed(),
        Duration::ZERO,
        "fails at once, without waiting"
    );
    match err {
        Error::RateLimited { endpoint, wait } => {
            assert_eq!(endpoint, "/portfolio/accounts");
            assert_eq!(wait, Duration::from_secs(5));
        }
        other => panic!("unexpected {other:?}"),
    }
    // The refused call did not use up a slot: after 5 s the next one passes at once.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let permit = strict.acquire(&GET, "/portfolio/accounts").await.unwrap();
    assert_eq!(permit.waited(), Duration::ZERO);
    assert_eq!(permit.endpoint(), Some("/portfolio/accounts"));
    // Another five-second endpoint is independent.
    strict
        .acquire(&GET, "/portfolio/subaccounts")
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn fifteen_minute_endpoints_fail_fast_with_default_max_wait() {
    let pacer = Pacer::new(PacingTable::gateway());
    pacer
        .acquire(&GET, "/iserver/scanner/params")
        .await
        .unwrap();
    let err = pacer
        .acquire(&GET, "/iserver/scanner/params")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { wait, .. } if wait == Duration::from_secs(900)),
        "{err:?}"
    );
    // `/pa/*` limits each concrete endpoint separately.
    pacer.acquire(&POST, "/pa/performance").await.unwrap();
    pacer.acquire(&POST, "/pa/summary").await.unwrap();
    assert!(matches!(
        pacer.acquire(&POST, "/pa/summary").await,
        Err(Error::RateLimited { .. })
    ));
    // `/sso/validate`: 1 per minute.
    pacer.acquire(&GET, "/sso/validate").await.unwrap();
    let err = pacer.acquire(&GET, "/sso/validate").await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { wait, .. } if wait == Duration::from_secs(60)));
}

#[tokio::test(start_paused = true)]
async fn one_per_second_endpoints() {
    let pacer = Pacer::new(PacingTable::gateway());
    for path in [
        "/tickle",
        "/fyi/unreadnumber",
        "/fyi/settings/M8",
        "/iserver/scanner/run",
    ] {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let times = offsets(&pacer, &POST, path, 3).await;
        assert_eq!(
            times,
            vec![ms(0), Duration::from_secs(1), Duration::from_secs(2)],
            "{path}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn history_allows_five_in_flight() {
    let pacer = Arc::new(Pacer::new(PacingTable::gateway()).with_max_wait(Duration::from_secs(3)));
    let path = "/iserver/marketdata/history?conid=265598&period=1d";
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(pacer.acquire(&GET, path).await.unwrap());
    }
    // The sixth waits for a slot; one is freed after 2 s.
    let p = pacer.clone();
    let sixth = tokio::spawn(async move {
        let start = Instant::now();
        let permit = p.acquire(&GET, path).await.unwrap();
        (start.elapsed(), permit)
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    held.pop();
    let (waited, _permit) = sixth.await.unwrap();
    assert_eq!(waited, Duration::from_secs(2));
    // With all five held for longer than the maximum wait, a call gives up.
    let start = Instant::now();
    let err = pacer.acquire(&GET, path).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_only_that_endpoint() {
    let pacer = Pacer::new(PacingTable::gateway()).with_max_wait(Duration::from_secs(120));
    pacer
        .acquire(&GET, "/iserver/account/trades")
        .await
        .unwrap();
    pacer.on_429("/v1/api/iserver/account/trades", None);
    assert!(pacer.paused_until("/iserver/account/trades").is_some());

    let paused_at = Instant::now();

    // Other endpoints are unaffected (beyond the global 100 ms spacing).
    let permit = pacer.acquire(&POST, "/tickle").await.unwrap();
    assert!(permit.waited() <= ms(100));
    let permit = pacer
        .acquire(&GET, "/iserver/contract/1/info")
        .await
        .unwrap();
    assert!(permit.waited() <= ms(100));

    // The paused endpoint waits the default 60 s.
    pacer
        .acquire(&GET, "/iserver/account/trades")
        .await
        .unwrap();
    assert_eq!(paused_at.elapsed(), Duration::from_secs(60));

    // Retry-After is honoured, also for endpoints without a rule.
    pacer.on_429("/iserver/contract/7/info", Some(Duration::from_secs(7)));
    let start = Instant::now();
    pacer
        .acquire(&GET, "/iserver/contract/7/info")
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(7));
    assert!(pacer.paused_until("/iserver/contract/7/info").is_none());

    // A pause longer than the maximum wait fails at once.
    pacer.on_429("/iserver/scanner/run", Some(Duration::from_secs(600)));
    let start = Instant::now();
    let err = pacer
        .acquire(&POST, "/iserver/scanner/run")
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert!(matches!(err, Error::RateLimited { wait, .. } if wait == Duration::from_secs(600)));
}

#[tokio::test(start_paused = true)]
async fn concurrent_waiters_are_served_in_order_and_spaced() {
    let pacer = Arc::new(Pacer::new(PacingTable::gateway()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..8u32 {
        let p = pacer.clone();
        tasks.push(tokio::spawn(async move {
            // Spawned in order; each registers before the next.
            tokio::time::sleep(ms(u64::from(i))).await;
            p.acquire(&POST, "/tickle").await.unwrap();
            (i, start.elapsed())
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    for (i, at) in results {
        assert_eq!(at, Duration::from_secs(u64::from(i)), "waiter {i}");
    }
}

#[tokio::test(start_paused = true)]
async fn queued_waiters_fail_fast_when_the_queue_is_too_long() {
    let pacer = Arc::new(Pacer::new(PacingTable::gateway()).with_max_wait(Duration::from_secs(3)));
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let p = pacer.clone();
        tasks.push(tokio::spawn(async move {
            let start = Instant::now();
            (p.acquire(&POST, "/tickle").await.is_ok(), start.elapsed())
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let (passed, waited) = t.await.unwrap();
        assert!(waited <= Duration::from_secs(3));
        if passed {
            ok += 1;
        }
    }
    // Slots at 0, 1, 2 and 3 s fit into 3 s of waiting; the others give up.
    assert_eq!(ok, 4);
}

#[tokio::test(start_paused = true)]
async fn the_table_can_be_overridden() {
    let table = PacingTable::gateway()
        .with_rule(
            "/iserver/marketdata/snapshot",
            Limit::Rate(Rate::per_second(2)),
        )
        .with_rule("/tickle", Limit::Unlimited)
        .with_rule(
            "/iserver/custom/*",
            Limit::Rate(Rate::one_per(Duration::from_secs(2))),
        )
        .with_global(Some(Rate::per_second(100)));
    assert_eq!(
        table
            .rule_for(&GET, "/v1/api/iserver/marketdata/snapshot?x=1")
            .unwrap()
            .limit(),
        Limit::Rate(Rate::per_second(2))
    );
    let pacer = Pacer::new(table);
    let times = offsets(&pacer, &GET, "/iserver/marketdata/snapshot", 3).await;
    assert_eq!(times, vec![ms(0), ms(500), ms(1000)]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let times = offsets(&pacer, &POST, "/tickle", 3).await;
    assert_eq!(times, vec![ms(0), ms(10), ms(20)]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let times = offsets(&pacer, &GET, "/iserver/custom/a", 2).await;
    assert_eq!(times, vec![ms(0), ms(2000)]);

    // Method-specific rules and removal.
    let table = PacingTable::gateway()
        .without_rule("/tickle")
        .with(PacingRule::new("/iserver/account/orders", Limit::Unlimited).for_method(POST));
    assert!(table.rule_for(&POST, "/tickle").is_none());
    assert_eq!(
        table
            .rule_for(&POST, "/iserver/account/orders")
            .unwrap()
            .limit(),
        Limit::Unlimited
    );
    assert_eq!(
        table
            .rule_for(&GET, "/iserver/account/orders")
            .unwrap()
            .limit(),
        Limit::Rate(Rate::one_per(Duration::from_secs(5)))
    );
}

#[tokio::test(start_paused = true)]
async fn documented_table_contents() {
    let t = PacingTable::gateway();
    assert_eq!(t.global(), Some(Rate::per_second(10)));
    assert_eq!(PacingTable::web().global(), Some(Rate::per_second(50)));
    let limit = |path: &str| t.rule_for(&GET, path).map(|r| r.limit());
    let every = |s: u64| Some(Limit::Rate(Rate::one_per(Duration::from_secs(s))));
    assert_eq!(
        limit("/iserver/marketdata/snapshot"),
        Some(Limit::Rate(Rate::per_second(10)))
    );
    assert_eq!(limit("/iserver/scanner/params"), every(900));
    assert_eq!(limit("/iserver/scanner/run"), every(1));
    assert_eq!(limit("/iserver/account/orders"), every(5));
    assert_eq!(limit("/iserver/account/trades"), every(5));
    assert_eq!(limit("/iserver/account/pnl/partitioned"), every(5));
    assert_eq!(limit("/portfolio/accounts"), every(5));
    assert_eq!(limit("/portfolio/subaccounts"), every(5));
    assert_eq!(limit("/pa/transactions"), every(900));
    assert_eq!(limit("/fyi/notifications"), every(1));
    assert_eq!(limit("/tickle"), every(1));
    assert_eq!(limit("/sso/validate"), every(60));
    assert_eq!(
        limit("/iserver/marketdata/history"),
        Some(Limit::Concurrent(5))
    );
    assert_eq!(limit("/iserver/account/U1/orders"), None);
    assert_eq!(limit("/portfolio/U1/positions/0"), None);
}

#[tokio::test(start_paused = true)]
async fn zero_max_wait_never_waits() {
    let pacer = Pacer::new(PacingTable::gateway()).with_max_wait(Duration::ZERO);
    pacer.acquire(&POST, "/tickle").await.unwrap();
    let err = pacer.acquire(&POST, "/tickle").await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { wait, .. } if wait == Duration::from_secs(1)));
    // Global limit too.
    let err = pacer.acquire(&GET, "/iserver/accounts").await.unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { endpoint, wait } if endpoint == "(global)" && *wait == ms(100)),
        "{err:?}"
    );
}
