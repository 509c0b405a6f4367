//! A total timeout bounds a whole operation, its retries and `Retry-After` waits included,
//! through both clients against the simulator.

use std::time::{Duration, Instant};

use mycpaas_core::retry::RetryPolicy;
use mycpaas_core::{CreateCall, Error};
use mycpaas_sim::Fault;
use mycpaas_tests::fixtures::{Settings, simulator};

#[test]
fn retries_and_their_waits_stop_at_the_total_timeout() {
    let sim = simulator(31);
    let patient = RetryPolicy::new(10, Duration::from_millis(10), Duration::from_secs(5));
    let settings = Settings::for_sim(&sim)
        .retry(patient)
        .total_timeout(Duration::from_millis(2500));
    for client in settings.both() {
        let name = client.name();
        let call = client
            .create(CreateCall::new("+15553000001", "+15550000000").twiml("<Response/>"))
            .unwrap();
        // Each 429 asks for a wait of 1 s; ten attempts would take 9 s.
        sim.faults().inject(
            Fault::RateLimited {
                retry_after_secs: 1,
            },
            10,
        );
        let started = Instant::now();
        let error = client.fetch(&call.sid).unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(&error, Error::Api(api) if api.status == 429),
            "{name}: {error:?}"
        );
        assert!(took < Duration::from_millis(2600), "{name}: took {took:?}");
        assert!(
            took >= Duration::from_secs(2),
            "{name}: gave up early: {took:?}"
        );
        assert_eq!(sim.faults().pending(), 7, "{name}: three attempts in 2.5 s");
        sim.faults().clear();
    }
}
