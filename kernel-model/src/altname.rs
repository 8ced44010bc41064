//! Alternative interface names: RTM_NEWLINKPROP / RTM_DELLINKPROP (`rtnl_linkprop` in
//! net/core/rtnetlink.c) and the name nodes they add to `net->dev_name_head`
//! (`netdev_name_node_alt_create` / `_destroy` in net/core/dev.c). Names and altnames share one
//! namespace ([`crate::kernel::Netns::by_name`]); altnames are not checked by `dev_valid_name`.

use crate::device::{DevId, NetnsId};
use crate::error::{err, KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, ALTIFNAMSIZ};

/// RTM_NEWLINKPROP or RTM_DELLINKPROP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPropCmd {
    New,
    Del,
}

/// An RTM_NEWLINKPROP / RTM_DELLINKPROP request, decoded by the netlink side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkPropRequest {
    /// `ifinfomsg.ifi_index`.
    pub ifindex: i32,
    /// IFLA_IFNAME (as `nla_strscpy` reads it).
    pub ifname: Option<String>,
    /// IFLA_ALT_IFNAME at the top level: the device to change, by altname.
    pub alt_ifname: Option<String>,
    /// IFLA_NET_NS_PID or IFLA_NET_NS_FD is present (`rtnl_ensure_unique_netns(.., true)`).
    pub net_ns_attr: bool,
    /// IFLA_PROP_LIST: `None` when absent. Its IFLA_ALT_IFNAME entries in order; an entry that
    /// fails `nla_validate` (the netlink side checks the bytes) carries that error and is
    /// reached only after the entries before it were applied.
    pub prop_list: Option<Vec<Result<String, KernelError>>>,
}

/// `nla_total_size(payload)`.
fn nla_total_size(payload: usize) -> usize {
    (4 + payload + 3) & !3
}

impl Kernel {
    /// `netdev_name_node_alt_create`: EEXIST when any name or altname of the namespace is
    /// `name`; the new node goes to the tail of the device's list (fill order).
    pub fn netdev_name_node_alt_create(&mut self, id: DevId, name: &str) -> KResult<()> {
        let ns = self.dev(id).netns;
        if self.dev_by_name(ns, name).is_some() {
            return err(errno::EEXIST);
        }
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.by_name.insert(name.to_string(), id);
        }
        self.dev_mut(id).altnames.push(name.to_string());
        Ok(())
    }

    /// `netdev_name_node_alt_destroy`: ENOENT for a name nobody has, EINVAL for the primary
    /// name or a name of another device.
    pub fn netdev_name_node_alt_destroy(&mut self, id: DevId, name: &str) -> KResult<()> {
        let ns = self.dev(id).netns;
        let Some(owner) = self.dev_by_name(ns, name) else {
            return err(errno::ENOENT);
        };
        if owner != id || self.dev(id).name == name {
            return err(errno::EINVAL);
        }
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.by_name.remove(name);
        }
        self.dev_mut(id).altnames.retain(|a| a != name);
        Ok(())
    }

    /// `rtnl_prop_list_size`: what the device's IFLA_PROP_LIST may take in a link message.
    fn rtnl_prop_list_size(&self, id: DevId) -> usize {
        let cnt = self.dev(id).altnames.len();
        if cnt == 0 {
            return 0;
        }
        nla_total_size(0) + cnt * nla_total_size(ALTIFNAMSIZ)
    }

    /// `rtnl_alt_ifname` after its `nla_validate` (done by the netlink side).
    fn rtnl_alt_ifname(&mut self, cmd: LinkPropCmd, id: DevId, name: &str) -> KResult<()> {
        match cmd {
            LinkPropCmd::New => {
                let size = self.rtnl_prop_list_size(id) + nla_total_size(ALTIFNAMSIZ);
                if size >= u16::MAX as usize {
                    return Err(
                        KernelError::new(errno::EINVAL).msg("effective property list too long")
                    );
                }
                self.netdev_name_node_alt_create(id, name)
            }
            LinkPropCmd::Del => self.netdev_name_node_alt_destroy(id, name),
        }
    }

    /// `rtnl_linkprop`: find the device (ifindex, else IFLA_IFNAME / IFLA_ALT_IFNAME), apply
    /// the IFLA_ALT_IFNAME entries in order (an error stops there, nothing is rolled back and
    /// nothing announced), then `netdev_state_change` (RTM_NEWLINK only while up).
    pub fn rtnl_linkprop(
        &mut self,
        ns: NetnsId,
        cmd: LinkPropCmd,
        req: &LinkPropRequest,
    ) -> KResult<()> {
        // rtnl_ensure_unique_netns(tb, extack, true)
        if req.net_ns_attr {
            return Err(
                KernelError::new(errno::EOPNOTSUPP).msg("specified netns attribute not supported")
            );
        }
        let dev = if req.ifindex > 0 {
            self.dev_by_index(ns, req.ifindex as u32)
        } else if let Some(name) = req.ifname.as_deref().or(req.alt_ifname.as_deref()) {
            // rtnl_dev_get: IFLA_IFNAME wins over IFLA_ALT_IFNAME.
            self.dev_by_name(ns, name)
        } else {
            return err(errno::EINVAL);
        };
        let Some(id) = dev else {
            return err(errno::ENODEV);
        };
        let Some(list) = &req.prop_list else {
            return Ok(());
        };
        let mut changed = false;
        for entry in list {
            let name = entry.as_ref().map_err(Clone::clone)?;
            self.rtnl_alt_ifname(cmd, id, name)?;
            changed = true;
        }
        if changed {
            self.netdev_state_change(id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link_ops::Kind;

    fn dummy() -> Kind {
        Kind::from_id("dummy").expect("dummy is registered")
    }

    fn kernel_with(names: &[&str]) -> (Kernel, NetnsId, Vec<DevId>) {
        let mut k = Kernel::new(1);
        let ns = k.init_net();
        let ids = names
            .iter()
            .map(|n| {
                let d = k.alloc_netdev(ns, dummy(), n);
                k.register_netdevice(d).expect("register")
            })
            .collect();
        k.take_events();
        (k, ns, ids)
    }

    fn add(k: &mut Kernel, ns: NetnsId, dev: &str, alts: &[&str]) -> KResult<()> {
        k.rtnl_linkprop(
            ns,
            LinkPropCmd::New,
            &LinkPropRequest {
                ifname: Some(dev.into()),
                prop_list: Some(alts.iter().map(|a| Ok(a.to_string())).collect()),
                ..Default::default()
            },
        )
    }

    fn del(k: &mut Kernel, ns: NetnsId, dev: &str, alt: &str) -> KResult<()> {
        k.rtnl_linkprop(
            ns,
            LinkPropCmd::Del,
            &LinkPropRequest {
                ifname: Some(dev.into()),
                prop_list: Some(vec![Ok(alt.to_string())]),
                ..Default::default()
            },
        )
    }

    #[test]
    fn altnames_share_the_name_namespace() {
        let (mut k, ns, ids) = kernel_with(&["d0", "d1"]);
        add(&mut k, ns, "d0", &["wan0"]).expect("add");
        assert_eq!(k.dev_by_name(ns, "wan0"), Some(ids[0]));
        // ALTNAME-CLASH: another device's altname, another device's name, its own name.
        for alt in ["wan0", "d0", "d1"] {
            assert_eq!(
                add(&mut k, ns, "d1", &[alt]).map_err(|e| e.errno),
                Err(errno::EEXIST)
            );
        }
        assert_eq!(
            k.dev_change_name(ids[1], "wan0").map_err(|e| e.errno),
            Err(errno::EEXIST)
        );
        let d = k.alloc_netdev(ns, dummy(), "wan0");
        assert_eq!(
            k.register_netdevice(d).map_err(|e| e.errno),
            Err(errno::EEXIST)
        );
    }

    #[test]
    fn long_altname_and_follows_rename() {
        let (mut k, ns, ids) = kernel_with(&["x.y"]);
        // ALTNAME-LONG: 20 bytes is fine for an altname.
        add(&mut k, ns, "x.y", &["wan0", "0123456789abcdef0123"]).expect("add");
        // ALTNAME-FOLLOWS
        k.dev_change_name(ids[0], "eth2").expect("rename");
        assert_eq!(k.dev_by_name(ns, "wan0"), Some(ids[0]));
        assert_eq!(k.dev(ids[0]).altnames, ["wan0", "0123456789abcdef0123"]);
        del(&mut k, ns, "eth2", "wan0").expect("del");
        assert_eq!(k.dev_by_name(ns, "wan0"), None);
    }

    #[test]
    fn delete_rules() {
        let (mut k, ns, _) = kernel_with(&["d0", "d1"]);
        add(&mut k, ns, "d1", &["e1"]).expect("add");
        let e = |r: KResult<()>| r.map_err(|e| e.errno);
        assert_eq!(e(del(&mut k, ns, "d0", "nosuch")), Err(errno::ENOENT));
        assert_eq!(e(del(&mut k, ns, "d0", "d0")), Err(errno::EINVAL));
        assert_eq!(e(del(&mut k, ns, "d0", "e1")), Err(errno::EINVAL));
        assert_eq!(e(del(&mut k, ns, "d0", "d1")), Err(errno::EINVAL));
        assert_eq!(e(del(&mut k, ns, "nosuch", "e1")), Err(errno::ENODEV));
        // By altname: the request may name the device by one of its altnames.
        assert_eq!(e(del(&mut k, ns, "e1", "e1")), Ok(()));
    }

    #[test]
    fn partial_list_is_not_rolled_back_and_order_is_kept() {
        let (mut k, ns, ids) = kernel_with(&["d0"]);
        assert_eq!(
            add(&mut k, ns, "d0", &["a1", "a0", "d0", "a2"]).map_err(|e| e.errno),
            Err(errno::EEXIST)
        );
        assert_eq!(k.dev(ids[0]).altnames, ["a1", "a0"]);
        add(&mut k, ns, "d0", &["a2"]).expect("add");
        assert_eq!(k.dev(ids[0]).altnames, ["a1", "a0", "a2"]);
    }

    #[test]
    fn property_list_limit() {
        let (mut k, ns, ids) = kernel_with(&["d0"]);
        // 4 + n * 132 + 132 < 65535 allows 496 altnames.
        let names: Vec<String> = (0..496).map(|i| format!("a{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        add(&mut k, ns, "d0", &refs).expect("496 altnames");
        let e = add(&mut k, ns, "d0", &["one-more"]).expect_err("limit");
        assert_eq!(e.errno, errno::EINVAL);
        assert_eq!(e.msg.as_deref(), Some("effective property list too long"));
        assert_eq!(k.dev(ids[0]).altnames.len(), 496);
    }

    #[test]
    fn notification_only_while_up() {
        let (mut k, ns, ids) = kernel_with(&["d0"]);
        add(&mut k, ns, "d0", &["a"]).expect("add");
        assert!(k.take_events().is_empty());
        k.dev_change_flags(ids[0], crate::uapi::iff::UP)
            .expect("up");
        k.take_events();
        add(&mut k, ns, "d0", &["b"]).expect("add");
        assert!(!k.take_events().is_empty());
    }
}
