//! The simulator's clock: a manual clock stands still across requests and moves only by
//! `Sim::advance` / `nlsim clock advance`; a real one follows the host; a saved state resumes
//! at its time; `nlsim clock` works against a daemon, an `nlsim run --listen` simulator and a
//! state file.
//!
//! TODO(addrconf DAD): no public `kernel_model::Timer` variant exists yet, so timers firing in
//! order and their notifications reaching a subscribed socket are tested in kernel-model's
//! unit tests (`src/time.rs`) only. Once the DAD helper adds its timer, add here: an
//! `ip -6 addr add` on an up device, a socket subscribed to RTNLGRP_IPV6_IFADDR, then
//! `Sim::advance(2s)` delivers the RTM_NEWADDR that clears IFA_F_TENTATIVE (pid 0, seq 0)
//! before the advance returns; and with a real clock, the same arrives without any request.

mod daemon_support;
mod run_support;
use daemon_support::start_daemon;
use nlsim::api::ClockMode;
use nlsim::kernel_model::Kernel;
use nlsim::{Sim, SimSocket};
use run_support::{nlsim_cmd, nlsim_run, run, TempDir, User};
use std::time::Duration;

/// RTM_GETLINK with NLM_F_REQUEST | NLM_F_DUMP, and an ifinfomsg.
fn getlink_dump(seq: u32) -> Vec<u8> {
    let mut b = vec![0u8; 32];
    b[0..4].copy_from_slice(&32u32.to_ne_bytes());
    b[4..6].copy_from_slice(&18u16.to_ne_bytes());
    b[6..8].copy_from_slice(&0x301u16.to_ne_bytes());
    b[8..12].copy_from_slice(&seq.to_ne_bytes());
    b
}

/// Sends a link dump and reads it to NLMSG_DONE: the datagrams' bytes.
fn dump_links(s: &SimSocket, seq: u32) -> Vec<Vec<u8>> {
    s.send(&getlink_dump(seq)).expect("send");
    let mut got = Vec::new();
    loop {
        let d = s.recv_timeout(5000).expect("dump reply");
        let done = u16::from_ne_bytes([d[4], d[5]]) == 3;
        got.push(d);
        if done {
            return got;
        }
    }
}

fn manual_sim() -> Sim {
    Sim::builder()
        .seed(3)
        .netdevsim(1, 2)
        .clock(ClockMode::Manual)
        .start()
        .expect("start")
}

#[test]
fn a_manual_clock_stands_still_across_requests() {
    let sim = manual_sim();
    let s = sim.connect().expect("connect");
    assert_eq!(sim.now().expect("now"), Duration::ZERO);
    dump_links(&s, 1);
    std::thread::sleep(Duration::from_millis(30));
    dump_links(&s, 2);
    assert_eq!(sim.now().expect("now"), Duration::ZERO);
}

#[test]
fn advance_moves_a_manual_clock_exactly() {
    let sim = manual_sim();
    assert_eq!(
        sim.advance(Duration::from_secs(3)).expect("advance"),
        Duration::from_secs(3)
    );
    assert_eq!(
        sim.advance(Duration::from_millis(250)).expect("advance"),
        Duration::from_millis(3250)
    );
    assert_eq!(sim.now().expect("now"), Duration::from_millis(3250));
    // The dumped state carries the time.
    let state = sim.dump_state().expect("state");
    assert_eq!(state["clock"]["now"], 3_250_000_000u64);
}

#[test]
fn two_manual_runs_give_the_same_bytes() {
    let once = || {
        let sim = manual_sim();
        let s = sim.connect_as(4242).expect("connect");
        let mut bytes = dump_links(&s, 1);
        sim.advance(Duration::from_millis(1500)).expect("advance");
        bytes.extend(dump_links(&s, 2));
        (bytes, sim.dump_state().expect("state"))
    };
    assert_eq!(once(), once());
}

#[test]
fn a_real_clock_follows_the_host_and_jumps_on_advance() {
    let sim = Sim::builder()
        .clock(ClockMode::Real)
        .start()
        .expect("start");
    let t0 = sim.now().expect("now");
    std::thread::sleep(Duration::from_millis(30));
    let t1 = sim.now().expect("now");
    assert!(t1 >= t0 + Duration::from_millis(30), "{t0:?} then {t1:?}");
    let t2 = sim.advance(Duration::from_secs(60)).expect("advance");
    assert!(t2 >= t1 + Duration::from_secs(60), "{t1:?} then {t2:?}");
    std::thread::sleep(Duration::from_millis(10));
    assert!(sim.now().expect("now") > t2);
}

#[test]
fn a_loaded_state_resumes_at_its_time() {
    let mut k = Kernel::new(1);
    k.advance_by(7_000_000_000);
    let k: Kernel = serde_json::from_value(serde_json::to_value(&k).expect("save")).expect("load");
    let manual = Sim::builder()
        .state(k.clone())
        .clock(ClockMode::Manual)
        .start()
        .expect("start");
    assert_eq!(manual.now().expect("now"), Duration::from_secs(7));
    let real = Sim::builder().state(k).start().expect("start");
    assert!(real.now().expect("now") >= Duration::from_secs(7));
}

/// `nlsim clock ARGS`: exit 0, its stdout.
fn nlsim_clock(dir: &TempDir, args: &[&str]) -> String {
    let mut full = vec!["clock"];
    full.extend_from_slice(args);
    run(nlsim_cmd(User::Current, &dir.0, &full)).ok(&format!("nlsim clock {args:?}"))
}

#[test]
fn nlsim_clock_against_a_daemon() {
    let dir = TempDir::new("clock-daemon");
    let sock = dir.path("d.sock");
    let _d = start_daemon(&sock, &["--clock", "manual", "--netdevsim", "1:1"]);
    let sock = sock.to_str().expect("utf-8");
    assert_eq!(
        nlsim_clock(&dir, &["show", "--connect", sock]),
        "now 0.000000000\nmode manual\ntimers 0\n"
    );
    assert_eq!(
        nlsim_clock(&dir, &["advance", "1.5s", "--connect", sock]),
        "now 1.500000000\nmode manual\ntimers 0\n"
    );
    assert_eq!(
        nlsim_clock(&dir, &["advance", "250ms", "--connect", sock]),
        "now 1.750000000\nmode manual\ntimers 0\n"
    );
}

#[test]
fn nlsim_clock_against_a_state_file() {
    require_seccomp!();
    let dir = TempDir::new("clock-state");
    let file = dir.path("s.json");
    let f = file.to_str().expect("utf-8");
    nlsim_run(
        User::Current,
        &dir.0,
        &["--state", f, "--clock", "manual", "--", "true"],
    )
    .ok("create the state");
    assert_eq!(
        nlsim_clock(&dir, &["show", "--state", f]),
        "now 0.000000000\ntimers 0\n"
    );
    assert_eq!(
        nlsim_clock(&dir, &["advance", "3s", "--state", f]),
        "now 3.000000000\ntimers 0\n"
    );
    assert_eq!(
        nlsim_clock(&dir, &["show", "--state", f]),
        "now 3.000000000\ntimers 0\n"
    );
    // A run on the state resumes at its time, and saves what the run's advances added.
    let sock = dir.path("run.sock");
    let s = sock.to_str().expect("utf-8");
    let bin = run_support::nlsim().to_str().expect("utf-8");
    let script = format!("{bin} clock advance 2s --connect {s} && {bin} clock show --connect {s}");
    let out = nlsim_run(
        User::Current,
        &dir.0,
        &[
            "--state", f, "--clock", "manual", "--listen", s, "--", "sh", "-c", &script,
        ],
    )
    .ok("nlsim run --listen");
    assert_eq!(
        out,
        "now 5.000000000\nmode manual\ntimers 0\nnow 5.000000000\nmode manual\ntimers 0\n"
    );
    assert!(!sock.exists(), "the --listen socket is removed at the end");
    assert_eq!(
        nlsim_clock(&dir, &["show", "--state", f]),
        "now 5.000000000\ntimers 0\n"
    );
}

#[test]
fn nlsim_clock_refuses_a_missing_state_file_and_a_bad_duration() {
    let dir = TempDir::new("clock-bad");
    let f = dir.path("none.json");
    let r = run(nlsim_cmd(
        User::Current,
        &dir.0,
        &[
            "clock",
            "advance",
            "1s",
            "--state",
            f.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("no such file"), "{r:?}");
    assert!(!f.exists());
    let r = run(nlsim_cmd(
        User::Current,
        &dir.0,
        &["clock", "advance", "3 fortnights", "--state", "x"],
    ));
    assert_eq!(r.code, 2, "{r:?}");
}
