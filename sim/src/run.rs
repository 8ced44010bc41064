//! `nlsim run [OPTIONS] -- CMD ARGS...`: runs CMD with every NETLINK_ROUTE socket of it and its
//! descendants served by a simulator: an embedded one (a fresh namespace, or `--state FILE`)
//! or a running daemon (`--connect PATH`). The mechanism is the `nlsim-launcher` crate; this
//! module connects it to the simulator and handles the state file.

use crate::model_args::{builder, ModelArgs};
use nlsim::control::{ControlReply, ControlRequest, Hello, NetnsRequest};
use nlsim::kernel_model::inet::devinet_ioctl::InetIfreq;
use nlsim::kernel_model::kinds::tun::TunCred;
use nlsim::kernel_model::Kernel;
use nlsim::server::HostedSim;
use nlsim::unix_socket::{open_data, ControlClient};
use nlsim_launcher::{
    Backend, DataConn, Errno, Ifreq, NetnsAnswer, SysctlAnswer, SysctlRequest, SysfsError, TunIoctl,
};
use std::ffi::OsString;
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Load the model from FILE if it exists (JSON, as `nlsim dump` prints) and save it there
    /// when CMD exits (atomic replace). --netdevsim devices are added on top of a loaded state.
    #[arg(long, value_name = "FILE", conflicts_with = "connect")]
    state: Option<PathBuf>,
    /// Use a running `nlsim daemon` at PATH instead of an embedded simulator.
    #[arg(long, value_name = "PATH", conflicts_with = "netdevsim")]
    connect: Option<PathBuf>,
    /// Write every request and reply of the embedded simulator, decoded, one per line, to
    /// FILE (a daemon is traced by its own process instead).
    #[arg(long, value_name = "FILE", conflicts_with = "connect")]
    trace: Option<PathBuf>,
    /// Write the netlink traffic an UP nlmon device sees to FILE as pcap (LINKTYPE_NETLINK,
    /// readable by tshark/Wireshark), like `tcpdump -i nlmon0 -w FILE` would (embedded
    /// simulator; a daemon takes its own --capture).
    #[arg(long, value_name = "FILE", conflicts_with = "connect")]
    capture: Option<PathBuf>,
    /// Also serve the embedded simulator on a unix socket at PATH (created mode 0600, removed
    /// when CMD exits), as a daemon does: `nlsim clock advance --connect PATH` or
    /// `nlsim dump --connect PATH` reach it while CMD runs.
    #[arg(long, value_name = "PATH", conflicts_with = "connect")]
    listen: Option<PathBuf>,
    /// Receive fast path (off by default): a small library preloaded into dynamically linked
    /// programs (LD_PRELOAD) receives netlink replies of the embedded simulator natively
    /// instead of trapping each receive; static binaries, Go and --connect keep the trapped
    /// path. Also on with NLSIM_PRELOAD=1. Off by default for now: see BENCHMARKS.md, issue 14.
    #[arg(long, conflicts_with = "no_preload")]
    preload: bool,
    /// Every receive is trapped (the default; overrides NLSIM_PRELOAD=1).
    #[arg(long)]
    no_preload: bool,
    /// The command and its arguments.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    cmd: Vec<OsString>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("state file {path}: {source}")]
    StateIo { path: PathBuf, source: io::Error },
    #[error("state file {path}: {source}")]
    StateJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// The JSON parses but breaks an invariant the model relies on: refused before the first
    /// request, the file left as it is.
    #[error(
        "state file {path}: inconsistent state, refused (the file is left untouched): {source}"
    )]
    StateInvalid {
        path: PathBuf,
        source: nlsim::kernel_model::Violation,
    },
    #[error("simulator: {0}")]
    Sim(io::Error),
    #[error("daemon at {path}: {source}")]
    Daemon { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Launch(#[from] nlsim_launcher::Error),
}

fn reply_errno(r: ControlReply) -> Errno {
    match r {
        ControlReply::Err { errno, .. } => Errno(errno),
        _ => Errno(libc::EIO),
    }
}

/// How the supervisor's requests reach a simulator: the one difference between an embedded
/// simulator and a daemon. [`SimBackend`] builds every [`Backend`] operation on it.
trait Transport: Send + Sync {
    /// One control request, its reply.
    fn control(&self, req: ControlRequest) -> Result<ControlReply, Errno>;
    /// A new data connection (a netlink socket of `pid`, created by thread `tid`).
    fn connect(&self, pid: u32, tid: Option<u32>) -> io::Result<DataConn>;
    /// The socket's pending error, for a transport that does not send it in-band.
    fn take_error(&self, conn: u64) -> Option<Errno>;
    /// Whether some socket has an error to take (see `Backend::errors_pending`).
    fn errors_pending(&self) -> bool {
        false
    }
    /// A simulator the supervisor runs on its own thread: see `Backend::work_fd`.
    fn work_fd(&self) -> Option<RawFd> {
        None
    }
    /// See `Backend::serve`.
    fn serve(&self) -> i32 {
        -1
    }
}

/// The simulator in this process, served on the supervisor's thread: a trapped receive runs
/// it and finds the reply ready, with no hand-off to another thread.
struct Embedded(Arc<HostedSim>);

impl Transport for Embedded {
    fn control(&self, req: ControlRequest) -> Result<ControlReply, Errno> {
        self.0.control(req).map_err(Errno::from)
    }
    fn connect(&self, pid: u32, tid: Option<u32>) -> io::Result<DataConn> {
        let (fd, id) = self.0.connect_as_thread(pid, tid.unwrap_or(pid))?;
        Ok(DataConn { fd, id })
    }
    fn work_fd(&self) -> Option<RawFd> {
        Some(self.0.work_fd())
    }
    fn serve(&self) -> i32 {
        self.0.serve()
    }
    fn errors_pending(&self) -> bool {
        self.0.errors_pending()
    }
    fn take_error(&self, conn: u64) -> Option<Errno> {
        // The simulator is in this process: a pending error is asked for before the receive,
        // so it comes first, as sock_error() does in the kernel.
        if !self.0.errors_pending() {
            return None;
        }
        match self.0.control(ControlRequest::TakeError { conn }) {
            Ok(ControlReply::Value { val }) if val != 0 => Some(Errno(val as i32)),
            _ => None,
        }
    }
}

/// A running `nlsim daemon`: one control connection, one data connection per socket.
struct Daemon {
    path: PathBuf,
    ctl: Mutex<ControlClient>,
}

impl Daemon {
    fn new(path: PathBuf) -> io::Result<Self> {
        let ctl = ControlClient::open(&path, None)?;
        Ok(Daemon {
            path,
            ctl: Mutex::new(ctl),
        })
    }
}

impl Transport for Daemon {
    fn control(&self, req: ControlRequest) -> Result<ControlReply, Errno> {
        let ctl = self.ctl.lock().map_err(|_| Errno(libc::EIO))?;
        ctl.request(&req).map_err(Errno::from)
    }
    fn connect(&self, pid: u32, tid: Option<u32>) -> io::Result<DataConn> {
        // In-band errors: the supervisor turns a marker into the failed receive.
        let hello = Hello::Data {
            pid,
            tid,
            inband_errors: true,
        };
        let (fd, id) = open_data(&self.path, &hello, None)?;
        Ok(DataConn { fd, id })
    }
    fn take_error(&self, _conn: u64) -> Option<Errno> {
        // Errors arrive in-band on the data connection (`nlsim_launcher::inband`).
        None
    }
}

/// A simulator as the supervisor's [`Backend`]: every operation is a control request over `T`.
struct SimBackend<T>(T);

impl<T: Transport> SimBackend<T> {
    /// A request answered with `Ok` on success.
    fn done(&self, req: ControlRequest) -> Result<(), Errno> {
        match self.0.control(req)? {
            ControlReply::Ok => Ok(()),
            other => Err(reply_errno(other)),
        }
    }
}

impl<T: Transport> SimBackend<T> {
    /// A control request behind a file or ioctl (sysfs, /proc/net, /proc/sys/net, devinet
    /// ioctls): `want` picks the expected reply; an error reply carries its errno and message,
    /// any other reply is EIO, and a transport failure its errno.
    fn file_control<R>(
        &self,
        req: ControlRequest,
        want: impl FnOnce(ControlReply) -> Option<R>,
    ) -> Result<R, SysfsError> {
        match self.0.control(req) {
            Ok(ControlReply::Err { errno, msg }) => Err(SysfsError {
                errno: Errno(errno),
                msg,
            }),
            Ok(r) => want(r).ok_or(SysfsError {
                errno: Errno(libc::EIO),
                msg: None,
            }),
            Err(errno) => Err(SysfsError { errno, msg: None }),
        }
    }
}

impl<T: Transport> Backend for SimBackend<T> {
    fn connect(&self, pid: u32, tid: Option<u32>) -> io::Result<DataConn> {
        self.0.connect(pid, tid)
    }
    fn work_fd(&self) -> Option<RawFd> {
        self.0.work_fd()
    }
    fn serve(&self) -> i32 {
        self.0.serve()
    }
    fn bind(&self, conn: u64, portid: u32, groups: u32) -> Result<u32, Errno> {
        match self.0.control(ControlRequest::Bind {
            conn,
            portid,
            groups,
        })? {
            ControlReply::Name { portid, .. } => Ok(portid),
            other => Err(reply_errno(other)),
        }
    }
    fn get_name(&self, conn: u64) -> Result<(u32, u32), Errno> {
        match self.0.control(ControlRequest::GetName { conn })? {
            ControlReply::Name { portid, groups } => Ok((portid, groups)),
            other => Err(reply_errno(other)),
        }
    }
    fn set_sockopt(&self, conn: u64, opt: i32, val: u32) -> Result<(), Errno> {
        self.done(ControlRequest::SetSockOpt { conn, opt, val })
    }
    fn get_sockopt(&self, conn: u64, opt: i32) -> Result<u32, Errno> {
        match self.0.control(ControlRequest::GetSockOpt { conn, opt })? {
            ControlReply::Value { val } => Ok(val),
            other => Err(reply_errno(other)),
        }
    }
    fn set_recv_len(&self, conn: u64, len: u32) -> Result<(), Errno> {
        self.done(ControlRequest::RecvLen { conn, len })
    }
    fn set_rcvbuf(&self, conn: u64, bytes: u32) -> Result<(), Errno> {
        self.done(ControlRequest::SetRcvBuf { conn, bytes })
    }
    fn take_error(&self, conn: u64) -> Option<Errno> {
        self.0.take_error(conn)
    }
    fn errors_pending(&self) -> bool {
        self.0.errors_pending()
    }
    fn tun_open(&self, tid: u32) -> Result<u64, Errno> {
        match self.0.control(ControlRequest::TunOpen { tid: Some(tid) })? {
            ControlReply::TunFile { file } => Ok(file),
            other => Err(reply_errno(other)),
        }
    }
    fn tun_ioctl(&self, file: u64, op: TunIoctl) -> Result<Option<Ifreq>, Errno> {
        let req = match op {
            TunIoctl::SetIff { name, flags, cred } => ControlRequest::TunSetIff {
                file,
                name,
                flags,
                cred: TunCred {
                    euid: cred.euid,
                    egid: cred.egid,
                    groups: cred.groups,
                    // The simulated requester is root (capable(CAP_NET_ADMIN)), as for netlink.
                    net_admin: true,
                },
            },
            TunIoctl::GetIff => ControlRequest::TunGetIff { file },
            TunIoctl::SetPersist(on) => ControlRequest::TunSetPersist { file, on },
            TunIoctl::SetOwner(uid) => ControlRequest::TunSetOwner { file, uid },
            TunIoctl::SetGroup(gid) => ControlRequest::TunSetGroup { file, gid },
        };
        match self.0.control(req)? {
            ControlReply::Ok => Ok(None),
            ControlReply::Ifreq { name, flags } => Ok(Some(Ifreq { name, flags })),
            other => Err(reply_errno(other)),
        }
    }
    fn tun_close(&self, file: u64) {
        let _ = self.0.control(ControlRequest::TunClose { file });
    }
    fn sysfs_read(&self, dev: &str, attr: &str, tid: u32) -> Result<String, SysfsError> {
        let req = ControlRequest::SysfsRead {
            dev: dev.to_string(),
            attr: attr.to_string(),
            tid: Some(tid),
        };
        self.file_control(req, |r| match r {
            ControlReply::Text { text } => Some(text),
            _ => None,
        })
    }
    fn proc_net_read(&self, file: &str, tid: u32) -> Result<String, SysfsError> {
        let req = ControlRequest::ProcNetRead {
            file: file.to_string(),
            tid: Some(tid),
        };
        self.file_control(req, |r| match r {
            ControlReply::Text { text } => Some(text),
            _ => None,
        })
    }
    fn devinet_ioctl(
        &self,
        tid: u32,
        cmd: u32,
        ifr: InetIfreq,
    ) -> Result<Option<Ipv4Addr>, SysfsError> {
        let req = ControlRequest::DevinetIoctl {
            cmd,
            ifr,
            tid: Some(tid),
        };
        self.file_control(req, |r| match r {
            ControlReply::Ok => Some(None),
            ControlReply::Value { val } => Some(Some(Ipv4Addr::from(val))),
            _ => None,
        })
    }
    fn dev_mc_ioctl(
        &self,
        tid: u32,
        cmd: u32,
        name: String,
        family: u16,
        data: Vec<u8>,
    ) -> Result<(), SysfsError> {
        let req = ControlRequest::DevMcIoctl {
            cmd,
            name,
            family,
            data,
            tid: Some(tid),
        };
        self.file_control(req, |r| match r {
            ControlReply::Ok => Some(()),
            _ => None,
        })
    }
    fn sysctl(
        &self,
        req: SysctlRequest,
        tid: u32,
        netns: Option<u32>,
    ) -> Result<SysctlAnswer, SysfsError> {
        self.file_control(ControlRequest::Sysctl { req, tid, netns }, |r| match r {
            ControlReply::Sysctl { answer } => Some(answer),
            _ => None,
        })
    }
    fn netns(&self, req: NetnsRequest) -> Result<NetnsAnswer, Errno> {
        match self.0.control(ControlRequest::Netns { req })? {
            ControlReply::Ok => Ok(NetnsAnswer::Done),
            ControlReply::Value { val } => Ok(NetnsAnswer::Netns(val)),
            ControlReply::NetnsEntry { netns } => Ok(NetnsAnswer::Entry(netns)),
            ControlReply::Names { names } => Ok(NetnsAnswer::Names(names)),
            other => Err(reply_errno(other)),
        }
    }
}

pub(crate) fn load_state(path: &Path) -> Result<Option<Kernel>, RunError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(RunError::StateIo {
                path: path.into(),
                source,
            })
        }
    };
    let k: Kernel = serde_json::from_slice(&text).map_err(|source| RunError::StateJson {
        path: path.into(),
        source,
    })?;
    // Anyone can edit the file: the model indexes devices by id and follows every relation,
    // so an inconsistent state is refused here rather than panicking the model mid-run.
    k.validate().map_err(|source| RunError::StateInvalid {
        path: path.into(),
        source,
    })?;
    Ok(Some(k))
}

/// `F.tmp.<pid>`: where the process `pid` writes F before renaming it over F.
fn tmp_path(path: &Path, pid: u32) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp.{pid}"));
    PathBuf::from(tmp)
}

/// Whether process `pid` exists (`kill(pid, 0)`: EPERM means it exists, as another user's).
fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    if unsafe { libc::kill(pid, 0) } == 0 {
        return true;
    }
    io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes the `F.tmp.<pid>` files of saves that were killed before their rename: their pid
/// is gone, so nobody will finish or remove them. A live pid's file is another run saving
/// right now and is left alone. Best effort: a file we cannot remove stays, as before.
fn remove_stale_tmp(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let (Some(name), dir) = (path.file_name(), path.parent()) else {
        return;
    };
    let dir = match dir {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut prefix = name.as_bytes().to_vec();
    prefix.extend_from_slice(b".tmp.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file.as_bytes().strip_prefix(prefix.as_slice()) else {
            continue;
        };
        let Some(pid) = std::str::from_utf8(pid)
            .ok()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !pid_alive(pid) {
            let _ = std::fs::remove_file(tmp_path(path, pid));
        }
    }
}

/// Write-to-temp + rename, so a reader (or a crash) never sees half a state.
pub(crate) fn save_state(path: &Path, state: &serde_json::Value) -> Result<(), RunError> {
    let io_err = |source| RunError::StateIo {
        path: path.into(),
        source,
    };
    remove_stale_tmp(path);
    let tmp = tmp_path(path, std::process::id());
    let write = || -> io::Result<()> {
        let mut f = io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer_pretty(&mut f, state)?;
        f.write_all(b"\n")?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(e)
    })
}

/// Runs CMD; returns the exit code `nlsim run` should exit with.
pub fn run(args: RunArgs) -> Result<i32, RunError> {
    let (backend, sim): (Arc<dyn Backend>, Option<Arc<HostedSim>>) = match &args.connect {
        Some(path) => {
            let d = Daemon::new(path.clone()).map_err(|source| RunError::Daemon {
                path: path.clone(),
                source,
            })?;
            (Arc::new(SimBackend(d)), None)
        }
        None => {
            let mut b = builder(&args.model);
            if let Some(path) = &args.trace {
                b = b.trace(path);
            }
            if let Some(path) = &args.capture {
                b = b.capture(path);
            }
            if let Some(path) = &args.state {
                if let Some(k) = load_state(path)? {
                    b = b.state(k);
                }
            }
            let listener = match &args.listen {
                Some(path) => Some(crate::daemon_socket::listen(path).map_err(RunError::Sim)?),
                None => None,
            };
            let sim = Arc::new(b.start_hosted(listener).map_err(RunError::Sim)?);
            (Arc::new(SimBackend(Embedded(sim.clone()))), Some(sim))
        }
    };
    let opts = nlsim_launcher::RunOptions {
        fast_recv: !args.no_preload
            && (args.preload || std::env::var_os("NLSIM_PRELOAD").is_some_and(|v| v == "1")),
    };
    let status = nlsim_launcher::run_with(backend, &args.cmd, opts);
    // The socket outlives nothing: clients of it were CMD's processes.
    if let Some(path) = &args.listen {
        let _ = std::fs::remove_file(path);
    }
    let code = match status {
        Ok(s) => nlsim_launcher::exit_code(s),
        Err(nlsim_launcher::Error::Spawn { cmd, source }) => {
            eprintln!("nlsim: cannot run {cmd}: {source}");
            // What shells answer for a missing / a non-executable command.
            if source.kind() == io::ErrorKind::NotFound {
                127
            } else {
                126
            }
        }
        Err(e) => return Err(e.into()),
    };
    if let (Some(sim), Some(path)) = (&sim, &args.state) {
        let state = sim.dump_state().map_err(RunError::Sim)?;
        save_state(path, &state)?;
    }
    // The caller exits with `code` next: freeing the model (a million routes take a while)
    // would be work for nothing, the process end takes it.
    std::mem::forget(sim);
    Ok(code)
}
