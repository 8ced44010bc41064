//! The daemon's listening socket (`nlsim daemon --socket`, `nlsim run --listen`): created mode
//! 0600, replacing only a stale socket.

use nlsim::unix_socket::{connect as connect_unix, seqpacket, sockaddr_un};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;

/// An error about the daemon's socket, naming it.
fn socket_err(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("socket {}: {e}", path.display()))
}

/// Makes room for the daemon's socket at `path`: nothing there is fine, and a stale socket
/// (its server is gone: connecting is refused) is removed. Anything else is refused, nothing
/// deleted: a regular file or a directory is someone's data, and a socket that accepts is a
/// live server (a second daemon would leave it running, unreachable).
fn clear_stale_socket(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(socket_err(path, e)),
    };
    if !meta.file_type().is_socket() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "socket {}: exists and is not a socket; refusing to replace it",
                path.display()
            ),
        ));
    }
    match connect_unix(path) {
        Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
            std::fs::remove_file(path).map_err(|e| socket_err(path, e))
        }
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!(
                "socket {}: a server is listening on it; refusing to replace it",
                path.display()
            ),
        )),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!(
                "socket {}: exists and cannot be probed ({e}); refusing to replace it",
                path.display()
            ),
        )),
    }
}

pub fn listen(path: &Path) -> io::Result<OwnedFd> {
    clear_stale_socket(path)?;
    listen_at(path).map_err(|e| socket_err(path, e))
}

fn listen_at(path: &Path) -> io::Result<OwnedFd> {
    let fd = seqpacket()?;
    let (addr, len) = sockaddr_un(path)?;
    // Only the owner may connect: create the socket file 0600.
    // SAFETY: umask/bind/listen on an owned fd with a valid address.
    unsafe {
        let old = libc::umask(0o177);
        let r = libc::bind(
            fd.as_raw_fd(),
            &addr as *const _ as *const libc::sockaddr,
            len,
        );
        libc::umask(old);
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::listen(fd.as_raw_fd(), 128) < 0 {
            return Err(io::Error::last_os_error());
        }
        let fl = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
    Ok(fd)
}
