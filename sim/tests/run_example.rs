//! `examples/virtual-interfaces.sh` (the README's main job) runs to the end and shows what is
//! modelled, with the seed's commands succeeding where the kernel's do.

mod run_support;
use std::process::Command;

#[test]
fn seed_walkthrough_runs_to_the_end() {
    require_seccomp!();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/virtual-interfaces.sh"
    );
    let out = Command::new("bash")
        .arg(script)
        .env("NLSIM", run_support::nlsim())
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "$ ip link add br0 type bridge\n",
        // The seed's bonding section: created and both NICs enslaved without an error.
        "$ ip link add bond1 type bond miimon 100 mode active-backup\n\n$ ip link set eth0 master bond1\n\n$ ip link set eth1 master bond1\n\n--- ip -br link",
        "$ ip link add team0 type team\n\n",
        // The vlans are created and brought up (eth0 is up as a team port, without carrier).
        "$ ip link add link eth0 name eth0.2 type vlan id 2\n\n$ ip link set eth0.2 up\n\n",
        "$ ip link add link eth0 name eth0.3 type vlan id 3\n\n$ ip link set eth0.3 up\n\n",
        // The README's collision, as on a kernel: eth0 carries macvlans (EBUSY for an
        // ipvlan), and net1 exists already.
        "$ ip link add ipv1 link eth0 type ipvlan mode l2\nRTNETLINK answers: Device or resource busy\n",
        "$ ip netns add net1\nCannot create namespace file \"/run/netns/net1\": File exists\n",
        "\nDone.\n",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
    assert!(!stdout.contains("not modelled"), "{stdout}");
    // The setup, the vlan, macvlan and ipvlan sections: every command succeeds.
    for name in ["Assumed to exist", "VLAN", "MACVLAN (from", "IPVLAN (from"] {
        let sec = section(&stdout, name);
        assert!(!sec.contains("(exit"), "a command failed in {name}:\n{sec}");
    }
    // The moves happened: each namespace holds its sub-interface, the lower stays behind.
    let mac = section(&stdout, "MACVLAN (from");
    assert!(mac.contains("macv1@if2: <BROADCAST,MULTICAST>"), "{mac}");
    assert!(mac.contains("link-netnsid 0"), "{mac}");
    let mac_last = mac.rsplit("--- ip -br link").next().unwrap_or("");
    assert!(!mac_last.contains("macv1"), "{mac_last}");
    let ipv = section(&stdout, "IPVLAN (from");
    assert!(ipv.contains("ipv1@if2:"), "{ipv}");
    assert!(ipv.contains("ipvlan  mode l2 bridge"), "{ipv}");
    // The bridge section's result: br0 exists and veth1 is its port.
    let bridge = section(&stdout, "Bridge");
    assert!(bridge.contains("br0 "), "{bridge}");
}

/// The output of the walkthrough's section whose title starts with `name`.
fn section<'a>(out: &'a str, name: &str) -> &'a str {
    let start = out
        .find(&format!("===== {name}"))
        .unwrap_or_else(|| panic!("no section {name} in\n{out}"));
    let rest = &out[start + 6..];
    let end = rest.find("\n===== ").unwrap_or(rest.len());
    &rest[..end]
}
