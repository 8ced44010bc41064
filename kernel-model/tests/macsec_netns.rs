//! macsec SecYs and namespaces (golden/kernel/6.12/macsec.txt CMD[55]..CMD[62]): a SecY may
//! leave its lower's namespace (`macsec_get_link_net` stays the lower's) and still goes when
//! the lower is deleted; `macsec_notify` handles NETDEV_UNREGISTER without the "netns move"
//! exception vlan and macvlan have, so a lower moved to another namespace takes its SecYs
//! with it and gets its rx_handler back.

mod common;
use common::{boot, dev, ifindex, CREATE};
use kernel_model::kinds::macsec::MacsecData;
use kernel_model::{Kernel, KindData, LinkInfoRequest, LinkRequest, NetnsId};

/// `ip link add link LOWER NAME type macsec [port PORT]`.
fn add_secy(k: &mut Kernel, ns: NetnsId, lower: &str, name: &str, port: Option<u16>) {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        link: Some(ifindex(k, ns, lower)),
        linkinfo: Some(LinkInfoRequest {
            kind: Some("macsec".into()),
            data: Some(KindData::new(MacsecData {
                port,
                ..Default::default()
            })),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &req)
        .unwrap_or_else(|e| panic!("ip link add {name} type macsec: {e}"));
    k.check_invariants().unwrap();
}

/// `ip link add NAME type dummy` (netdevsim ports cannot be deleted by rtnetlink).
fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str) {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some("dummy".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &req)
        .unwrap_or_else(|e| panic!("ip link add {name} type dummy: {e}"));
}

/// `ip [-n FROM] link set NAME netns TO`.
fn set_netns(k: &mut Kernel, from: NetnsId, name: &str, to: NetnsId) {
    let req = LinkRequest {
        ifindex: ifindex(k, from, name) as i32,
        net_ns: Some(Ok(to)),
        ..Default::default()
    };
    k.newlink(from, &req)
        .unwrap_or_else(|e| panic!("ip link set {name} netns: {e}"));
    k.check_invariants().unwrap();
}

/// `ip link del NAME`.
fn del(k: &mut Kernel, ns: NetnsId, name: &str) {
    let req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        ..Default::default()
    };
    k.dellink(ns, &req)
        .unwrap_or_else(|e| panic!("ip link del {name}: {e}"));
    k.check_invariants().unwrap();
}

/// CMD[55]..CMD[61]: the SecY moved away is deleted with its lower (NETDEV_UNREGISTER).
#[test]
fn secy_in_other_netns_goes_with_its_lower() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    add_dummy(&mut k, init, "va");
    add_secy(&mut k, init, "va", "msv", None);
    set_netns(&mut k, init, "msv", ns1);
    let msv = dev(&k, ns1, "msv");
    let va = dev(&k, init, "va");
    assert_eq!(k.dev(msv).lower, Some(va));
    del(&mut k, init, "va");
    assert!(k.dev_by_name(ns1, "msv").is_none());
    assert!(k.try_dev(msv).is_none());
}

/// `macsec_notify` has no reg_state check: moving the lower unregisters every SecY on it and
/// releases the lower's rx_handler, which then travels free.
#[test]
fn lower_moved_to_other_netns_takes_the_secys() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    add_secy(&mut k, init, "eth1", "m0", None);
    add_secy(&mut k, init, "eth1", "m1", Some(2));
    let eth1 = dev(&k, init, "eth1");
    assert!(k.dev(eth1).rx_handler.is_some());
    set_netns(&mut k, init, "eth1", ns1);
    assert!(k.dev_by_name(init, "m0").is_none());
    assert!(k.dev_by_name(init, "m1").is_none());
    assert!(k.dev(eth1).rx_handler.is_none());
    // A new SecY on the moved lower starts a fresh list (same default SCI: no clash).
    add_secy(&mut k, ns1, "eth1", "m0", None);
}
