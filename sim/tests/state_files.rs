//! `nlsim run --state FILE`: a state file anyone may have edited. One whose JSON parses but
//! breaks an invariant the model relies on is refused before the first request, naming the
//! first violation, with exit code 1 and the file byte-for-byte untouched; no edit of a valid
//! state panics the simulator; a save killed mid-way leaves nothing a later run keeps.
//!
//! The corrupted files are derived from a real saved state (a run of `ip` commands creating
//! one device of most kinds, ports, a namespace) by editing its JSON.

mod run_support;
use run_support::{nlsim_run, users, TempDir, User};
use serde_json::Value;
use std::sync::OnceLock;

/// The commands that build the base state: every relation the model keeps (bridge, bond and
/// vrf ports, stacked vlan/macvlan/ipvlan, a veth pair across namespaces, tunnels, a tap,
/// an altname, an FDB entry).
const SETUP: &str = "ip link add br0 type bridge; \
    ip link add veth0 type veth peer name veth1; ip link set veth0 master br0; \
    ip link add bond0 type bond; ip link add d0 type dummy; ip link set d0 master bond0; \
    ip link add vrf0 type vrf table 10; ip link add d1 type dummy; ip link set d1 master vrf0; \
    ip link add team0 type team; \
    ip link add link eth0 name eth0.5 type vlan id 5; \
    ip link add mv0 link eth1 type macvlan; ip link add ipv0 link eth0 type ipvlan; \
    ip link add vx0 type vxlan id 42 dstport 4789; \
    ip link add gre1 type gre remote 10.0.0.1 local 10.0.0.2; \
    ip link add gnv0 type geneve id 7 remote 10.0.0.3; \
    ip tuntap add tap0 mode tap; ip link property add dev d0 altname dummy-zero; \
    ip netns add blue; ip link set veth1 netns blue; \
    ip link set br0 up; ip link set veth0 up; \
    bridge fdb add 02:00:00:00:00:01 dev veth0 master static";

/// The saved state after [`SETUP`], as JSON (built once per test binary).
fn base_state() -> &'static Value {
    static BASE: OnceLock<Value> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = TempDir::new("state-base");
        let f = dir.path("base.json");
        let st = f.to_str().expect("utf-8 path");
        nlsim_run(
            User::Current,
            &dir.0,
            &[
                "--state",
                st,
                "--netdevsim",
                "1:2",
                "--",
                "sh",
                "-ec",
                SETUP,
            ],
        )
        .ok("building the base state");
        let text = std::fs::read(&f).expect("saved state");
        serde_json::from_slice(&text).expect("the saved state is JSON")
    })
}

/// The device named `name` in the initial namespace's JSON.
fn dev<'a>(state: &'a mut Value, name: &str) -> &'a mut Value {
    let id = state["namespaces"]["0"]["by_name"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no device {name} in the base state"));
    &mut state["devices"][id.to_string()]
}

fn dev_id(state: &Value, name: &str) -> u64 {
    state["namespaces"]["0"]["by_name"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no device {name} in the base state"))
}

/// Writes the edited state, runs `ip link show` on it as every user, and checks the refusal:
/// exit 1, `want` in the error, the file unchanged.
fn refused(tag: &str, edit: impl Fn(&mut Value), want: &str) {
    require_seccomp!();
    let mut state = base_state().clone();
    edit(&mut state);
    let bytes = serde_json::to_vec_pretty(&state).expect("serialize");
    for u in users() {
        let dir = TempDir::new(tag);
        let f = dir.path("state.json");
        std::fs::write(&f, &bytes).expect("write the edited state");
        let st = f.to_str().expect("utf-8 path");
        let r = nlsim_run(u, &dir.0, &["--state", st, "--", "ip", "link", "show"]);
        assert_eq!(
            r.code, 1,
            "{tag} {u:?}: exit {}, stderr: {}",
            r.code, r.stderr
        );
        assert!(
            r.stderr.contains("inconsistent state") && r.stderr.contains(want),
            "{tag} {u:?}: wanted {want:?} in: {}",
            r.stderr
        );
        assert!(
            r.stdout.is_empty(),
            "{tag} {u:?}: the command ran: {}",
            r.stdout
        );
        assert_eq!(
            std::fs::read(&f).expect("read back"),
            bytes,
            "{tag} {u:?}: the state file changed"
        );
    }
}

#[test]
fn base_state_loads_and_runs() {
    require_seccomp!();
    let bytes = serde_json::to_vec(base_state()).expect("serialize");
    for u in users() {
        let dir = TempDir::new("state-ok");
        let f = dir.path("state.json");
        std::fs::write(&f, &bytes).expect("write");
        let st = f.to_str().expect("utf-8 path");
        let out = nlsim_run(
            u,
            &dir.0,
            &["--state", st, "--", "ip", "-br", "link", "show"],
        )
        .ok("ip link show on the base state");
        assert!(
            out.contains("veth0@") && out.contains("gnv0"),
            "{u:?}: {out}"
        );
    }
}

#[test]
fn ifindex_collision_in_a_namespace() {
    // eth1 claims eth0's ifindex: the index table can hold only one of them.
    refused(
        "st-ifindex",
        |s| {
            let eth0 = s["devices"][dev_id(s, "eth0").to_string()]["ifindex"].clone();
            dev(s, "eth1")["ifindex"] = eth0;
        },
        "device \"eth1\"",
    );
}

#[test]
fn device_in_a_missing_namespace() {
    refused(
        "st-netns",
        |s| dev(s, "d1")["netns"] = 77.into(),
        "device \"d1\" (id 10): netns: namespace 77 does not exist",
    );
}

#[test]
fn names_dev_valid_name_refuses() {
    let long = "n".repeat(300);
    for (i, bad) in [
        long.as_str(),
        "",
        ".",
        "..",
        "a/b",
        "a:b",
        "a b",
        "tab\there",
        "sixteen-bytes-xx",
    ]
    .into_iter()
    .enumerate()
    {
        refused(
            &format!("st-name{i}"),
            |s| dev(s, "d0")["name"] = bad.into(),
            "name: not a valid interface name (dev_valid_name)",
        );
    }
}

#[test]
fn altname_too_long() {
    refused(
        "st-altname",
        |s| dev(s, "d0")["altnames"] = serde_json::json!(["a".repeat(128)]),
        "altnames:",
    );
}

#[test]
fn veth_peer_is_itself() {
    refused(
        "st-veth-self",
        |s| {
            let me = dev_id(s, "veth0");
            dev(s, "veth0")["state"]["Veth"]["peer"] = me.into();
        },
        "device \"veth0\" (id 5): peer: points at the device itself",
    );
}

#[test]
fn veth_peer_missing() {
    refused(
        "st-veth-missing",
        |s| dev(s, "veth0")["state"]["Veth"]["peer"] = 4242.into(),
        "device \"veth0\" (id 5): peer: device id 4242 does not exist",
    );
}

#[test]
fn port_whose_master_is_missing() {
    refused(
        "st-master-missing",
        |s| dev(s, "veth0")["master"] = 4242.into(),
        "device \"veth0\" (id 5): master: device id 4242 does not exist",
    );
}

#[test]
fn port_whose_master_is_not_a_master_kind() {
    refused(
        "st-master-kind",
        |s| {
            let eth0 = dev_id(s, "eth0");
            dev(s, "d1")["master"] = eth0.into();
        },
        "master: device \"eth0\" (id 2) is not a master kind",
    );
}

#[test]
fn name_map_entry_pointing_nowhere() {
    refused(
        "st-name-nowhere",
        |s| s["namespaces"]["0"]["by_name"]["ghost0"] = 4242.into(),
        "namespace 0: by_name: \"ghost0\" -> device id 4242 that does not exist",
    );
}

#[test]
fn name_map_entry_pointing_at_another_name() {
    refused(
        "st-name-other",
        |s| {
            let eth0 = dev_id(s, "eth0");
            s["namespaces"]["0"]["by_name"]["ghost0"] = eth0.into();
        },
        "namespace 0: by_name: \"ghost0\" -> device \"eth0\" (id 2), which has no such name here",
    );
}

#[test]
fn stacked_device_without_its_lower() {
    refused(
        "st-vlan-real",
        |s| dev(s, "eth0.5")["state"]["Vlan"]["real_dev"] = Value::Null,
        "real_dev: a registered device of this kind has one",
    );
}

#[test]
fn kind_state_of_another_kind() {
    refused(
        "st-kind-state",
        |s| dev(s, "d1")["kind"] = "Bridge".into(),
        "device \"d1\" (id 10): state: does not belong to a Bridge device",
    );
}

#[test]
fn device_id_allocator_behind_the_devices() {
    refused(
        "st-next-dev",
        |s| s["next_dev_id"] = 3.into(),
        "state: next_dev_id: 3 is not past device id 3",
    );
}

/// Counters the kernel keeps as wrapping integers load at their maximum and keep counting
/// (the model used to overflow-panic on the next carrier change or STP transition).
#[test]
fn counters_at_their_maximum_wrap() {
    require_seccomp!();
    let mut s = base_state().clone();
    dev(&mut s, "veth0")["carrier_up_count"] = u32::MAX.into();
    dev(&mut s, "veth0")["carrier_down_count"] = u32::MAX.into();
    dev(&mut s, "veth0")["port"]["Bridge"]["stp_transition_blk"] = u64::MAX.into();
    dev(&mut s, "veth0")["port"]["Bridge"]["stp_transition_fwd"] = u64::MAX.into();
    let bytes = serde_json::to_vec(&s).expect("serialize");
    for u in users() {
        let dir = TempDir::new("st-counters");
        let f = dir.path("state.json");
        std::fs::write(&f, &bytes).expect("write");
        let st = f.to_str().expect("utf-8 path");
        // veth1 up: veth0's carrier comes on (up_count wraps); STP on the bridge moves the
        // port through blocking/forwarding (the STP counters wrap); then down again.
        nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--",
                "sh",
                "-ec",
                "ip -n blue link set veth1 up; ip link set br0 type bridge stp_state 1; \
                 ip link set br0 type bridge stp_state 0; ip -n blue link set veth1 down",
            ],
        )
        .ok("changes on counters at their maximum");
        let after: Value = serde_json::from_slice(&std::fs::read(&f).expect("read")).expect("json");
        let id = dev_id(&after, "veth0").to_string();
        let veth0 = &after["devices"][id];
        assert_eq!(
            veth0["carrier_up_count"], 0,
            "{u:?}: carrier_up_count wraps to 0"
        );
        assert_eq!(
            veth0["carrier_down_count"], 0,
            "{u:?}: carrier_down_count wraps to 0"
        );
    }
}

/// A save killed between its write and its rename leaves `F.tmp.<pid>`; the next save removes
/// it once that pid is gone, and leaves a live process's temporary alone.
#[test]
fn stale_temporaries_of_dead_savers_are_removed() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("st-tmp");
        let f = dir.path("state.json");
        let st = f.to_str().expect("utf-8 path");
        // A pid that exists for certain (ours), and one that no longer does: a child that
        // has been waited for (pids are not reused that quickly on a 4M pid space).
        let live = std::process::id();
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let dead = child.id();
        child.wait().expect("wait");
        let stale = dir.path(&format!("state.json.tmp.{dead}"));
        let busy = dir.path(&format!("state.json.tmp.{live}"));
        let other = dir.path("other.json.tmp.1");
        for p in [&stale, &busy, &other] {
            std::fs::write(p, b"{half a state").expect("write a temporary");
        }
        nlsim_run(u, &dir.0, &["--state", st, "--", "true"]).ok("a run that saves");
        assert!(f.exists(), "{u:?}: the state was saved");
        assert!(
            !stale.exists(),
            "{u:?}: the dead saver's temporary is still there"
        );
        assert!(busy.exists(), "{u:?}: a live saver's temporary was removed");
        assert!(
            other.exists(),
            "{u:?}: another file's temporary was removed"
        );
    }
}

// ----- every single-field edit of a valid state ----------------------------------------------

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_DUMP: u16 = 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const IFF_UP: u32 = 1;

/// An RTM_*LINK request: nlmsghdr + ifinfomsg.
fn link_msg(ty: u16, flags: u16, seq: u32, ifindex: i32, ifi_flags: u32, change: u32) -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(&32u32.to_ne_bytes());
    m.extend_from_slice(&ty.to_ne_bytes());
    m.extend_from_slice(&(NLM_F_REQUEST | flags).to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]); // family, pad, type
    m.extend_from_slice(&ifindex.to_ne_bytes());
    m.extend_from_slice(&ifi_flags.to_ne_bytes());
    m.extend_from_slice(&change.to_ne_bytes());
    m
}

/// Sends one request and reads until its NLMSG_DONE or NLMSG_ERROR; Err if none comes.
fn request(s: &nlsim::SimSocket, msg: &[u8]) -> Result<(), String> {
    s.send(msg).map_err(|e| format!("send: {e}"))?;
    loop {
        let d = s.recv_timeout(5000).map_err(|e| format!("recv: {e}"))?;
        if d.is_empty() {
            return Err("the simulator closed the socket".into());
        }
        let mut off = 0;
        while off + 16 <= d.len() {
            let len = u32::from_ne_bytes([d[off], d[off + 1], d[off + 2], d[off + 3]]) as usize;
            let ty = u16::from_ne_bytes([d[off + 4], d[off + 5]]);
            if ty == NLMSG_DONE || ty == NLMSG_ERROR {
                return Ok(());
            }
            if len < 16 {
                return Err(format!("bad nlmsg_len {len}"));
            }
            off += (len + 3) & !3;
        }
    }
}

/// Loads `state` into a simulator and drives every device of the initial namespace: dump,
/// up, down, get, delete, dump; then the state it ends in must be consistent.
fn exercise(state: nlsim::kernel_model::Kernel, ifindexes: &[i32]) -> Result<(), String> {
    let sim = nlsim::Sim::builder()
        .state(state)
        .start()
        .map_err(|e| format!("start: {e}"))?;
    let s = sim.connect().map_err(|e| format!("connect: {e}"))?;
    let mut seq = 0;
    let mut req = |ty, flags, idx, fl, ch| {
        seq += 1;
        request(&s, &link_msg(ty, flags, seq, idx, fl, ch))
    };
    req(RTM_GETLINK, NLM_F_DUMP, 0, 0, 0)?;
    for &i in ifindexes {
        req(RTM_NEWLINK, NLM_F_ACK, i, IFF_UP, IFF_UP)?;
        req(RTM_GETLINK, NLM_F_ACK, i, 0, 0)?;
        req(RTM_NEWLINK, NLM_F_ACK, i, 0, IFF_UP)?;
    }
    for &i in ifindexes {
        req(RTM_DELLINK, NLM_F_ACK, i, 0, 0)?;
    }
    req(RTM_GETLINK, NLM_F_DUMP, 0, 0, 0)?;
    let after = sim.dump_state().map_err(|e| format!("dump_state: {e}"))?;
    let k: nlsim::kernel_model::Kernel =
        serde_json::from_value(after).map_err(|e| format!("reload: {e}"))?;
    k.check_invariants()
}

/// JSON pointers of every leaf, and of every map whose keys are ids or names.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, bool)>) {
    match v {
        Value::Object(m) => {
            if !m.is_empty() {
                out.push((path.clone(), true));
            }
            for (k, c) in m {
                leaves(
                    c,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            if !a.is_empty() {
                out.push((path.clone(), true));
            }
            for (i, c) in a.iter().enumerate() {
                leaves(c, format!("{path}/{i}"), out);
            }
        }
        _ => out.push((path, false)),
    }
}

/// The edits tried on one place: extreme numbers, names `dev_valid_name` refuses, a flipped
/// flag; for a container, its first entry dropped or (a map) renamed.
fn edits(v: &Value) -> Vec<Value> {
    match v {
        Value::Number(_) => vec![
            0.into(),
            1.into(),
            (i32::MAX as u64 + 1).into(),
            u32::MAX.into(),
            u64::MAX.into(),
            (-1).into(),
        ],
        Value::String(_) => vec!["".into(), "a/b".into(), "x".repeat(300).into(), "lo".into()],
        Value::Bool(b) => vec![(!b).into()],
        Value::Null => vec![1.into(), "x".into()],
        Value::Array(a) => vec![Value::Array(a[1..].to_vec())],
        Value::Object(m) => {
            let mut dropped = m.clone();
            let first = m.keys().next().cloned().unwrap_or_default();
            let moved = dropped.remove(&first).unwrap_or(Value::Null);
            let mut renamed = dropped.clone();
            renamed.insert("4242".into(), moved);
            vec![Value::Object(dropped), Value::Object(renamed)]
        }
    }
}

/// No single-field edit of a real saved state panics the simulator: the load refuses it, or
/// the model serves every request on it and ends consistent.
#[test]
fn single_field_edits_never_panic() {
    require_seccomp!();
    let base = base_state().clone();
    let panics = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    {
        let panics = panics.clone();
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut p) = panics.lock() {
                p.push(info.to_string());
            }
            prev(info);
        }));
    }
    let mut places = Vec::new();
    leaves(&base, String::new(), &mut places);
    let (mut refused, mut served) = (0, 0);
    let mut failures = Vec::new();
    let every_edit = std::env::var("NLSIM_STATE_EDITS").is_ok_and(|v| v == "all");
    let t0 = std::time::Instant::now();
    for (n, (place, _)) in places.iter().enumerate() {
        if n % 100 == 0 {
            eprintln!(
                "{n}/{} places, {served} served, {:?}",
                places.len(),
                t0.elapsed()
            );
        }
        let Some(orig) = base.pointer(place) else {
            continue;
        };
        // Every edit of every place with NLSIM_STATE_EDITS=all (minutes in a debug build);
        // by default one edit per place, rotating through the kinds of edit.
        let all = edits(orig);
        let pick = n % all.len().max(1);
        for (i, e) in all.into_iter().enumerate() {
            if !every_edit && i != pick {
                continue;
            }
            let mut s = base.clone();
            if let Some(slot) = s.pointer_mut(place) {
                *slot = e.clone();
            }
            let Ok(k) = serde_json::from_value::<nlsim::kernel_model::Kernel>(s.clone()) else {
                refused += 1;
                continue;
            };
            if k.validate().is_err() {
                refused += 1;
                continue;
            }
            served += 1;
            let ifindexes: Vec<i32> = s["namespaces"]["0"]["by_index"]
                .as_object()
                .map(|m| m.keys().filter_map(|k| k.parse().ok()).collect())
                .unwrap_or_default();
            if std::env::var_os("NLSIM_EDIT_TRACE").is_some() {
                eprintln!("{place} = {e}");
            }
            let r = exercise(k, &ifindexes);
            let panicked = std::mem::take(&mut *panics.lock().expect("panic log"));
            if r.is_err() || !panicked.is_empty() {
                failures.push(format!("{place} = {e}: {r:?} {panicked:?}"));
            }
        }
    }
    println!(
        "{} places, {refused} edits refused, {served} served",
        places.len()
    );
    assert!(served > 500, "too few edits load: {served}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The in-process API refuses an inconsistent saved model as `nlsim run --state` does.
#[test]
fn in_process_api_refuses_an_inconsistent_state() {
    let mut state = base_state().clone();
    let id = dev_id(&state, "veth0");
    dev(&mut state, "veth0")["state"]["Veth"]["peer"] = id.into();
    let k: nlsim::kernel_model::Kernel = serde_json::from_value(state).expect("parses");
    let err = match nlsim::Sim::builder().state(k).start() {
        Ok(_) => panic!("an inconsistent state was accepted"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(
        err.to_string()
            .contains("peer: points at the device itself"),
        "{err}"
    );
    let good: nlsim::kernel_model::Kernel =
        serde_json::from_value(base_state().clone()).expect("parses");
    assert!(nlsim::Sim::builder().state(good).start().is_ok());
}
