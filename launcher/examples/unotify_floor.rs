//! The floor under `nlsim run`'s per-request cost: what one seccomp user notification costs
//! on this machine, beside the native system call, with the supervisor doing nothing but
//! answering. Every emulated receive pays at least one such round trip (iproute2 makes two
//! per request: a `MSG_PEEK | MSG_TRUNC` receive for the length, then the real one).
//!
//!     cargo run --release -p nlsim-launcher --example unotify_floor [ITERS] [RUNS]
//!
//! Each line is the median of RUNS runs of ITERS calls (min and max beside it), timed inside
//! the target process:
//!
//! - `native getppid`: the system call with no filter at all;
//! - `filtered getppid, allowed`: behind a seccomp filter that lets it through (BPF cost);
//! - `notified, answered`: the filter sends it to the supervisor, which answers a value;
//! - `notified, read+write+answer`: as a receive does it: one `process_vm_readv` of the
//!   target's msghdr and one `process_vm_writev` of a 36-byte reply, then the answer;
//! - `notified, CONTINUE`: the supervisor lets the kernel run the call;
//! - `SEQPACKET ping-pong`: a datagram to another process and its echo back, the
//!   cheapest cross-process request/reply without seccomp (what a netlink request costs the
//!   kernel's client at least in wake-ups, for scale).
//!
//! Everything here is this example's own: it does not use the launcher's code, so the figure
//! is the mechanism's, not nlsim's.

use std::time::Instant;

const SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP: u64 = 1;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Native,
    Allowed,
    Answer,
    ReadWrite,
    Continue,
}

fn filter(mode: Mode) -> Vec<libc::sock_filter> {
    let stmt = |code: u16, k: u32| libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    };
    let jeq = |k: u32, jt: u8, jf: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt,
        jf,
        k,
    };
    let action = if mode == Mode::Allowed {
        libc::SECCOMP_RET_ALLOW
    } else {
        libc::SECCOMP_RET_USER_NOTIF
    };
    vec![
        stmt((libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16, 0),
        jeq(libc::SYS_getppid as u32, 0, 1),
        stmt((libc::BPF_RET | libc::BPF_K) as u16, action),
        stmt(
            (libc::BPF_RET | libc::BPF_K) as u16,
            libc::SECCOMP_RET_ALLOW,
        ),
    ]
}

fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime into a live timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn write_u64(fd: i32, v: u64) {
    // SAFETY: writing 8 bytes from a live u64.
    unsafe { libc::write(fd, &v as *const u64 as *const libc::c_void, 8) };
}

fn read_u64(fd: i32) -> Option<u64> {
    let mut v = 0u64;
    // SAFETY: reading 8 bytes into a live u64.
    let n = unsafe { libc::read(fd, &mut v as *mut u64 as *mut libc::c_void, 8) };
    (n == 8).then_some(v)
}

/// The target: installs the filter (unless native), reports the listener's fd number, waits
/// for the go, makes `iters` calls and reports the nanoseconds they took.
fn target(mode: Mode, iters: u64, to_parent: i32, from_parent: i32) -> ! {
    let mut listener = -1i64;
    if mode != Mode::Native {
        let prog = filter(mode);
        let fprog = libc::sock_fprog {
            len: prog.len() as u16,
            filter: prog.as_ptr() as *mut libc::sock_filter,
        };
        // SAFETY: prctl and seccomp with a live program.
        unsafe {
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            listener = libc::syscall(
                libc::SYS_seccomp,
                libc::SECCOMP_SET_MODE_FILTER,
                libc::SECCOMP_FILTER_FLAG_NEW_LISTENER,
                &fprog as *const libc::sock_fprog,
            );
        }
        if listener < 0 {
            // SAFETY: leaving the child.
            unsafe { libc::_exit(2) };
        }
    }
    write_u64(to_parent, listener as u64);
    let _ = read_u64(from_parent);
    let t = now_ns();
    for _ in 0..iters {
        // SAFETY: getppid has no arguments and no effects.
        unsafe { libc::syscall(libc::SYS_getppid) };
    }
    write_u64(to_parent, now_ns() - t);
    // SAFETY: leaving the child.
    unsafe { libc::_exit(0) }
}

fn pipe() -> (i32, i32) {
    let mut p = [0; 2];
    // SAFETY: pipe writes two fds.
    unsafe { libc::pipe(p.as_mut_ptr()) };
    (p[0], p[1])
}

/// One run: ns per call.
fn run(mode: Mode, iters: u64) -> f64 {
    let (up_r, up_w) = pipe();
    let (down_r, down_w) = pipe();
    // SAFETY: the example is single-threaded; the child only makes system calls.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        target(mode, iters, up_w, down_r);
    }
    let Some(fd_no) = read_u64(up_r) else {
        eprintln!("unotify_floor: the target did not start");
        std::process::exit(1);
    };
    let mut listener = -1;
    if mode != Mode::Native {
        // SAFETY: pidfd_open/pidfd_getfd with checked results.
        unsafe {
            let pidfd = libc::syscall(libc::SYS_pidfd_open, pid, 0) as i32;
            listener = libc::syscall(libc::SYS_pidfd_getfd, pidfd, fd_no as i32, 0) as i32;
            libc::close(pidfd);
            libc::ioctl(
                listener,
                libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
            );
        }
        if listener < 0 {
            eprintln!("unotify_floor: pidfd_getfd failed (Linux >= 5.6 and ptrace rights)");
            std::process::exit(1);
        }
    }
    write_u64(down_w, 1);
    if !matches!(mode, Mode::Native | Mode::Allowed) {
        serve(mode, listener, iters);
    }
    let ns = read_u64(up_r).unwrap_or(0);
    let mut st = 0;
    // SAFETY: reaping our child; closing our fds.
    unsafe {
        libc::waitpid(pid, &mut st, 0);
        for fd in [up_r, up_w, down_r, down_w, listener] {
            if fd >= 0 {
                libc::close(fd);
            }
        }
    }
    ns as f64 / iters as f64
}

fn serve(mode: Mode, listener: i32, iters: u64) {
    let mut scratch = [0u8; 56];
    let reply = [7u8; 36];
    for _ in 0..iters {
        // SAFETY: seccomp_notif is plain old data; the kernel wants it zeroed.
        let mut n: libc::seccomp_notif = unsafe { std::mem::zeroed() };
        // SAFETY: ioctl with a buffer of the encoded size.
        if unsafe { libc::ioctl(listener, libc::SECCOMP_IOCTL_NOTIF_RECV, &mut n) } < 0 {
            return;
        }
        if mode == Mode::ReadWrite {
            // As a receive does: read the target's msghdr, check the id, write the reply.
            // The target is our fork, so TARGET_BUF has the same address there.
            let tid = n.pid as i32;
            let iov = |base: *const u8, len: usize| libc::iovec {
                iov_base: base as *mut libc::c_void,
                iov_len: len,
            };
            let target = std::ptr::addr_of!(TARGET_BUF) as *const u8;
            let (local, remote) = (iov(scratch.as_mut_ptr(), scratch.len()), iov(target, 56));
            let (wlocal, wremote) = (iov(reply.as_ptr(), reply.len()), iov(target, reply.len()));
            // SAFETY: local buffers are ours; the remote ones are checked by the kernel.
            unsafe {
                libc::process_vm_readv(tid, &local, 1, &remote, 1, 0);
                let mut id = n.id;
                libc::ioctl(listener, libc::SECCOMP_IOCTL_NOTIF_ID_VALID, &mut id);
                libc::process_vm_writev(tid, &wlocal, 1, &wremote, 1, 0);
            }
        }
        let mut resp = libc::seccomp_notif_resp {
            id: n.id,
            val: 0,
            error: 0,
            flags: if mode == Mode::Continue {
                libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32
            } else {
                0
            },
        };
        // SAFETY: ioctl with a live response.
        unsafe { libc::ioctl(listener, libc::SECCOMP_IOCTL_NOTIF_SEND, &mut resp) };
    }
}

/// Memory at the same address in the forked target, read and written by `ReadWrite`.
static mut TARGET_BUF: [u8; 64] = [0; 64];

/// A datagram and its echo between two processes over a SEQPACKET socketpair: ns per round.
fn ping_pong(iters: u64) -> f64 {
    let mut sv = [0; 2];
    // SAFETY: socketpair writes two fds.
    unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET, 0, sv.as_mut_ptr()) };
    let msg = [1u8; 36];
    let mut buf = [0u8; 256];
    // SAFETY: single-threaded fork; the child only makes system calls.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        for _ in 0..iters {
            // SAFETY: echo loop on live buffers.
            unsafe {
                let n = libc::recv(sv[1], buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0);
                libc::send(
                    sv[1],
                    buf.as_ptr() as *const libc::c_void,
                    n.max(0) as usize,
                    0,
                );
            }
        }
        // SAFETY: leaving the child.
        unsafe { libc::_exit(0) };
    }
    let t = Instant::now();
    for _ in 0..iters {
        // SAFETY: request/reply on live buffers.
        unsafe {
            libc::send(sv[0], msg.as_ptr() as *const libc::c_void, msg.len(), 0);
            libc::recv(sv[0], buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0);
        }
    }
    let ns = t.elapsed().as_nanos() as f64 / iters as f64;
    let mut st = 0;
    // SAFETY: reaping our child, closing our fds.
    unsafe {
        libc::waitpid(pid, &mut st, 0);
        libc::close(sv[0]);
        libc::close(sv[1]);
    }
    ns
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iters: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let modes = [
        ("native getppid", Some(Mode::Native)),
        ("filtered getppid, allowed", Some(Mode::Allowed)),
        ("notified, answered", Some(Mode::Answer)),
        ("notified, read+write+answer", Some(Mode::ReadWrite)),
        ("notified, CONTINUE", Some(Mode::Continue)),
        ("SEQPACKET ping-pong (2 processes)", None),
    ];
    let mut results: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    // Interleaved: every mode sees the same machine load.
    for _ in 0..runs {
        for (i, (_, m)) in modes.iter().enumerate() {
            results[i].push(match m {
                Some(m) => run(*m, iters),
                None => ping_pong(iters),
            });
        }
    }
    println!("{iters} calls per run, {runs} interleaved runs, median (min-max), per call:");
    for ((name, _), r) in modes.iter().zip(results) {
        let (med, min, max) = stats(r);
        println!(
            "  {name:<36} {:8.2} us  ({:.2}-{:.2})",
            med / 1e3,
            min / 1e3,
            max / 1e3
        );
    }
}
