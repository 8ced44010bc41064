//! `nlsim soak` in small: concurrent clients against a daemon child, the model's invariants
//! checked after every batch and the notifications compared with a final dump. The full run
//! (64 clients x 10 000 operations, `examples/soak.sh`) is a benchmark; this keeps the
//! harness and the checks it makes working.

use std::process::Command;

#[test]
fn small_soak_holds_every_check() {
    let out = Command::new(env!("CARGO_BIN_EXE_nlsim"))
        .args([
            "soak",
            "--clients",
            "6",
            "--ops",
            "250",
            "--batch",
            "25",
            "--seed",
            "3",
        ])
        .output()
        .expect("run nlsim soak");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "soak failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("invariant checks: 60 passed; daemon alive: true"),
        "{text}"
    );
    assert!(
        text.contains("rebuilt table equals the final dump"),
        "{text}"
    );
}
