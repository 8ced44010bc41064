//! The CNI reference plugins (Debian's containernetworking-plugins) under `nlsim run`, as the
//! current user and as `nobody`: each golden/scenarios/cni-*.sh (ADD, CHECK with prevResult,
//! DEL, twice each, error paths, both namespaces' links, addresses and routes) is replayed by
//! `nlsim crosscheck` and must equal its Linux 6.12 transcript except the listed known gaps
//! (portmap's netfilter, refused loudly).

mod run_support;
use run_support::{command, run, users, TempDir};
use std::path::{Path, PathBuf};

const PLUGINS: &str = "/usr/lib/cni";

fn cni_scenarios(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join("golden/scenarios"))
        .expect("golden/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cni-") && n.ends_with(".sh"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_cni_plugin_matches_the_kernel_unprivileged() {
    if let Some(why) = run_support::unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    assert!(
        Path::new(PLUGINS).join("bridge").exists(),
        "the CNI plugins are needed: apt-get install containernetworking-plugins (.ci/install-clients.sh)"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().expect("repository root");
    let scenarios = cni_scenarios(&root);
    assert!(scenarios.len() >= 10, "cni scenarios: {scenarios:?}");
    let gaps = root.join("golden/crosscheck/known-gaps.txt");
    let nlsim = run_support::nlsim().to_string_lossy().into_owned();
    for user in users() {
        let dir = TempDir::new("cni");
        for s in &scenarios {
            let s = s.to_string_lossy().into_owned();
            let g = gaps.to_string_lossy().into_owned();
            let mut c = command(
                user,
                dir.path("").as_path(),
                &[&nlsim, "crosscheck", &s, "--gaps", &g],
            );
            c.current_dir(&root);
            let r = run(c);
            assert_eq!(
                r.code, 0,
                "{user:?} {s}: differs from the kernel beyond the known gaps\n{}\n{}",
                r.stdout, r.stderr
            );
            assert!(r.stdout.contains("TOTAL:"), "{user:?} {s}: {}", r.stdout);
        }
    }
}
