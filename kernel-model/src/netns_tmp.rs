//! TEMPORARY stand-ins for the namespace operations being written on branch `netns-model`
//! (kernel-model/src/netns.rs); removed when that branch is merged.

use crate::device::NetnsId;
use crate::kernel::{Kernel, Netns};
use crate::kinds::Kind;
use std::collections::BTreeMap;

impl Kernel {
    pub fn netns_new(&mut self) -> NetnsId {
        let id = NetnsId(self.namespaces.keys().map(|n| n.0).max().unwrap_or(0) + 1);
        self.namespaces.insert(
            id,
            Netns {
                id,
                by_index: BTreeMap::new(),
                by_name: BTreeMap::new(),
                ifindex_next: 1,
                dev_base_seq: 1,
            },
        );
        let lo = self.alloc_netdev(id, Kind::Loopback, "lo");
        let _ = self.register_netdevice(lo);
        id
    }

    pub fn netns_destroy(&mut self, ns: NetnsId) {
        if ns == self.init_net() {
            return;
        }
        let ids: Vec<_> = self.devices_from(ns, 0).map(|d| d.id).collect();
        self.unregister_many(&ids, false);
        self.namespaces.remove(&ns);
    }

    pub fn netns_alive(&self, ns: NetnsId) -> bool {
        self.namespaces.contains_key(&ns)
    }

    pub fn netns_ids(&self) -> Vec<NetnsId> {
        self.namespaces.keys().copied().collect()
    }
}
