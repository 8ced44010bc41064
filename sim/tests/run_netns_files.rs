//! Namespace files under `nlsim run` behave like nsfs (launcher/src/nsfs.rs), checked with
//! the real tools as the current user and as nobody. Expected values are the kernel's,
//! measured on the oracle (Debian 6.12, `golden/oracle/run.sh` with these commands):
//! `readlink /proc/self/ns/net` is `net:[4026531840]`; `stat -L -c '%d %i %f %h %u %g %s'`
//! of it `4 4026531840 8124 1 0 0 0`; `stat -f -c '%t %s %S %b %l %i'` of it
//! `6e736673 4096 4096 0 255 400000000` (nsfs, followed through the magic link); after
//! `ip netns add a; ip netns add b`, `/run/netns/a` and `/run/netns/b` are `4 4026532121`
//! and `4 4026532177`, `stat -f /run/netns` is tmpfs (1021994) and a plain file there too;
//! `ip netns del a; ip netns add c` gives c a's number back; `ip netns exec b ip netns
//! identify` prints `b`, `ip netns identify` in init_net an empty line; `ip netns monitor`
//! prints `add x`, `add y`, `delete x` (measured on this host in `unshare -rnm`).

mod run_support;
use run_support::{nlsim_run, users, TempDir, User};

/// `sh -c SCRIPT` under a fresh `nlsim run` as `u`; stdout.
fn sh(u: User, dir: &TempDir, script: &str) -> String {
    nlsim_run(u, &dir.0, &["--", "sh", "-c", script]).ok(script)
}

#[test]
fn stat_statfs_readlink_show_one_nsfs_inode_per_namespace() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("nsfs-stat");
        let out = sh(
            u,
            &dir,
            "readlink /proc/self/ns/net /proc/thread-self/ns/net /proc/$$/ns/net
             stat -L -c '%d %i %f %h %u %g %s' /proc/self/ns/net
             stat -f -c '%t %s %S %b %l %i' /proc/self/ns/net
             ip netns add a && ip netns add b
             stat -c '%d %i %f' /run/netns/a /var/run/netns/b
             stat -L -c '%d %i' /run/netns/a
             stat -f -c '%t' /run/netns/a /var/run/netns/b
             ip netns exec a readlink /proc/self/ns/net
             ip netns exec b sh -c 'stat -L -c %i /proc/thread-self/ns/net'
             ip netns del a && ip netns add c
             stat -c '%d %i' /run/netns/c",
        );
        assert_eq!(
            out,
            "net:[4026531840]\nnet:[4026531840]\nnet:[4026531840]\n\
             4 4026531840 8124 1 0 0 0\n\
             6e736673 4096 4096 0 255 400000000\n\
             4 4026532121 8124\n4 4026532177 8124\n\
             4 4026532121\n\
             6e736673\n6e736673\n\
             net:[4026532121]\n\
             4026532177\n\
             4 4026532121\n",
            "{u:?}"
        );
    }
}

#[test]
fn run_netns_directory_and_plain_entries_are_tmpfs() {
    require_seccomp!();
    let shm_is_tmpfs = std::process::Command::new("stat")
        .args(["-f", "-c", "%t", "/dev/shm"])
        .output()
        .is_ok_and(|o| o.stdout == b"1021994\n");
    for u in users() {
        let dir = TempDir::new("nsfs-dir");
        let out = sh(
            u,
            &dir,
            "stat /run/netns 2>&1; ip netns add a
             stat -c '%F' /run/netns; stat -f -c '%t' /run/netns
             touch /run/netns/plain; stat -c '%F %s' /run/netns/plain
             stat -f -c '%t' /run/netns/plain; readlink /run/netns/a; echo rc $?",
        );
        let (missing, rest) = out.split_once('\n').expect("lines");
        assert_eq!(
            missing, "stat: cannot statx '/run/netns': No such file or directory",
            "{u:?}"
        );
        // The live directory is made on /dev/shm (tmpfs, like the kernel's /run) when it can be.
        let fs = if shm_is_tmpfs {
            "1021994"
        } else {
            rest.lines().nth(1).unwrap_or("")
        };
        assert_eq!(
            rest,
            format!("directory\n{fs}\nregular empty file 0\n{fs}\nrc 1\n"),
            "{u:?}"
        );
    }
}

#[test]
fn fstat_and_fstatfs_of_an_open_namespace_file() {
    require_seccomp!();
    let Some(py) = run_support::python3() else {
        panic!("python3 is needed (apt-get install python3)");
    };
    let script = "import os
a = os.open('/proc/self/ns/net', os.O_RDONLY)
b = os.open('/run/netns/n1', os.O_RDONLY)
for fd in (a, b):
    st = os.fstat(fd)
    vfs = os.fstatvfs(fd)
    print(st.st_dev, st.st_ino, oct(st.st_mode), vfs.f_bsize, vfs.f_namemax, vfs.f_blocks)
print(os.stat('/run/netns/n1').st_ino == os.fstat(b).st_ino)
# The link itself (O_PATH | O_NOFOLLOW) is procfs, the file it leads to nsfs.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(120)
for flags in (os.O_PATH | os.O_NOFOLLOW, os.O_PATH):
    fd = os.open('/proc/self/ns/net', flags)
    assert libc.fstatfs(fd, buf) == 0
    print(hex(int.from_bytes(buf.raw[:8], 'little')))
";
    for u in users() {
        let dir = TempDir::new("nsfs-fstat");
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--",
                "sh",
                "-c",
                &format!("ip netns add n1 && {py} -c \"$0\""),
                script,
            ],
        )
        .ok("python fstat");
        assert_eq!(
            out,
            "4 4026531840 0o100444 4096 255 0\n4 4026532121 0o100444 4096 255 0\nTrue\n\
             0x9fa0\n0x6e736673\n",
            "{u:?}"
        );
    }
}

#[test]
fn ip_netns_identify_and_pids() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("nsfs-identify");
        let out = sh(
            u,
            &dir,
            "ip netns add a && ip netns add b
             echo \"[$(ip netns identify)]\"
             ip netns exec b ip netns identify
             ip netns exec a sleep 30 & p=$!
             while [ \"$(ip netns identify $p)\" != a ]; do sleep 0.1; done
             echo identify $(ip netns identify $p)
             [ \"$(ip netns pids a)\" = \"$p\" ] && echo pids ok
             echo b: $(ip netns pids b)
             kill $p",
        );
        assert_eq!(out, "[]\nb\nidentify a\npids ok\nb:\n", "{u:?}");
    }
}

#[test]
fn ip_netns_monitor_sees_adds_and_deletes() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("nsfs-monitor");
        let out = sh(
            u,
            &dir,
            "ip netns add first
             stdbuf -oL ip netns monitor > mon.txt & m=$!
             sleep 0.5; ip netns add x; ip netns add y; ip netns del x; sleep 0.5
             kill $m; cat mon.txt",
        );
        assert_eq!(out, "add x\nadd y\ndelete x\n", "{u:?}");
    }
}

#[test]
fn nsenter_unshare_attach_and_nesting() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("nsfs-enter");
        let out = sh(
            u,
            &dir,
            "ip netns add y
             nsenter --net=/run/netns/y ip -br link
             nsenter --net=/run/netns/y readlink /proc/self/ns/net
             touch /run/netns/u && unshare --net=/run/netns/u true && echo unshare ok
             ip netns exec u ip -br link
             sleep 30 & p=$!
             ip netns attach att $p && ip netns identify $p
             ip netns list
             ip netns exec y nsenter --net=/run/netns/u ip netns identify
             nsenter --net=/run/netns/u ip netns exec y ip netns identify
             kill $p",
        );
        let lo = "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n";
        assert_eq!(
            out,
            format!("{lo}net:[4026532121]\nunshare ok\n{lo}att\natt\nu\ny\nu\ny\n"),
            "{u:?}"
        );
    }
}

/// The host's namespaces are never shown or entered: stat, statfs and readlink of the
/// `ns/net` of a process outside `nlsim run` (this test's) give the simulated namespace it
/// counts as in (init_net), or the kernel's EACCES when the caller may not trace it
/// (proc_ns_get_link), never the host's inode; opening it for setns likewise.
#[test]
fn host_namespace_files_stay_hidden() {
    require_seccomp!();
    let me = std::process::id();
    let host = std::fs::read_link("/proc/self/ns/net").expect("own ns/net");
    let host = host.to_string_lossy().into_owned();
    for u in users() {
        let dir = TempDir::new("nsfs-contain");
        let out = sh(
            u,
            &dir,
            &format!(
                "f=/proc/{me}/ns/net; readlink -v $f 2>&1; stat -L -c %i $f 2>&1
                 stat -f -c %t $f 2>&1; nsenter --net=$f readlink /proc/self/ns/net 2>&1
                 echo rc $?"
            ),
        );
        if host != "net:[4026531840]" {
            assert!(!out.contains(&host[5..host.len() - 1]), "{u:?}: {out}");
        }
        match u {
            User::Nobody => assert_eq!(
                out,
                format!(
                    "readlink: /proc/{me}/ns/net: Permission denied\n\
                     stat: cannot statx '/proc/{me}/ns/net': Permission denied\n\
                     stat: cannot read file system information for '/proc/{me}/ns/net': Permission denied\n\
                     nsenter: cannot open /proc/{me}/ns/net: Permission denied\n\
                     rc 1\n"
                )
            ),
            User::Current => assert_eq!(
                out,
                "net:[4026531840]\n4026531840\n6e736673\nnet:[4026531840]\nrc 0\n"
            ),
        }
    }
}

/// The CNI reference plugins' namespace library (statfs must say NSFS_MAGIC, then setns on
/// the opened file) accepts the simulated namespace: the bridge plugin's ADD as on the
/// kernel (issue 18: `cni0` 10.22.0.1/16, `eth0` in c1 with 10.22.0.2/16 from host-local).
#[test]
fn cni_bridge_plugin_add_passes_the_namespace_checks() {
    require_seccomp!();
    let plugins = std::path::Path::new("/usr/lib/cni");
    assert!(
        plugins.join("bridge").exists(),
        "the CNI plugins are needed (apt-get install containernetworking-plugins)"
    );
    for u in users() {
        let dir = TempDir::new("nsfs-cni");
        let conf = format!(
            r#"{{"cniVersion":"1.0.0","name":"n","type":"bridge","bridge":"cni0","isGateway":true,"ipam":{{"type":"host-local","subnet":"10.22.0.0/16","dataDir":"{}"}}}}"#,
            dir.path("ipam").display()
        );
        std::fs::write(dir.path("conf.json"), conf).expect("conf");
        let out = sh(
            u,
            &dir,
            "ip netns add c1
             CNI_COMMAND=ADD CNI_CONTAINERID=x CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 \
             CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge < conf.json > result.json
             ip -br -4 addr show cni0; ip -n c1 -br -4 addr show eth0",
        );
        let lines: Vec<Vec<&str>> = out
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            lines,
            [
                vec!["cni0", "UP", "10.22.0.1/16"],
                vec!["eth0@if3", "UP", "10.22.0.2/16"]
            ],
            "{u:?}: {out}"
        );
    }
}
