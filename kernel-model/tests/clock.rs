//! The clock through the public API: a kernel boots at t = 0, time only moves when told, never
//! backwards, and a saved state resumes at the time it was saved. (Timer ordering is unit-tested
//! in `src/time.rs`, where a test-only timer exists.)

mod common;
use common::boot;
use kernel_model::time::{NSEC_PER_MSEC, NSEC_PER_SEC};
use kernel_model::Kernel;

#[test]
fn a_fresh_kernel_is_at_boot_with_nothing_pending() {
    let k = boot();
    assert_eq!(k.now(), 0);
    assert_eq!(k.now_centisecs(), 0);
    assert_eq!(k.next_timer(), None);
    assert!(!k.settling_pending());
}

#[test]
fn time_moves_only_forward_and_only_when_told() {
    let mut k = boot();
    k.advance_by(3 * NSEC_PER_SEC);
    assert_eq!(k.now(), 3 * NSEC_PER_SEC);
    assert_eq!(k.now_centisecs(), 300);
    k.advance_to(NSEC_PER_SEC);
    assert_eq!(k.now(), 3 * NSEC_PER_SEC);
    k.advance_to(3 * NSEC_PER_SEC + 250 * NSEC_PER_MSEC);
    // 3.25 s is 812 whole jiffies at HZ 250 (812.5 truncated): 324 hundredths, as the kernel
    // reports it.
    assert_eq!(k.now_centisecs(), 324);
    assert!(k.take_events().is_empty());
}

#[test]
fn a_saved_state_resumes_at_its_time() {
    let mut k = boot();
    k.advance_by(42 * NSEC_PER_MSEC);
    let json = serde_json::to_string(&k).expect("serialise");
    let back: Kernel = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back.now(), 42 * NSEC_PER_MSEC);
    assert_eq!(back.next_timer(), None);
}
