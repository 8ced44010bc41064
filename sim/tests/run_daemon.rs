//! `nlsim run --connect`: several commands share a daemon's state, and `ip monitor link`
//! receives the notification caused by another command.

mod run_support;
use run_support::{link_names, nlsim_cmd, nlsim_run, users, TempDir};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // SIGTERM: `nlsim run` forwards it to its command and then exits itself.
        // SAFETY: kill on a child we spawned and have not reaped.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

#[test]
fn ip_monitor_sees_another_commands_change() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("daemon");
        let sock = dir.path("d.sock");
        let sock_s = sock.to_str().expect("utf-8 path");
        let daemon = KillOnDrop(
            nlsim_cmd(
                u,
                &dir.0,
                &["daemon", "--socket", sock_s, "--netdevsim", "1:2"],
            )
            .spawn()
            .expect("daemon"),
        );
        let t0 = Instant::now();
        while !sock.exists() {
            assert!(t0.elapsed() < Duration::from_secs(10), "daemon socket");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut mon = KillOnDrop(
            nlsim_cmd(
                u,
                &dir.0,
                &["run", "--connect", sock_s, "--", "ip", "monitor", "link"],
            )
            .stdout(Stdio::piped())
            .spawn()
            .expect("monitor"),
        );
        let (tx, rx) = mpsc::channel();
        let stdout = mon.0.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // The monitor subscribes asynchronously: keep changing state until it reports one.
        let mut seen = None;
        'outer: for i in 0..20 {
            let name = format!("dummy{i}");
            nlsim_run(
                u,
                &dir.0,
                &[
                    "--connect",
                    sock_s,
                    "--",
                    "ip",
                    "link",
                    "add",
                    &name,
                    "type",
                    "dummy",
                ],
            )
            .ok("add dummy");
            let deadline = Instant::now() + Duration::from_millis(500);
            while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                if line.contains(": dummy") {
                    seen = Some(line);
                    break 'outer;
                }
            }
        }
        let seen = seen.expect("ip monitor reported no new link");
        assert!(seen.contains("<BROADCAST,NOARP>"), "{u:?}: {seen}");
        // The daemon kept all of it.
        let out = nlsim_run(u, &dir.0, &["--connect", sock_s, "--", "ip", "-o", "link"]).ok("show");
        let names = link_names(&out);
        assert_eq!(&names[..3], ["lo", "eth0", "eth1"], "{u:?}");
        assert!(
            names[3..].iter().all(|n| n.starts_with("dummy")),
            "{names:?}"
        );
        drop(mon);
        drop(daemon);
    }
}
