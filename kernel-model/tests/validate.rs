//! `Kernel::validate`: a state as the model builds it passes; each broken invariant of an
//! edited copy is reported as the first violation, by subject, field and reason.

// Only `boot` is used here.
mod common;
use common::boot;
use kernel_model::{Kernel, Violation};
use serde_json::{json, Value};

fn edited(edit: impl Fn(&mut Value)) -> Result<(), Violation> {
    let mut v = serde_json::to_value(boot()).expect("serialize");
    edit(&mut v);
    let k: Kernel = serde_json::from_value(v).expect("the edit keeps the JSON loadable");
    k.validate()
}

fn violation(subject: &str, field: &str, why: &str) -> Result<(), Violation> {
    Err(Violation {
        subject: subject.into(),
        field: field.into(),
        why: why.into(),
    })
}

#[test]
fn a_booted_kernel_is_valid() {
    assert_eq!(boot().validate(), Ok(()));
    assert_eq!(edited(|_| {}), Ok(()));
}

#[test]
fn each_broken_invariant_is_named() {
    // boot(): lo id 1, eth0 id 2, eth1 id 3, eth2 id 4, all in namespace 0.
    assert_eq!(
        edited(|v| v["devices"]["3"]["netns"] = json!(5)),
        violation(
            "device \"eth1\" (id 3)",
            "netns",
            "namespace 5 does not exist"
        )
    );
    assert_eq!(
        edited(|v| v["devices"]["3"]["name"] = json!("a:b")),
        violation(
            "device \"a:b\" (id 3)",
            "name",
            "not a valid interface name (dev_valid_name)"
        )
    );
    assert_eq!(
        edited(|v| v["devices"]["3"]["ifindex"] = json!(0)),
        violation(
            "device \"eth1\" (id 3)",
            "ifindex",
            "0 is outside 1..=2147483647"
        )
    );
    assert_eq!(
        edited(|v| v["devices"]["3"]["master"] = json!(3)),
        violation(
            "device \"eth1\" (id 3)",
            "master",
            "points at the device itself"
        )
    );
    assert_eq!(
        edited(|v| v["namespaces"]["0"]["by_name"]["eth1"] = json!(2)),
        // The index table is walked first: eth1 is the device whose name lost its entry.
        violation(
            "device \"eth1\" (id 3)",
            "name",
            "not in its namespace's name table"
        )
    );
    assert_eq!(
        edited(|v| v["namespaces"]["0"]["ifindex_next"] = json!(u32::MAX)),
        violation(
            "namespace 0",
            "ifindex_next",
            "4294967295 is beyond the 31-bit ifindex range"
        )
    );
    assert_eq!(
        edited(|v| v["next_netns_id"] = json!(0)),
        violation("state", "next_netns_id", "0 is not past namespace 0")
    );
}
