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
    // The cross-check reads golden/ relative to its working directory: a copy of what these
    // scenarios need, in a directory `nobody` can read (a clone may sit in a private 0700 dir).
    let work = TempDir::new("cni");
    let copy = |rel: &str| {
        let to = work.path(rel);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(root.join(rel), &to).unwrap_or_else(|e| panic!("copy {rel}: {e}"));
    };
    for f in std::fs::read_dir(root.join("golden/oracle")).expect("golden/oracle") {
        let name = f.expect("entry").file_name();
        copy(&format!("golden/oracle/{}", name.to_string_lossy()));
    }
    copy("golden/crosscheck/known-gaps.txt");
    let mut rels = Vec::new();
    for s in &scenarios {
        let stem = s.file_stem().and_then(|n| n.to_str()).expect("utf-8 name");
        copy(&format!("golden/scenarios/{stem}.sh"));
        copy(&format!("golden/kernel/6.12/{stem}.txt"));
        rels.push(format!("golden/scenarios/{stem}.sh"));
    }
    // The cross-check re-executes itself (`current_exe`) for each scenario: its own copy beside
    // the data, so every process `nobody` starts can reach it.
    let bin = work.path("nlsim");
    std::fs::copy(run_support::nlsim(), &bin).expect("copy nlsim");
    let nlsim = bin.to_string_lossy().into_owned();
    for user in users() {
        for s in &rels {
            let argv = [
                nlsim.as_str(),
                "crosscheck",
                s.as_str(),
                "--gaps",
                "golden/crosscheck/known-gaps.txt",
            ];
            let r = run(command(user, &work.0, &argv));
            assert_eq!(
                r.code, 0,
                "{user:?} {s}: differs from the kernel beyond the known gaps\n{}\n{}",
                r.stdout, r.stderr
            );
            assert!(r.stdout.contains("TOTAL:"), "{user:?} {s}: {}", r.stdout);
        }
    }
}
