//! Starting the command: a vfork-style child (`clone(CLONE_VM | CLONE_VFORK | CLONE_FILES)`,
//! what glibc's `posix_spawn` does) that installs the seccomp filter and execs.
//!
//! Why not `fork` + a handshake: `nlsim` is a large, multi-threaded process, so `fork` copies
//! its page tables and then pays copy-on-write faults in both processes, and a handshake to
//! pass the listener fd costs two wake-ups of the supervisor thread. Here the child shares our
//! memory and fd table until `exec`: the listener fd it gets from `seccomp()` lands in our
//! table directly (exec then unshares the child's table and closes the fd there, as the
//! kernel creates listeners O_CLOEXEC), and the child reports through shared memory. We are
//! suspended until the child has exec'd or exited (CLONE_VFORK), so nothing races it.
//!
//! The child runs on its own stack in our address space, while our other threads run on: it
//! makes raw system calls only, on memory prepared before the clone, and never allocates,
//! locks or unwinds.

use crate::filter;
use std::ffi::{CString, OsStr, OsString};
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::sync::atomic::{AtomicI32, Ordering};

/// The child's stack: its deepest frames are the signal reset loop and `execve`.
const CHILD_STACK: usize = 256 * 1024;
/// Highest signal number (`_NSIG - 1` on Linux).
const MAX_SIGNAL: i32 = 64;

/// What the child leaves for the parent, in memory both see.
struct Report {
    /// The listener fd number, once the filter is installed (-1 before).
    listener: AtomicI32,
    /// The errno of the failing step (0: the child exec'd).
    errno: AtomicI32,
    /// Whether the failing step was the filter install (else `execve`).
    filter_failed: AtomicI32,
}

/// Everything the child reads, prepared (and owned) by the parent before the clone.
struct ChildArgs<'a> {
    prog: &'a [libc::sock_filter],
    /// Candidate paths for the program, in `execvp` order (PATH search done as execvp does it).
    paths: &'a [CString],
    /// `argv` as pointers, NULL-terminated.
    argv: &'a [*const libc::c_char],
    /// `/bin/sh PATH args...` for an ENOEXEC program (execvp runs it with the shell); slot 1
    /// is the candidate path, written by the child.
    sh_argv: *mut *const libc::c_char,
    envp: *const *const libc::c_char,
    /// Our signal mask before we blocked everything for the clone.
    mask: &'a libc::sigset_t,
    report: &'a Report,
}

/// The command as started: its pid and the listener fd of its seccomp filter.
pub(crate) struct Spawned {
    pub pid: libc::pid_t,
    pub listener: OwnedFd,
}

/// Why the command did not start.
pub(crate) enum SpawnError {
    /// Installing the filter failed with this errno (the mechanism is unavailable).
    Filter(i32),
    /// `execve` failed (not found, not executable, ...).
    Exec(io::Error),
    /// `clone` itself failed.
    Clone(io::Error),
}

fn cstring(s: &OsStr) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// The paths `execvp(prog)` tries, in order: `prog` itself if it contains a slash, else each
/// PATH entry (an empty entry is the current directory; the default when PATH is unset is
/// glibc's "/bin:/usr/bin").
fn candidates(prog: &OsStr) -> io::Result<Vec<CString>> {
    if prog.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    if prog.as_bytes().contains(&b'/') {
        return Ok(vec![cstring(prog)?]);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/bin:/usr/bin"));
    path.as_bytes()
        .split(|b| *b == b':')
        .map(|dir| {
            let mut p = if dir.is_empty() {
                b".".to_vec()
            } else {
                dir.to_vec()
            };
            p.push(b'/');
            p.extend_from_slice(prog.as_bytes());
            cstring(&OsString::from_vec(p))
        })
        .collect()
}

/// The child: reset signal handlers, install the filter, restore the signal mask, exec.
extern "C" fn child_main(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the parent's ChildArgs, alive until we exec or exit (the parent is
    // suspended by CLONE_VFORK until then).
    let a = unsafe { &*(arg as *const ChildArgs<'_>) };
    // Handlers are our code in memory we share with the parent: the command must start with
    // default dispositions for every caught signal, and with SIGPIPE at its default (Rust
    // ignores it in this process; std's Command restores it for children likewise).
    for sig in 1..=MAX_SIGNAL {
        // SAFETY: querying and setting dispositions with zeroed/owned sigaction structs.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 {
                continue;
            }
            let caught = old.sa_sigaction != libc::SIG_DFL && old.sa_sigaction != libc::SIG_IGN;
            if caught || sig == libc::SIGPIPE {
                let mut dfl: libc::sigaction = std::mem::zeroed();
                dfl.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(sig, &dfl, std::ptr::null_mut());
            }
        }
    }
    match filter::install(a.prog) {
        Ok(fd) => a.report.listener.store(fd, Ordering::Relaxed),
        Err(e) => {
            a.report.filter_failed.store(1, Ordering::Relaxed);
            a.report.errno.store(e, Ordering::Relaxed);
            // SAFETY: _exit never returns and touches no shared state.
            unsafe { libc::_exit(127) };
        }
    }
    // SAFETY: restoring the mask the parent had; the pointer is the parent's live sigset.
    unsafe { libc::sigprocmask(libc::SIG_SETMASK, a.mask, std::ptr::null_mut()) };
    // execvp's loop: the first error other than ENOENT/ENOTDIR/... is kept, EACCES is
    // remembered and reported if nothing else is found.
    let mut saw_eacces = false;
    let mut err = libc::ENOENT;
    for path in a.paths {
        // SAFETY: NUL-terminated path and NULL-terminated pointer arrays owned by the parent.
        unsafe { libc::execve(path.as_ptr(), a.argv.as_ptr(), a.envp) };
        // SAFETY: errno of this thread (we run on the parent thread's TLS, which is
        // suspended and does not read it until we are gone).
        let e = unsafe { *libc::__errno_location() };
        match e {
            libc::ENOEXEC => {
                // SAFETY: slot 1 of the parent's sh argv array is ours to fill; /bin/sh
                // runs the file as a script, as execvp does.
                unsafe {
                    *a.sh_argv.add(1) = path.as_ptr();
                    libc::execve(c"/bin/sh".as_ptr(), a.sh_argv, a.envp);
                    err = *libc::__errno_location();
                }
                break;
            }
            libc::EACCES => saw_eacces = true,
            libc::ENOENT | libc::ENOTDIR | libc::ESTALE | libc::ENODEV | libc::ETIMEDOUT => {}
            _ => {
                err = e;
                break;
            }
        }
    }
    if err == libc::ENOENT && saw_eacces {
        err = libc::EACCES;
    }
    a.report.errno.store(err, Ordering::Relaxed);
    // SAFETY: _exit never returns and touches no shared state.
    unsafe { libc::_exit(127) }
}

/// Starts `argv` with `prog` installed as its seccomp filter. Returns once the command has
/// exec'd (or failed to).
/// `preload`: the target's LD_PRELOAD instead of ours.
pub(crate) fn spawn(
    prog: &[libc::sock_filter],
    argv: &[OsString],
    preload: Option<&OsString>,
) -> Result<Spawned, SpawnError> {
    let exec_err = SpawnError::Exec;
    let first = argv
        .first()
        .ok_or_else(|| exec_err(io::Error::from_raw_os_error(libc::ENOENT)))?;
    let paths = candidates(first).map_err(SpawnError::Exec)?;
    let args: Vec<CString> = argv
        .iter()
        .map(|a| cstring(a))
        .collect::<io::Result<_>>()
        .map_err(SpawnError::Exec)?;
    let mut argv_ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    let mut sh_argv: Vec<*const libc::c_char> = vec![c"/bin/sh".as_ptr(), std::ptr::null()];
    sh_argv.extend(args.iter().skip(1).map(|a| a.as_ptr()));
    sh_argv.push(std::ptr::null());
    extern "C" {
        static environ: *const *const libc::c_char;
    }
    let report = Report {
        listener: AtomicI32::new(-1),
        errno: AtomicI32::new(0),
        filter_failed: AtomicI32::new(0),
    };
    // SAFETY: sigset_t is plain old data, filled by sigfillset/pthread_sigmask below.
    let mut all: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut mask: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: sigfillset on an owned set.
    unsafe { libc::sigfillset(&mut all) };
    let env_strings = preload
        .map(with_ld_preload)
        .transpose()
        .map_err(SpawnError::Exec)?;
    let env_ptrs: Option<Vec<*const libc::c_char>> = env_strings.as_ref().map(|v| {
        let mut p: Vec<_> = v.iter().map(|s| s.as_ptr()).collect();
        p.push(std::ptr::null());
        p
    });
    let envp = match &env_ptrs {
        Some(p) => p.as_ptr(),
        // SAFETY: reading `environ`, which we do not modify.
        None => unsafe { environ },
    };
    let mut stack = vec![0u8; CHILD_STACK];
    // The stack grows down from its (16-byte aligned) top.
    let top = (stack.as_mut_ptr() as usize + CHILD_STACK) & !15;
    // No handler of ours may run in the child before it has reset them: block everything
    // across the clone (the child restores `mask` just before exec).
    // SAFETY: pthread_sigmask with owned sets.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut mask) };
    let args_for_child = ChildArgs {
        prog,
        paths: &paths,
        argv: &argv_ptrs,
        sh_argv: sh_argv.as_mut_ptr(),
        envp,
        mask: &mask,
        report: &report,
    };
    // SAFETY: the child runs child_main on its own stack with `args_for_child`, which stays
    // alive and unmoved until clone returns (CLONE_VFORK: after the child's exec or exit).
    let pid = unsafe {
        libc::clone(
            child_main,
            top as *mut libc::c_void,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::CLONE_FILES | libc::SIGCHLD,
            &args_for_child as *const ChildArgs<'_> as *mut libc::c_void,
        )
    };
    let clone_err = io::Error::last_os_error();
    // SAFETY: restoring our own mask.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &mask, std::ptr::null_mut()) };
    drop(stack);
    if pid < 0 {
        return Err(SpawnError::Clone(clone_err));
    }
    let listener = report.listener.load(Ordering::Relaxed);
    // SAFETY: the child put the listener in our (shared) fd table; nobody else owns it.
    let listener = (listener >= 0).then(|| unsafe { OwnedFd::from_raw_fd(listener) });
    let errno = report.errno.load(Ordering::Relaxed);
    if errno == 0 {
        if let Some(listener) = listener {
            return Ok(Spawned { pid, listener });
        }
    }
    // The child exited with 127 without running the command: reap it.
    let mut status = 0;
    // SAFETY: waiting for our own child.
    while unsafe { libc::waitpid(pid, &mut status, 0) } < 0
        && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted
    {}
    if report.filter_failed.load(Ordering::Relaxed) != 0 {
        return Err(SpawnError::Filter(errno));
    }
    Err(SpawnError::Exec(io::Error::from_raw_os_error(
        if errno == 0 { libc::ECHILD } else { errno },
    )))
}

/// Our environment with `LD_PRELOAD` set to `preload`.
fn with_ld_preload(preload: &OsString) -> io::Result<Vec<CString>> {
    let mut out = Vec::new();
    for (k, v) in std::env::vars_os() {
        if k == "LD_PRELOAD" {
            continue;
        }
        let mut kv = k;
        kv.push("=");
        kv.push(v);
        out.push(cstring(&kv)?);
    }
    let mut kv = OsString::from("LD_PRELOAD=");
    kv.push(preload);
    out.push(cstring(&kv)?);
    Ok(out)
}
