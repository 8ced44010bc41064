//! What the model tests share: the oracle's boot, name lookups and link requests by name.
//! Each test binary uses a part of it.
#![allow(dead_code)]

use kernel_model::inet::fib::frontend::nlm_f;
use kernel_model::inet::fib::semantics::{FibConfig, NlInfo};
use kernel_model::inet::fib::uapi::{rtn, rtprot, scope, table};
use kernel_model::{
    DevId, Kernel, KernelError, LinkInfoRequest, LinkRequest, NetnsId, NewLinkFlags,
};

/// `ip link add`: NLM_F_CREATE | NLM_F_EXCL.
pub const CREATE: NewLinkFlags = NewLinkFlags {
    create: true,
    excl: true,
    replace: false,
};

/// The oracle's boot: lo, netdevsim ports eth0..eth2 in init_net.
pub fn boot() -> Kernel {
    let mut k = Kernel::new(7);
    let init = k.init_net();
    k.netdevsim_new_device(init, 1, 3).unwrap();
    k.take_events();
    k
}

pub fn dev(k: &Kernel, ns: NetnsId, name: &str) -> DevId {
    k.dev_by_name(ns, name)
        .unwrap_or_else(|| panic!("{name} missing in {ns:?}"))
}

pub fn ifindex(k: &Kernel, ns: NetnsId, name: &str) -> u32 {
    k.dev(dev(k, ns, name)).ifindex
}

/// `ip link add NAME type dummy`.
pub fn add_dummy_link(k: &mut Kernel, ns: NetnsId, name: &str) {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some("dummy".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &req).unwrap();
}

/// The errno of a request the kernel refused.
pub fn errno_of(r: Result<(), KernelError>) -> i32 {
    r.expect_err("the kernel refused this").errno
}

/// `ip link set NAME ...`: an RTM_NEWLINK on the existing device, shaped by `f`; the model's
/// invariants are checked after it.
pub fn set(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    f: impl FnOnce(&mut LinkRequest),
) -> Result<(), KernelError> {
    let mut req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        ..Default::default()
    };
    f(&mut req);
    let r = k.newlink(ns, &req);
    k.check_invariants().unwrap();
    r
}

/// `ip route add DST/PLEN dev DEV` as iproute2 sends it (table main, proto boot, scope link,
/// unicast, NLM_F_CREATE | NLM_F_EXCL).
pub fn route4_dev(dst: &str, plen: u8, oif: u32) -> FibConfig {
    FibConfig {
        dst: u32::from(dst.parse::<std::net::Ipv4Addr>().unwrap()),
        dst_len: plen,
        table: table::MAIN,
        protocol: rtprot::BOOT,
        scope: scope::LINK,
        kind: rtn::UNICAST,
        oif,
        nlflags: nlm_f::CREATE | nlm_f::EXCL,
        nlinfo: NlInfo { from_request: true },
        ..Default::default()
    }
}
