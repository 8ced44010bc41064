//! A daemon's control connection whose client sends requests and never reads the replies:
//! the daemon stops reading it once its replies back up (a bound, not a growth without
//! limit), the client's sends then block, and every accepted request is still answered, in
//! order, once the client reads.

use nlsim::control::{ControlRequest, Hello};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

mod daemon_support;
use daemon_support::start_daemon;

fn connect(path: &std::path::Path) -> OwnedFd {
    nlsim::unix_socket::connect(path).expect("connect to the daemon")
}

fn send(fd: &OwnedFd, msg: &[u8], flags: i32) -> isize {
    // SAFETY: sending from a live buffer.
    unsafe {
        libc::send(
            fd.as_raw_fd(),
            msg.as_ptr() as _,
            msg.len(),
            flags | libc::MSG_NOSIGNAL,
        )
    }
}

fn recv(fd: &OwnedFd, buf: &mut [u8]) -> isize {
    // SAFETY: receiving into a live buffer.
    unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr() as _, buf.len(), 0) }
}

#[test]
fn a_control_client_that_never_reads_is_not_read_either() {
    let dir = std::env::temp_dir().join(format!("nlsim-backlog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sock = dir.join("sim.sock");
    let _ = std::fs::remove_file(&sock);
    let _d = start_daemon(&sock, &[]);
    let ctl = connect(&sock);
    let mut buf = vec![0u8; 1 << 16];
    assert!(send(&ctl, &serde_json::to_vec(&Hello::Control).unwrap(), 0) > 0);
    assert!(recv(&ctl, &mut buf) > 0);
    // The state as JSON (a few KB): the daemon's bound (4 MiB of replies) is a few thousand.
    let req = serde_json::to_vec(&ControlRequest::DumpState).unwrap();
    let mut sent = 0u64;
    let mut blocked_since: Option<Instant> = None;
    loop {
        if send(&ctl, &req, libc::MSG_DONTWAIT) > 0 {
            sent += 1;
            blocked_since = None;
            assert!(
                sent < 100_000,
                "the daemon keeps reading a client that never reads"
            );
            continue;
        }
        let e = std::io::Error::last_os_error();
        assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}");
        // Blocked for good (not just while the daemon catches up): it stopped reading.
        let since = *blocked_since.get_or_insert_with(Instant::now);
        if since.elapsed() > Duration::from_secs(2) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("{sent} DumpState requests accepted before the daemon stopped reading");
    assert!(
        sent > 100,
        "only {sent} requests before the daemon stopped reading"
    );
    // Every accepted request is answered, in order, as the client reads.
    for i in 0..sent {
        let n = recv(&ctl, &mut buf);
        assert!(n > 0, "reply {i} of {sent}");
        assert!(
            buf[..n as usize].starts_with(b"{\"state\""),
            "{}",
            String::from_utf8_lossy(&buf[..n as usize])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
