//! Conformance with the real kernel: every scenario of golden/scenarios runs under
//! `nlsim run --netdevsim 1:3` with the oracle's own runner and is compared, command by command
//! and final state by final state, with the committed kernel transcripts
//! (golden/kernel/6.12, produced by golden/oracle). Differences must be listed in
//! golden/crosscheck/known-gaps.txt with a reason; a listed item that now matches fails the
//! test too, so the list only shrinks.

use std::path::Path;
use std::process::Command;

#[test]
fn scenarios_match_kernel_transcripts_except_known_gaps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for tool in ["dash", "python3", "ip"] {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "the cross-check needs `{tool}`: apt-get install dash python3 iproute2"
        );
    }
    let report = std::env::temp_dir().join(format!("nlsim-crosscheck-{}.json", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .arg("crosscheck")
        .arg("--gaps")
        .arg("golden/crosscheck/known-gaps.txt")
        .arg("--json")
        .arg(&report)
        .current_dir(&root)
        .output()
        .expect("run nlsim crosscheck");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let total = stdout
        .lines()
        .find(|l| l.starts_with("TOTAL:"))
        .unwrap_or("no TOTAL line");
    println!("{total}");
    assert!(
        out.status.success(),
        "cross-check failed:\n{stderr}\n{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let _ = std::fs::remove_file(&report);
    assert!(
        json["commands"].as_u64().unwrap_or(0) >= 600,
        "the whole corpus ran: {total}"
    );
}
