//! Shared by the daemon tests: an `nlsim daemon` child that is killed at drop, started and
//! waited for until it accepts, and `nlsim dump --connect`.
// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Daemon(pub Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether a server accepts SEQPACKET connections at `path`.
pub fn accepts(path: &Path) -> bool {
    nlsim::unix_socket::connect(path).is_ok()
}

/// `nlsim daemon --socket SOCK EXTRA...`, once it accepts connections.
pub fn start_daemon(sock: &Path, extra: &[&str]) -> Daemon {
    let child = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .args(["daemon", "--socket"])
        .arg(sock)
        .args(extra)
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn nlsim daemon");
    let d = Daemon(child);
    let t = Instant::now();
    while !accepts(sock) {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "daemon did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    d
}

/// `nlsim dump --connect SOCK`: it must succeed; its stdout.
pub fn dump(sock: &Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .args(["dump", "--connect"])
        .arg(sock)
        .output()
        .expect("run nlsim dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
