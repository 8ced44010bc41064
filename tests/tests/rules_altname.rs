//! Catalog rules ALTNAME-CLASH, ALTNAME-LONG, ALTNAME-FOLLOWS (rename#18-#31) and the altname
//! scenario (golden/scenarios/altname.sh, outcomes from golden/kernel/6.12/altname.txt):
//! RTM_NEWLINKPROP / RTM_DELLINKPROP as iproute2 6.1 sends them for
//! `ip link property add|del dev DEV altname NAME`, over the in-process Sim.
//! Kernel: `rtnl_linkprop` → `rtnl_alt_ifname` → `netdev_name_node_alt_create` / `_destroy`.

mod common;
mod rules_support;

use common::{Client, LinkExt};
use libc::{EEXIST, EINVAL, ENODEV, ENOENT, ERANGE};
use netlink_packet_core::{NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::link::{LinkAttribute, LinkMessage, Prop};
use netlink_packet_route::RouteNetlinkMessage;
use rules_support::*;

/// `ip link property add|del dev DEV altname A [altname B ...]`.
fn prop(c: &mut Client, add: bool, dev: &str, alts: &[&str]) -> common::Answer {
    let mut m = LinkMessage::default();
    m.attributes.push(LinkAttribute::IfName(dev.into()));
    m.attributes.push(LinkAttribute::PropList(
        alts.iter()
            .map(|a| Prop::AltIfName(a.to_string()))
            .collect(),
    ));
    if add {
        c.request(
            RouteNetlinkMessage::NewLinkProp(m),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND,
        )
    } else {
        c.request(
            RouteNetlinkMessage::DelLinkProp(m),
            NLM_F_REQUEST | NLM_F_ACK,
        )
    }
}

fn altnames(c: &mut Client, dev: &str) -> Vec<String> {
    link(c, dev)
        .attributes
        .iter()
        .find_map(|a| match a {
            LinkAttribute::PropList(p) => Some(
                p.iter()
                    .filter_map(|p| match p {
                        Prop::AltIfName(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// ALTNAME-CLASH, ALTNAME-LONG, ALTNAME-FOLLOWS (rename#18-#28).
#[test]
fn altname_rename_rules() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.rename("eth0", "lan1"));
    assert_ok(&c.rename("eth2", "x.y"));
    // #18, #19: the device is found by its altname.
    assert_ok(&prop(&mut c, true, "x.y", &["wan0"]));
    assert_eq!(link(&mut c, "wan0").header.index, 4);
    assert_eq!(altnames(&mut c, "x.y"), ["wan0"]);
    // #20-#23: names and altnames share one namespace.
    assert_err(&c.rename("lan1", "wan0"), EEXIST, None);
    assert_err(&c.add_simple("wan0", "dummy"), EEXIST, None);
    assert_err(&prop(&mut c, true, "lan1", &["wan0"]), EEXIST, None);
    assert_err(&prop(&mut c, true, "lan1", &["x.y"]), EEXIST, None);
    // #24, #25: an altname may be longer than IFNAMSIZ-1.
    assert_ok(&prop(&mut c, true, "lan1", &["lan0"]));
    assert_ok(&prop(&mut c, true, "lan1", &["0123456789abcdef0123"]));
    assert_eq!(altnames(&mut c, "lan1"), ["lan0", "0123456789abcdef0123"]);
    // #26-#28: altnames follow a rename; deleting one.
    assert_ok(&c.rename("x.y", "eth2"));
    assert_eq!(link(&mut c, "wan0").header.index, 4);
    assert_ok(&prop(&mut c, false, "eth2", &["wan0"]));
    assert!(!exists(&mut c, "wan0"));
}

/// altname#2-#7, #15-#18, #28-#34: order, the ALTIFNAMSIZ policy, deletion rules.
#[test]
fn altname_add_del_rules() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_simple("d0", "dummy"));
    assert_ok(&prop(&mut c, true, "d0", &["a1"]));
    assert_ok(&prop(&mut c, true, "d0", &["a0", "a2"]));
    assert_eq!(altnames(&mut c, "a2"), ["a1", "a0", "a2"]);
    assert_ok(&prop(&mut c, false, "d0", &["a0"]));
    assert_eq!(altnames(&mut c, "d0"), ["a1", "a2"]);
    // 127 bytes fit, 128 fail ifla_policy[IFLA_ALT_IFNAME] (NLA_STRING, ALTIFNAMSIZ-1).
    let max = "x".repeat(127);
    assert_ok(&prop(&mut c, true, "d0", &[&max]));
    let long = "y".repeat(128);
    let a = prop(&mut c, true, "d0", &[&long]);
    assert_err(&a, ERANGE, Some("Attribute failed policy validation"));
    // nlmsghdr 16 + ifinfomsg 16 + IFLA_IFNAME "d0" 8 + IFLA_PROP_LIST header 4.
    assert_eq!(a.offs, Some(44));
    assert_ok(&prop(&mut c, false, "d0", &[&max]));
    // Not dev_valid_name: ':' and '.' are fine for an altname.
    assert_ok(&prop(&mut c, true, "d0", &["x:y", "."]));
    assert_ok(&prop(&mut c, false, "d0", &["x:y", "."]));
    // A missing altname, the primary name, another device's altname or name.
    assert_err(&prop(&mut c, false, "d0", &["nosuch"]), ENOENT, None);
    assert_err(&prop(&mut c, false, "d0", &["d0"]), EINVAL, None);
    assert_ok(&prop(&mut c, true, "eth1", &["e1"]));
    assert_err(&prop(&mut c, false, "d0", &["e1"]), EINVAL, None);
    assert_err(&prop(&mut c, false, "d0", &["eth1"]), EINVAL, None);
    assert_err(&prop(&mut c, true, "nosuch", &["zz"]), ENODEV, None);
    // An error stops the list; what came before stays (no rollback).
    assert_err(&prop(&mut c, true, "d0", &["b0", "e1", "b1"]), EEXIST, None);
    assert_eq!(altnames(&mut c, "d0"), ["a1", "a2", "b0"]);
}

/// altname#35-#49: requests name the device by an altname; a deleted device frees them.
#[test]
fn altname_lookups() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_simple("d0", "dummy"));
    assert_ok(&prop(&mut c, true, "d0", &["a1", "a2"]));
    assert_ok(&c.up("a1"));
    assert_ok(&c.mtu("a1", 1400));
    assert_ok(&c.rename("a1", "d9"));
    assert_eq!(link(&mut c, "a1").mtu(), 1400);
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&prop(&mut c, true, "br0", &["bridge0"]));
    assert_ok(&c.master("d9", "bridge0"));
    assert_err(&c.add_simple("a1", "dummy"), EEXIST, None);
    assert_ok(&c.del("a1"));
    assert!(!exists(&mut c, "a2"));
    assert_ok(&c.add_simple("a2", "dummy"));
}
