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
        "Error: nlsim: link kind \"bond\" not modelled.",
        "Error: nlsim: link kind \"vlan\" not modelled.",
        "Error: nlsim: link kind \"macvlan\" not modelled.",
        "Error: nlsim: link kind \"ipvlan\" not modelled.",
        "nlsim: network namespaces are not modelled",
        "\nDone.\n",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
    // The bridge section's result: br0 exists and veth1 is its port.
    let last = stdout.rsplit("--- ip -br link").next().unwrap_or("");
    assert!(last.contains("br0 "), "{last}");
}
