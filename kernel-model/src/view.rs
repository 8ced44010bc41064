//! `rtnl_fill_ifinfo` without the bytes: everything an RTM_NEWLINK about one device reports,
//! computed from the model at one instant (dumps, GETLINK replies and notifications).

use crate::device::NetnsId;
use crate::hwaddr::HwAddr;
pub use crate::netdev_priv::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    pub netns: NetnsId,
    pub ifindex: u32,
    pub dev_type: u16,
    /// `dev_get_flags`.
    pub flags: u32,
    pub name: String,
    pub txqlen: u32,
    /// IFLA_OPERSTATE as reported (DOWN when not running).
    pub operstate: u8,
    pub link_mode: u8,
    pub mtu: u32,
    pub min_mtu: u32,
    pub max_mtu: u32,
    pub group: u32,
    pub promiscuity: u32,
    pub allmulti: u32,
    pub num_tx_queues: u32,
    pub num_rx_queues: u32,
    pub gso_max_segs: u32,
    pub gso_max_size: u32,
    pub gro_max_size: u32,
    pub gso_ipv4_max_size: u32,
    pub gro_ipv4_max_size: u32,
    pub tso_max_size: u32,
    pub tso_max_segs: u32,
    pub carrier: bool,
    pub qdisc: String,
    pub carrier_up_count: u32,
    pub carrier_down_count: u32,
    pub proto_down: bool,
    /// IFLA_ADDRESS / IFLA_BROADCAST (absent when `addr_len` is 0).
    pub addr: Option<HwAddr>,
    pub broadcast: Option<HwAddr>,
    /// IFLA_PERM_ADDRESS (only when the device has one, `dev->perm_addr` non-zero).
    pub perm_addr: Option<HwAddr>,
    pub addr_assign_type: u8,
    pub master: Option<u32>,
    /// IFLA_LINK: `dev_get_iflink` when it differs from the ifindex.
    pub link: Option<u32>,
    /// IFLA_LINK_NETNSID when the link lives in another namespace.
    pub link_netnsid: Option<i32>,
    pub ifalias: Option<String>,
    pub altnames: Vec<String>,
    /// IFLA_LINKINFO: `rtnl_link_ops->kind` and its data.
    pub kind: Option<&'static str>,
    pub info: Option<KindInfo>,
    pub slave_kind: Option<&'static str>,
    pub slave_info: Option<PortInfo>,
    pub phys_port_name: Option<String>,
    pub phys_switch_id: Option<Vec<u8>>,
    /// IFLA_PARENT_DEV_NAME / IFLA_PARENT_DEV_BUS_NAME.
    pub parent_dev: Option<(String, String)>,
    /// IFLA_DEVLINK_PORT contents: devlink bus name, device name, port index.
    pub devlink_port: Option<(String, String, u32)>,
    /// `rtnl_fill_vfinfo` (only with RTEXT_FILTER_VF): for a device with a parent device, its
    /// VF count, and whether the driver lists VFs (`ndo_get_vf_config`).
    pub vf_info: Option<VfInfo>,
    /// `dev->ip_ptr` / `dev->ip6_ptr` exist, and `idev->if_flags & IF_READY` (what
    /// IFLA_AF_SPEC reports; see `inet_mcast`).
    pub inet4: bool,
    pub inet6: bool,
    pub inet6_ready: bool,
    /// `idev->cnf.addr_gen_mode`.
    pub inet6_addr_gen_mode: u8,
    /// The low 64 bits of `idev->token` (IFLA_INET6_TOKEN).
    #[serde(default)]
    pub inet6_token: [u8; 8],
    /// The device's stored `in_dev->cnf` / `idev->cnf` (`crate::devconf`), none while fresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conf: Option<Box<crate::devconf::DevConf>>,
    /// IFLA_NEW_NETNSID / IFLA_NEW_IFINDEX: only in the RTM_DELLINK that
    /// `__dev_change_net_namespace` sends to the old namespace (`rtmsg_ifinfo_newnet`).
    #[serde(default)]
    pub new_netnsid: Option<i32>,
    #[serde(default)]
    pub new_ifindex: Option<i32>,
}

/// What `rtnl_fill_vfinfo` reports about SR-IOV virtual functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VfInfo {
    /// `dev_num_vf(dev->dev.parent)`.
    pub num_vfs: u32,
    /// `ndo_get_vf_config` exists: IFLA_VFINFO_LIST follows IFLA_NUM_VF.
    pub lists_vfs: bool,
}
