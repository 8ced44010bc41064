//! A statically linked Go program (CGO_ENABLED=0) under `nlsim run`: vishvananda/netlink
//! from Debian (LinkList, LinkAdd of a bridge and a veth pair, LinkSetMaster, LinkSetUp), the
//! standard library's net.Interfaces, a non-blocking socket on the Go netpoller, and
//! vishvananda/netns (unshare, setns, a handle inside a namespace, LinkSetNsFd). Go makes
//! raw system calls from whatever thread runs the goroutine, which only the seccomp
//! supervisor sees. The source is `clients/vishvananda/main.go`; it is built once per test
//! run, with Go's build cache kept in the cargo target directory.

mod run_support;
use run_support::{has_flag, index_names, link, run_client_program, target_dir, users};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const GOPATH: &str = "/usr/share/gocode";
const INSTALL: &str = "install the Go client's build deps: `bash .ci/install-clients.sh` \
                       (apt-get install golang-go golang-github-vishvananda-netlink-dev)";

/// The client, built from source on first use (Debian's packages, no module download).
fn go_client() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let go = ["/usr/bin/go", "/usr/lib/go/bin/go"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("no go compiler: {INSTALL}"));
        assert!(
            Path::new(GOPATH)
                .join("src/github.com/vishvananda/netlink")
                .is_dir(),
            "no vishvananda/netlink under {GOPATH}: {INSTALL}"
        );
        let src = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/clients/vishvananda/main.go"
        );
        let out_dir = target_dir().join("go-clients");
        std::fs::create_dir_all(&out_dir).expect("go-clients dir");
        // Built under a private name, then renamed: a concurrent run never sees half a file.
        let bin = out_dir.join("vishvananda");
        let tmp = out_dir.join(format!("vishvananda.{}", std::process::id()));
        let o = Command::new(go)
            .args(["build", "-trimpath", "-o"])
            .arg(&tmp)
            .arg(src)
            .env("GO111MODULE", "off")
            .env("GOPATH", GOPATH)
            .env("CGO_ENABLED", "0")
            .env("GOCACHE", out_dir.join("cache"))
            .env("GOFLAGS", "")
            .output()
            .expect("run go build");
        assert!(
            o.status.success(),
            "go build {src}: {}\n{INSTALL}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::rename(&tmp, &bin).expect("rename the Go client");
        bin
    })
}

const EXPECT: &str = "\
before: 1 lo device down master=-
before: 2 eth0 device down master=-
before: 3 eth1 device down master=-
LinkByName eth0: index 2
after: 1 lo device down master=-
after: 2 eth0 device up master=br0
after: 3 eth1 device down master=-
after: 4 br0 bridge up master=-
after: 5 veth1 veth down master=-
after: 6 veth0 veth up master=br0
net.Interfaces: 1:lo 2:eth0 3:eth1 4:br0 5:veth1 6:veth0
net.InterfaceByName veth1: index 5 up=false
netpoller dump: lo eth0 eth1 br0 veth1 veth0
netns links: 1:lo 7:gd0
gd0 left init_net: true
";

#[test]
fn go_vishvananda_static() {
    require_seccomp!();
    let built = go_client();
    let elf = std::fs::read(built).expect("read the Go client");
    assert!(
        !elf.windows(15).any(|w| w == b"/lib64/ld-linux"),
        "the Go client is not statically linked"
    );
    for u in users() {
        let links = run_client_program(u, built, "go client", EXPECT);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "veth1".to_string()),
                (6, "veth0".to_string()),
            ],
            "{u:?}"
        );
        for port in ["eth0", "veth0"] {
            let l = link(&links, port);
            assert_eq!(l["master"], "br0", "{u:?}: {l}");
            assert!(has_flag(l, "UP"), "{u:?}: {l}");
        }
        assert!(has_flag(link(&links, "br0"), "UP"), "{u:?}");
        assert!(!has_flag(link(&links, "veth1"), "UP"), "{u:?}");
        assert_eq!(link(&links, "veth1")["link"], "veth0", "{u:?}");
    }
}
