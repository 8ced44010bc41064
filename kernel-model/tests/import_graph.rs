//! The kinds are reached only through what they register: no module outside `src/kinds/`
//! names `kinds`, and no import cycle runs through both the core and the kinds.

#[path = "import_graph/module_graph.rs"]
mod module_graph;

use module_graph::{check, Layer, ModuleGraph};
use std::path::Path;

const LAYERS: &[Layer] = &[
    Layer {
        name: "kinds",
        prefix: "kinds",
        private: true,
    },
    Layer {
        name: "core",
        prefix: "",
        private: false,
    },
];

fn src() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
}

#[test]
fn core_does_not_name_kinds_and_no_cycle_spans_both() {
    let problems = check(src(), LAYERS).expect("read kernel-model/src");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_graph_sees_the_references_it_must() {
    let g = ModuleGraph::read(src()).expect("read kernel-model/src");
    let refs = |m: &str| g.edges.get(m).cloned().unwrap_or_default();
    // `use crate::kernel::Kernel` and `use super::{Kind, ...}` from a kind.
    assert!(refs("kinds::veth").contains("kernel"));
    assert!(refs("kinds::veth").contains("kinds"));
    // A nested kind module and its parent.
    assert!(refs("kinds::bridge::fdb").contains("kinds::bridge"));
    // The core's trait is referenced by the registry.
    assert!(refs("kinds").contains("link_ops"));
}

#[test]
fn a_reference_into_a_private_layer_and_a_cross_layer_cycle_are_reported() {
    let dir = std::env::temp_dir().join(format!("import-graph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("kinds")).expect("mkdir");
    std::fs::write(dir.join("lib.rs"), "pub mod core; pub mod kinds;\n").expect("write");
    std::fs::write(
        dir.join("core.rs"),
        "// crate::kinds in a comment does not count\nuse crate::kinds::a::A;\n",
    )
    .expect("write");
    std::fs::write(dir.join("kinds/mod.rs"), "pub mod a;\n").expect("write");
    std::fs::write(dir.join("kinds/a.rs"), "use crate::core::{self, X};\n").expect("write");
    let problems = check(&dir, LAYERS).expect("read");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("core (") && p.contains("kinds::a of private layer kinds")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("import cycle across layers") && p.contains("core")),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}
