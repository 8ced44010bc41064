//! xfrm interfaces (net/xfrm/xfrm_interface_core.c). Each namespace's `xfrmi_net` holds a
//! table by if_id and one collect_md ("external") slot; a device stays in the table of the
//! namespace it was created in (`xi->net`) wherever it moves. The IPsec data path (policies,
//! states, the lwtunnel encap) is not modelled.

use super::vcan::drop_hw_addr;
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::netdev_priv::{KindData, KindDataValue, KindInfo, KindInfoValue, KindPriv};
use crate::request::LinkRequest;
use crate::uapi::{arphrd, errno, iff, DEFAULT_TX_QUEUE_LEN, ETH_DATA_LEN, ETH_MIN_MTU};
use crate::validate::{on_dev, Violation};
use serde::{Deserialize, Serialize};

/// `IP_MAX_MTU` (include/net/ip.h).
const IP_MAX_MTU: u32 = 0xffff;

/// IFLA_XFRM_* (include/uapi/linux/if_link.h).
pub mod ifla_xfrm {
    pub const LINK: u16 = 1;
    pub const IF_ID: u16 = 2;
    pub const COLLECT_METADATA: u16 = 3;
}

pub struct XfrmOps;

/// `struct xfrm_if`: its parms and its table's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XfrmState {
    /// `xi->p.link`: an ifindex, reported as the iflink as it is (never re-resolved).
    pub link: u32,
    pub if_id: u32,
    pub collect_md: bool,
    /// `xi->net`: the namespace whose table holds the device.
    pub net: NetnsId,
}

#[typetag::serde(name = "Xfrm")]
impl KindPriv for XfrmState {}

/// IFLA_INFO_DATA (`xfrmi_netlink_parms`: an absent attribute is 0 / false).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct XfrmData {
    pub link: u32,
    pub if_id: u32,
    pub collect_md: bool,
}

#[typetag::serde(name = "Xfrm")]
impl KindDataValue for XfrmData {}

/// What `xfrmi_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XfrmInfo {
    pub link: u32,
    pub if_id: u32,
    pub collect_md: bool,
}

#[typetag::serde(name = "Xfrm")]
impl KindInfoValue for XfrmInfo {}

fn xfrm_of(dev: &NetDevice) -> Option<&XfrmState> {
    dev.state.downcast_ref::<XfrmState>()
}

/// `xfrmi_locate`: the device of `net`'s table with this if_id (the link is not part of the
/// key).
fn xfrmi_locate(k: &Kernel, net: NetnsId, if_id: u32) -> Option<DevId> {
    k.all_devices()
        .find(|d| xfrm_of(d).is_some_and(|x| !x.collect_md && x.net == net && x.if_id == if_id))
        .map(|d| d.id)
}

/// `xfrmn->collect_md_xfrmi` of `net`.
fn collect_md_xfrmi(k: &Kernel, net: NetnsId) -> Option<DevId> {
    k.all_devices()
        .find(|d| xfrm_of(d).is_some_and(|x| x.collect_md && x.net == net))
        .map(|d| d.id)
}

fn parms(data: Option<&KindData>) -> XfrmData {
    data.and_then(|d| d.downcast_ref::<XfrmData>())
        .cloned()
        .unwrap_or_default()
}

impl LinkOps for XfrmOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("xfrm")
    }

    /// `xfrmi_dev_setup`: ARPHRD_NONE without an address, NOARP, mtu ETH_DATA_LEN, limits
    /// ETH_MIN_MTU..IP_MAX_MTU. No tx_queue_len: IFF_NO_QUEUE from `alloc_netdev_mqs`.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.dev_type = arphrd::NONE;
        drop_hw_addr(dev);
        dev.flags = iff::NOARP;
        dev.mtu = ETH_DATA_LEN;
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = IP_MAX_MTU;
        dev.no_queue = true;
        dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
    }

    /// `xfrmi_newlink`: collect_md needs link and if_id 0 and a free slot; otherwise a non-zero
    /// if_id not yet in the table of the device's namespace.
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let net = dev.netns;
        let p = parms(req.linkinfo.as_ref().and_then(|li| li.data.as_ref()));
        if p.collect_md {
            if p.link != 0 || p.if_id != 0 {
                return Err(KernelError::new(errno::EINVAL).msg("link and if_id must be zero"));
            }
            if collect_md_xfrmi(k, net).is_some() {
                return err(errno::EEXIST);
            }
        } else {
            if p.if_id == 0 {
                return Err(KernelError::new(errno::EINVAL).msg("if_id must be non zero"));
            }
            if xfrmi_locate(k, net, p.if_id).is_some() {
                return err(errno::EEXIST);
            }
        }
        drop_hw_addr(&mut dev);
        dev.state = KindState::new(XfrmState {
            link: p.link,
            if_id: p.if_id,
            collect_md: p.collect_md,
            net,
        });
        k.register_netdevice(dev)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `xfrmi_changelink` → `xfrmi_update` → `xfrmi_change`.
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(cur) = xfrm_of(k.dev(id)).cloned() else {
            return err(errno::EINVAL);
        };
        let p = parms(Some(data));
        if p.if_id == 0 {
            return Err(KernelError::new(errno::EINVAL).msg("if_id must be non zero"));
        }
        if p.collect_md || cur.collect_md {
            return Err(KernelError::new(errno::EINVAL).msg("collect_md can't be changed"));
        }
        if xfrmi_locate(k, cur.net, p.if_id).is_some_and(|other| other != id) {
            return err(errno::EEXIST);
        }
        // xfrmi_change: the link cannot change (EINVAL, no extack); xfrmi_update announces
        // the device either way.
        let r = if cur.link != p.link {
            err(errno::EINVAL)
        } else {
            if let Some(x) = k.dev_mut(id).state.downcast_mut::<XfrmState>() {
                x.if_id = p.if_id;
            }
            Ok(())
        };
        k.netdev_state_change(id);
        r
    }

    /// No `ndo_set_mac_address`: EOPNOTSUPP.
    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `xfrmi_get_iflink`: `xi->p.link` as stored, 0 included (`@NONE`).
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        xfrm_of(dev).map_or(0, |x| x.link)
    }

    /// `xfrmi_get_link_net`: `xi->net`.
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        xfrm_of(dev).map(|x| x.net)
    }

    /// `xfrmi_fill_info`.
    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let x = xfrm_of(dev)?;
        Some(KindInfo::new(XfrmInfo {
            link: x.link,
            if_id: x.if_id,
            collect_md: x.collect_md,
        }))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<XfrmState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        match xfrm_of(d) {
            Some(x) if k.netns(x.net).is_none() => Err(on_dev(
                d,
                "net",
                format!("namespace {} does not exist", x.net.0),
            )),
            _ => Ok(()),
        }
    }

    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    /// `xfrmi_exit_batch_rtnl`: every device of the dying namespace's table and its
    /// collect_md device, wherever they live now.
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let mut kill: Vec<DevId> = k
            .devices_in_netns_order()
            .into_iter()
            .filter(|id| {
                let d = k.dev(*id);
                d.kind == Kind::XFRM && xfrm_of(d).is_some_and(|x| x.net == ns && !x.collect_md)
            })
            .collect();
        kill.extend(collect_md_xfrmi(k, ns));
        kill
    }
}
