//! Errors of the launcher itself (as opposed to errnos answered to the target's syscalls).

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The kernel cannot run the mechanism (no seccomp filters, or a feature older than 5.19).
    #[error("seccomp user notification unavailable: {0}")]
    Unsupported(String),
    /// The command could not be started (not found, not executable, ...).
    #[error("cannot run {cmd}: {source}")]
    Spawn { cmd: String, source: io::Error },
    /// A system call of the launcher failed.
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: io::Error,
    },
    #[error("empty command")]
    EmptyCommand,
}

impl Error {
    pub(crate) fn io(what: &'static str) -> impl FnOnce(io::Error) -> Error {
        move |source| Error::Io { what, source }
    }
}

/// A positive errno answered to the target's system call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    pub(crate) fn last() -> Errno {
        Errno(
            io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        )
    }
}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Errno {
        Errno(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

impl std::fmt::Display for Errno {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", io::Error::from_raw_os_error(self.0))
    }
}
