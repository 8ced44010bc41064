//! `nlsim daemon`: the socket is created 0600, data connections start with the documented
//! Hello handshake and then carry raw netlink, control connections answer JSON, and two
//! connections share one state; `nlsim dump --connect` prints it.

use nlsim::control::{ControlReply, ControlRequest, Hello, HelloReply};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

mod daemon_support;
use daemon_support::{accepts, dump, start_daemon};

/// Connects to the daemon at `path` (it must accept).
fn seqpacket_connect(path: &std::path::Path) -> std::os::fd::OwnedFd {
    nlsim::unix_socket::connect(path).expect("connect to the daemon")
}

/// One JSON request on a control or pending connection (the Hello included), its JSON reply
/// (the protocol's one client round trip).
fn roundtrip(fd: &std::os::fd::OwnedFd, msg: &[u8]) -> Vec<u8> {
    nlsim::unix_socket::roundtrip(fd, msg).expect("a reply from the daemon")
}

/// One JSON request on a control connection (the Hello included), its JSON reply.
fn control(ctl: &std::os::fd::OwnedFd, req: &impl serde::Serialize) -> ControlReply {
    serde_json::from_slice(&roundtrip(ctl, &serde_json::to_vec(req).unwrap())).unwrap()
}

/// One netlink request on a data connection, its one reply datagram.
fn netlink_roundtrip(fd: &std::os::fd::OwnedFd, msg: &[u8]) -> Vec<u8> {
    use std::os::fd::AsRawFd;
    nlsim::unix_socket::send(fd, msg).expect("send to the daemon");
    let mut buf = vec![0u8; 1 << 20];
    // SAFETY: a blocking recv on an owned fd into a live buffer.
    let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr() as _, buf.len(), 0) };
    assert!(n > 0);
    buf.truncate(n as usize);
    buf
}

#[test]
fn daemon_shares_state_between_connections() {
    let dir = std::env::temp_dir().join(format!("nlsim-daemon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sock = dir.join("sim.sock");
    let _ = std::fs::remove_file(&sock);
    let _d = start_daemon(&sock, &["--seed", "3", "--netdevsim", "1:2"]);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A data connection: Hello, the connection id, then netlink.
    let data = seqpacket_connect(&sock);
    let hello: HelloReply = serde_json::from_slice(&roundtrip(
        &data,
        &serde_json::to_vec(&Hello::Data {
            pid: 4321,
            tid: None,
            inband_errors: false,
        })
        .unwrap(),
    ))
    .unwrap();
    let mut m = netlink_packet_route::link::LinkMessage::default();
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::IfName(
            "br0".into(),
        ));
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::LinkInfo(vec![
            netlink_packet_route::link::LinkInfo::Kind("bridge".into()),
        ]));
    let req = nlsim::rtnl::link::emit(
        netlink_packet_route::RouteNetlinkMessage::NewLink(m),
        0x605 | 0x200,
        1,
        0,
    );
    let ack = netlink_roundtrip(&data, &req);
    assert_eq!(
        i32::from_ne_bytes([ack[16], ack[17], ack[18], ack[19]]),
        0,
        "bridge created"
    );
    assert_eq!(
        u32::from_ne_bytes([ack[12], ack[13], ack[14], ack[15]]),
        4321,
        "autobound to the hello's pid"
    );

    // A control connection sees the same connection and the same state.
    let ctl = seqpacket_connect(&sock);
    let ok = control(&ctl, &Hello::Control);
    assert_eq!(ok, ControlReply::Ok);
    let name = control(&ctl, &ControlRequest::GetName { conn: hello.conn });
    assert_eq!(
        name,
        ControlReply::Name {
            portid: 4321,
            groups: 0
        }
    );

    let stdout = dump(&sock);
    let state: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let names: Vec<String> = state["devices"]
        .as_object()
        .unwrap()
        .values()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["lo", "eth0", "eth1", "br0"]);

    // A bad hello closes that connection only; the daemon keeps serving.
    let junk = seqpacket_connect(&sock);
    {
        use std::os::fd::AsRawFd;
        // SAFETY: send on an owned fd.
        unsafe {
            libc::send(
                junk.as_raw_fd(),
                b"not json".as_ptr() as _,
                8,
                libc::MSG_NOSIGNAL,
            )
        };
    }
    let again = roundtrip(
        &ctl,
        &serde_json::to_vec(&ControlRequest::GetName { conn: hello.conn }).unwrap(),
    );
    assert!(serde_json::from_slice::<ControlReply>(&again).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scratch directory for one test, removed at drop.
struct Scratch(std::path::PathBuf);
impl Scratch {
    fn new(tag: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("nlsim-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
}
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `nlsim daemon --socket PATH` run to completion: (exit code, stderr).
fn daemon_refused(path: &std::path::Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .args(["daemon", "--socket"])
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn daemon_refuses_to_replace_a_regular_file() {
    let dir = Scratch::new("sock-file");
    let path = dir.0.join("precious");
    std::fs::write(&path, b"data").unwrap();
    let (code, err) = daemon_refused(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "socket {}: exists and is not a socket",
            path.display()
        )),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"data",
        "the file was touched"
    );
}

#[test]
fn daemon_refuses_to_replace_a_directory() {
    let dir = Scratch::new("sock-dir");
    let path = dir.0.join("subdir");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside"), b"x").unwrap();
    let (code, err) = daemon_refused(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "socket {}: exists and is not a socket",
            path.display()
        )),
        "{err}"
    );
    assert!(path.join("inside").exists(), "the directory was touched");
}

#[test]
fn daemon_refuses_a_live_daemons_socket_which_keeps_serving() {
    let dir = Scratch::new("sock-live");
    let sock = dir.0.join("sim.sock");
    let _first = start_daemon(&sock, &["--netdevsim", "1:1"]);
    let (code, err) = daemon_refused(&sock);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "socket {}: a server is listening on it",
            sock.display()
        )),
        "{err}"
    );
    // The first daemon is still the one reachable at the path.
    let stdout = dump(&sock);
    let state: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(
        state["devices"].as_object().unwrap().len(),
        2,
        "lo and eth0"
    );
}

#[test]
fn daemon_replaces_a_stale_socket() {
    let dir = Scratch::new("sock-stale");
    let sock = dir.0.join("sim.sock");
    // A socket file whose server is gone: bound, then closed without unlinking.
    drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    assert!(sock.exists() && !accepts(&sock));
    let _d = start_daemon(&sock, &[]);
    assert!(accepts(&sock), "the new daemon listens at the path");
}

#[test]
fn errors_about_the_socket_name_it() {
    let dir = Scratch::new("sock-missing");
    let path = dir.0.join("no-such-dir").join("sim.sock");
    let (code, err) = daemon_refused(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!("socket {}:", path.display())),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .args(["dump", "--connect"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("daemon at {}:", path.display())),
        "{err}"
    );
}

/// A state larger than any one datagram (over 1 MB of JSON): `nlsim dump --connect` gets it
/// whole, in pieces, and the control connection keeps answering afterwards.
#[test]
fn dump_of_a_state_larger_than_a_datagram() {
    let dir = Scratch::new("dump-large");
    let sock = dir.0.join("sim.sock");
    let _d = start_daemon(&sock, &[]);
    let ctl = seqpacket_connect(&sock);
    let ok = control(&ctl, &Hello::Control);
    assert_eq!(ok, ControlReply::Ok);
    let created = control(
        &ctl,
        &ControlRequest::NetdevsimNewDevice { id: 1, ports: 1000 },
    );
    assert_eq!(created, ControlReply::Ok);
    let stdout = dump(&sock);
    assert!(stdout.len() > 1 << 20, "only {} bytes", stdout.len());
    let state: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(state["devices"].as_object().unwrap().len(), 1001);
    let name = control(
        &ctl,
        &ControlRequest::NetdevsimNewDevice { id: 2, ports: 1 },
    );
    assert_eq!(name, ControlReply::Ok, "the daemon still answers");
}
