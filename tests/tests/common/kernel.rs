//! A raw NETLINK_ROUTE socket to the real kernel (libc AF_NETLINK), for the differential tests:
//! the same byte-level interface as `nlsim::SimSocket` (send one datagram, receive one datagram
//! with a timeout), so one driver can talk to either.
#![allow(dead_code)]

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `SOL_NETLINK` socket options (include/uapi/linux/netlink.h).
const NETLINK_EXT_ACK: libc::c_int = 11;

/// An autobound NETLINK_ROUTE socket of the current network namespace.
pub struct KernelSocket {
    fd: OwnedFd,
    portid: u32,
}

impl KernelSocket {
    /// `socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)`, NETLINK_EXT_ACK on (like iproute2), bound
    /// with port id 0 (the kernel picks one).
    pub fn new() -> io::Result<KernelSocket> {
        // SAFETY: plain socket(2) call; the fd is owned right below.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh fd nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let on: libc::c_int = 1;
        // SAFETY: setsockopt with a live c_int.
        let r = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_NETLINK,
                NETLINK_EXT_ACK,
                &on as *const libc::c_int as *const libc::c_void,
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: an all-zero sockaddr_nl is valid (family set below).
        let mut sa: libc::sockaddr_nl = unsafe { mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: bind with a live sockaddr_nl of the right size.
        let r = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                &sa as *const libc::sockaddr_nl as *const libc::sockaddr,
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: getsockname into a live sockaddr_nl.
        let r = unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                &mut sa as *mut libc::sockaddr_nl as *mut libc::sockaddr,
                &mut len,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(KernelSocket {
            fd,
            portid: sa.nl_pid,
        })
    }

    /// The port id the kernel gave the socket.
    pub fn portid(&self) -> u32 {
        self.portid
    }

    /// Sends one datagram to the kernel (port id 0).
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        // SAFETY: an all-zero sockaddr_nl is valid; family set below.
        let mut sa: libc::sockaddr_nl = unsafe { mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: sending from a live buffer to a live address.
        let n = unsafe {
            libc::sendto(
                self.fd.as_raw_fd(),
                buf.as_ptr() as *const libc::c_void,
                buf.len(),
                0,
                &sa as *const libc::sockaddr_nl as *const libc::sockaddr,
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    /// Receives one datagram, waiting up to `timeout_ms`.
    pub fn recv_timeout(&self, timeout_ms: i32) -> io::Result<Vec<u8>> {
        let mut p = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: polling one live pollfd.
        let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no datagram"));
        }
        let mut buf = vec![0u8; 1 << 20];
        // SAFETY: receiving into a live buffer.
        let n = unsafe {
            libc::recv(
                self.fd.as_raw_fd(),
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        buf.truncate(n as usize);
        Ok(buf)
    }
}
