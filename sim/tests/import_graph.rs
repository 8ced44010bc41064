//! No module cycles in `sim/src` nor in `launcher/src`: each file-level module graph (from
//! `use crate::` / `super::` / `self::` paths and bare child names) must be a DAG, so the wire
//! formats sit below the rtnetlink handlers, the kinds below their registry and decoder.

#[path = "../../kernel-model/tests/import_graph/module_graph.rs"]
#[allow(dead_code)]
mod module_graph;

use module_graph::ModuleGraph;
use std::path::Path;

fn assert_acyclic(src: &Path) {
    let g = match ModuleGraph::read(src) {
        Ok(g) => g,
        Err(e) => panic!("read {}: {e}", src.display()),
    };
    let cycles = g.cycles();
    let shown: Vec<String> = cycles.iter().map(|c| c.join(" -> ")).collect();
    assert!(
        cycles.is_empty(),
        "module cycles in {}:\n{}",
        src.display(),
        shown.join("\n")
    );
}

#[test]
fn sim_has_no_module_cycle() {
    assert_acyclic(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
}

#[test]
fn launcher_has_no_module_cycle() {
    assert_acyclic(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../launcher/src"));
}

#[test]
fn the_graph_sees_the_references_it_must() {
    let g = match ModuleGraph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        Ok(g) => g,
        Err(e) => panic!("read sim/src: {e}"),
    };
    let refs = |m: &str| g.edges.get(m).cloned().unwrap_or_default();
    // The registry names each kind; a kind names what it is made of, not the registry.
    assert!(refs("rtnl::kinds").contains("rtnl::kinds::veth"));
    assert!(refs("rtnl::kinds::veth").contains("rtnl::link_kind"));
    assert!(!refs("rtnl::kinds::veth").contains("rtnl::decode"));
    // The validator fills the table and the extack.
    assert!(refs("wire::nlattr").contains("wire::attrs"));
    assert!(refs("wire::nlattr").contains("wire::extack"));
}
