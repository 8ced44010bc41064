//! `examples/virtual-interfaces.sh` (the README's main job) runs to the end and shows what is
//! modelled and what is refused.

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
        // eth0 is team0's port by then: its rx_handler is taken, as on a kernel (EBUSY).
        "$ ip link add macv1 link eth0 type macvlan mode bridge\nRTNETLINK answers: Device or resource busy\n",
        "$ ip link add ipv1 link eth0 type ipvlan mode l2\nRTNETLINK answers: Device or resource busy\n",
        "nlsim: network namespaces are not modelled",
        "\nDone.\n",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
    // The bridge section's result: br0 exists and veth1 is its port.
    let last = stdout.rsplit("--- ip -br link").next().unwrap_or("");
    assert!(last.contains("br0 "), "{last}");
}
