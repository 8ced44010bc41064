//! Shared by the `run_*` tests: they run real clients under `nlsim run`, once as the current
//! user and once as `nobody` (`setpriv --reuid=65534 --regid=65534 --clear-groups`).
//!
//! These tests live in `sim/tests/` (not the `tests` crate) because Cargo builds the `nlsim`
//! binary for them and hands its path over as `CARGO_BIN_EXE_nlsim`.
// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Who runs the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum User {
    /// The test's own user.
    Current,
    /// uid/gid 65534 with no supplementary groups.
    Nobody,
}

/// The users to run every case as: both when we are root (setpriv can switch), else just the
/// current user, which then is already unprivileged.
pub fn users() -> Vec<User> {
    // SAFETY: geteuid is always safe.
    if unsafe { libc::geteuid() } == 0 && Path::new("/usr/bin/setpriv").exists() {
        vec![User::Current, User::Nobody]
    } else {
        vec![User::Current]
    }
}

/// A directory every user may write, removed at drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "nlsim-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        TempDir(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn nobody_can_exec(path: &Path) -> bool {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(path)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The `nlsim` binary, copied somewhere `nobody` can execute it if the build directory is
/// private.
pub fn nlsim() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let built = PathBuf::from(env!("CARGO_BIN_EXE_nlsim"));
        if !users().contains(&User::Nobody) || nobody_can_exec(&built) {
            return built;
        }
        let dir = std::env::temp_dir().join(format!("nlsim-bin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("bin dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let copy = dir.join("nlsim");
        std::fs::copy(&built, &copy).expect("copy nlsim");
        copy
    })
}

/// A command line run as `user`, in `dir`.
pub fn command(user: User, dir: &Path, argv: &[&str]) -> Command {
    let mut c = match user {
        User::Current => Command::new(argv[0]),
        User::Nobody => {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(argv[0]);
            c
        }
    };
    c.args(&argv[1..]).current_dir(dir).env("TMPDIR", dir);
    c
}

/// `nlsim run ARGS` as `user`; the `nlsim` path is filled in.
pub fn nlsim_cmd(user: User, dir: &Path, args: &[&str]) -> Command {
    let bin = nlsim().to_string_lossy().into_owned();
    let mut argv = vec![bin.as_str()];
    argv.extend_from_slice(args);
    command(user, dir, &argv)
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        use std::os::unix::process::ExitStatusExt;
        Run {
            code: o
                .status
                .code()
                .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0)),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
    /// Asserts exit code 0 and returns stdout.
    pub fn ok(self, what: &str) -> String {
        assert_eq!(
            self.code, 0,
            "{what}: exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self.stdout
    }
}

pub fn run(mut c: Command) -> Run {
    Run::from(c.output().expect("spawn"))
}

/// `nlsim run ARGS` as `user` in `dir`.
pub fn nlsim_run(user: User, dir: &Path, args: &[&str]) -> Run {
    let mut full = vec!["run"];
    full.extend_from_slice(args);
    run(nlsim_cmd(user, dir, &full))
}

/// `None` if seccomp user notification works here; otherwise the reason, and the caller
/// prints `SKIPPED: reason` and returns.
pub fn unavailable() -> Option<String> {
    static R: OnceLock<Option<String>> = OnceLock::new();
    R.get_or_init(|| {
        let dir = TempDir::new("probe");
        let r = nlsim_run(User::Current, &dir.0, &["--", "true"]);
        // Only the launcher's own diagnosis skips; any other failure is a bug to report.
        (r.code != 0 && r.stderr.contains("seccomp user notification unavailable"))
            .then(|| r.stderr.trim().to_string())
    })
    .clone()
}

/// Early return with `SKIPPED: reason` when the mechanism is unavailable.
#[macro_export]
macro_rules! require_seccomp {
    () => {
        if let Some(why) = run_support::unavailable() {
            println!("SKIPPED: {why}");
            return;
        }
    };
}

/// Interface names the host's kernel has (natively), to prove none of them leak in.
pub fn host_links() -> Vec<String> {
    let out = Command::new("ip")
        .args(["-o", "link", "show"])
        .output()
        .expect("native ip");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .map(|n| n.split('@').next().unwrap_or(n).to_string())
        .collect()
}

/// Names of the interfaces in `ip -o link show`-like output ("N: name: ...").
pub fn link_names(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(|l| l.split(": ").nth(1))
        .map(|n| n.split('@').next().unwrap_or(n).to_string())
        .collect()
}

/// A python3 every user can run (pyenv shims under /root are not reachable for nobody).
pub fn python3() -> Option<&'static str> {
    ["/usr/bin/python3", "/usr/local/bin/python3"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// Whether `nobody` can run `argv` successfully (a binary under a private directory cannot).
pub fn nobody_can_run(argv: &[&str]) -> bool {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .args(argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `path` copied into `dir` (mode 0755), where every user can run it.
pub fn copy_exec(path: &Path, dir: &TempDir) -> PathBuf {
    let name = path.file_name().expect("a file name");
    let copy = dir.0.join(name);
    std::fs::copy(path, &copy)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", path.display(), copy.display()));
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    copy
}

/// The cargo target directory the tests were built in (`<target>/<profile>/nlsim` is ours),
/// for artifacts worth keeping across test runs (the Go client's build cache, ...).
pub fn target_dir() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_nlsim"));
    bin.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("<target>/<profile>/nlsim")
}

/// The simulator's links as `ip -j link show` prints them, from the state file `state`
/// (the outcome of a client's changes, read by a second, independent client).
pub fn ip_links(user: User, dir: &Path, state: &Path) -> Vec<serde_json::Value> {
    let st = state.to_str().expect("utf-8 path");
    let out = nlsim_run(
        user,
        dir,
        &["--state", st, "--", "ip", "-j", "-d", "link", "show"],
    )
    .ok("ip -j -d link show");
    let v: serde_json::Value = serde_json::from_str(&out).expect("ip -j prints JSON");
    v.as_array().expect("a JSON array").clone()
}

/// The link named `name` in `ip -j link show` output; panics with the whole list if absent.
pub fn link<'a>(links: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    links
        .iter()
        .find(|l| l["ifname"] == name)
        .unwrap_or_else(|| panic!("no link {name} in {links:#?}"))
}

/// Whether `ip -j` lists `flag` (e.g. "UP") for the link.
pub fn has_flag(l: &serde_json::Value, flag: &str) -> bool {
    l["flags"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x == flag))
}

/// `(ifindex, ifname)` of every link, in order.
pub fn index_names(links: &[serde_json::Value]) -> Vec<(u64, String)> {
    links
        .iter()
        .map(|l| {
            (
                l["ifindex"].as_u64().unwrap_or(0),
                l["ifname"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Runs a client program (copied next to the state file, so that uid 65534 can execute it) under
/// `nlsim run --state S --netdevsim 1:2`, checks its stdout, and returns `ip -j link show` of
/// the state it left.
pub fn run_client_program(
    u: User,
    built: &Path,
    tag: &str,
    expect: &str,
) -> Vec<serde_json::Value> {
    let dir = TempDir::new(&tag.replace(' ', "-"));
    // A copy in the test's directory: the target directory may be private to us.
    let bin = copy_exec(built, &dir);
    let state = dir.path("s.json");
    let st = state.to_str().expect("utf-8 path");
    let r = nlsim_run(
        u,
        &dir.0,
        &[
            "--state",
            st,
            "--netdevsim",
            "1:2",
            "--",
            bin.to_str().expect("utf-8 path"),
        ],
    );
    let stderr = r.stderr.clone();
    let out = r.ok(tag);
    assert_eq!(out, expect, "{u:?}\nstderr:\n{stderr}");
    ip_links(u, &dir.0, &state)
}
