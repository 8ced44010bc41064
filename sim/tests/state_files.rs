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
use std::path::Path;
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
