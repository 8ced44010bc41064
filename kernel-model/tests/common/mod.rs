//! What the namespace tests share: the oracle's boot and name lookups.

use kernel_model::{DevId, Kernel, NetnsId, NewLinkFlags};

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
