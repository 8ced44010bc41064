//! A dynamically linked Rust program using `rtnetlink::new_connection()` unchanged
//! (`examples/rtnetlink_client.rs`) under `nlsim run`: netlink-proto never binds, matches
//! replies on (seq, source port 0), and reads with recvfrom on a non-blocking socket in tokio.

mod run_support;
use run_support::{has_flag, index_names, link, run_client_program, users};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// `<target>/<profile>/examples/rtnetlink_client`: `cargo test` builds the package's examples
/// with its tests; a filtered run (`--test run_rust`) does not, so it is built here then.
fn client() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let nlsim = PathBuf::from(env!("CARGO_BIN_EXE_nlsim"));
        let bin = nlsim
            .parent()
            .expect("<target>/<profile>")
            .join("examples/rtnetlink_client");
        if !bin.exists() {
            let mut c = Command::new(env!("CARGO"));
            c.args(["build", "-p", "nlsim", "--example", "rtnetlink_client"]);
            if !cfg!(debug_assertions) {
                c.arg("--release");
            }
            let o = c.output().expect("run cargo");
            assert!(
                o.status.success(),
                "cargo build --example rtnetlink_client: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        assert!(bin.exists(), "{} was not built", bin.display());
        bin
    })
}

const EXPECT: &str = "\
before: 1 lo master=- down
before: 2 eth0 master=- down
before: 3 eth1 master=- down
after: 1 lo master=- down
after: 2 eth0 master=br0 up
after: 3 eth1 master=- down
after: 4 br0 master=- up
after: 5 veth1 master=- down
after: 6 veth0 master=br0 up
after: 7 d0 master=- down
";

#[test]
fn rtnetlink_new_connection_binary() {
    require_seccomp!();
    let built = client();
    for u in users() {
        let links = run_client_program(u, built, "rtnetlink client", EXPECT);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "veth1".to_string()),
                (6, "veth0".to_string()),
                (7, "d0".to_string()),
            ],
            "{u:?}"
        );
        for port in ["eth0", "veth0"] {
            let l = link(&links, port);
            assert_eq!(l["master"], "br0", "{u:?}: {l}");
            assert!(has_flag(l, "UP"), "{u:?}: {l}");
        }
        assert_eq!(
            link(&links, "d0")["linkinfo"]["info_kind"],
            "dummy",
            "{u:?}"
        );
        assert_eq!(link(&links, "veth1")["link"], "veth0", "{u:?}");
    }
}
