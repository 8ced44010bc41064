//! Python's socket module under `nlsim run`: glibc's if_nameindex, and netlink by hand
//! (bind, getsockname, dump, sender address, dup + family detection, non-blocking, other
//! protocols refused), next to TCP, UDP and files that must keep working natively.

mod run_support;
use run_support::{nlsim_run, python3, users, TempDir};

const SCRIPT: &str = r#"
import os, socket, struct, tempfile, threading
print("nameindex", socket.if_nameindex())
print("nametoindex", socket.if_nametoindex("eth1"))

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
pid = s.getsockname()[0]
print("portid is pid", pid == os.getpid())
req = struct.pack("=LHHLL", 32, 18, 0x301, 1, 0) + struct.pack("=BxHiII", 0, 0, 0, 0, 0)
s.sendto(req, (0, 0))
names, done = [], False
while not done:
    data, addr = s.recvfrom(65536)
    assert addr == (0, 0), addr
    off = 0
    while off < len(data):
        ln, ty, fl, seq, mpid = struct.unpack_from("=LHHLL", data, off)
        assert mpid == pid and seq == 1, (mpid, seq)
        if ty == 3:
            done = True
            break
        a = off + 32
        while a < off + ln:
            alen, atype = struct.unpack_from("=HH", data, a)
            if atype == 3:
                names.append(data[a + 4:a + alen].rstrip(b"\0").decode())
            a += (alen + 3) & ~3
        off += (ln + 3) & ~3
print("links", names)

d = socket.socket(fileno=os.dup(s.fileno()))
print("dup detected", d.family == socket.AF_NETLINK, d.type == socket.SOCK_RAW, d.proto)

n = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK, 0)
try:
    n.recv(100)
    print("nonblock: got data?!")
except BlockingIOError:
    print("nonblock EAGAIN")
n.send(req)
print("autobound", n.getsockname()[0] != 0)

try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    print("generic: created?!")
except OSError as e:
    print("generic errno", e.errno)

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
def serve():
    c, _ = srv.accept()
    c.sendall(c.recv(100).upper())
    c.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", srv.getsockname()[1]))
c.sendall(b"hello")
print("tcp", c.recv(100).decode(), c.getpeername()[0], c.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
c.close()
t.join()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.sendto(b"ping", u.getsockname())
data, frm = u.recvfrom(10)
print("udp", data.decode(), frm[0])
with tempfile.NamedTemporaryFile("w+") as f:
    f.write("data")
    f.flush()
    f.seek(0)
    print("file", f.read())
"#;

#[test]
fn python_socket_module() {
    require_seccomp!();
    let Some(py) = python3() else {
        println!("SKIPPED: no system python3");
        return;
    };
    let dir = TempDir::new("python");
    let script = dir.path("t.py");
    std::fs::write(&script, SCRIPT).expect("write script");
    for u in users() {
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--netdevsim",
                "1:2",
                "--",
                py,
                script.to_str().expect("utf-8"),
            ],
        );
        let stderr = r.stderr.clone();
        let out = r.ok("python");
        let expect = format!(
            "nameindex [(1, 'lo'), (2, 'eth0'), (3, 'eth1')]\n\
             nametoindex 3\n\
             portid is pid True\n\
             links ['lo', 'eth0', 'eth1']\n\
             dup detected True True 0\n\
             nonblock EAGAIN\n\
             autobound True\n\
             generic errno {}\n\
             tcp HELLO 127.0.0.1 1\n\
             udp ping 127.0.0.1\n\
             file data\n",
            libc::EPROTONOSUPPORT
        );
        assert_eq!(out, expect, "{u:?}");
        // One line naming the refused protocol.
        let warn: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("NETLINK_GENERIC"))
            .collect();
        assert_eq!(warn.len(), 1, "{u:?}: {stderr}");
    }
}
