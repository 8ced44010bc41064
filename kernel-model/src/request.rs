//! What a link request asks for, decoded from RTM_NEWLINK/SETLINK/DELLINK by the netlink side.
//! Field names follow the IFLA_* attributes; `None` means the attribute was absent.

use crate::error::AttrPath;
pub use crate::netdev_priv::{KindData, PortData};
use serde::{Deserialize, Serialize};

/// NLM_F_* request flags that change what RTM_NEWLINK does (`rtnl_newlink`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLinkFlags {
    pub create: bool,
    pub excl: bool,
    pub replace: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequest {
    /// `ifinfomsg.ifi_index`.
    pub ifindex: i32,
    /// `ifinfomsg.ifi_flags` / `ifi_change`.
    pub ifi_flags: u32,
    pub ifi_change: u32,
    pub nlm: NewLinkFlags,
    pub ifname: Option<String>,
    pub alt_ifname: Option<String>,
    pub mtu: Option<u32>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub txqlen: Option<u32>,
    pub master: Option<u32>,
    pub link: Option<u32>,
    pub group: Option<u32>,
    pub ifalias: Option<String>,
    pub num_tx_queues: Option<u32>,
    pub num_rx_queues: Option<u32>,
    pub operstate: Option<u8>,
    pub linkmode: Option<u8>,
    pub carrier: Option<u8>,
    pub gso_max_size: Option<u32>,
    pub gso_max_segs: Option<u32>,
    pub gro_max_size: Option<u32>,
    pub gso_ipv4_max_size: Option<u32>,
    pub gro_ipv4_max_size: Option<u32>,
    pub linkinfo: Option<LinkInfoRequest>,
    /// IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE } } (`inet6_set_link_af`).
    pub addr_gen_mode: Option<u8>,
    /// IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_TOKEN } } (`inet6_set_iftoken`).
    #[serde(default)]
    pub inet6_token: Option<[u8; 16]>,
    /// IFLA_NET_NS_PID / IFLA_NET_NS_FD as the netlink side resolved them
    /// (`get_net_ns_by_pid` / `get_net_ns_by_fd`, PID first like `rtnl_link_get_net`): the
    /// error, if any, is raised where the kernel calls `rtnl_link_get_net_capable`.
    #[serde(skip)]
    pub net_ns: Option<Result<crate::device::NetnsId, crate::error::KernelError>>,
    /// More than one of IFLA_NET_NS_PID / IFLA_NET_NS_FD / IFLA_TARGET_NETNSID
    /// (`rtnl_ensure_unique_netns`).
    #[serde(default)]
    pub net_ns_multiple: bool,
    /// IFLA_NEW_IFINDEX: the ifindex a device moved by IFLA_NET_NS_* takes in the target.
    #[serde(default)]
    pub new_ifindex: Option<i32>,
    /// Attributes the netlink side recognised but the model does not implement yet: the request
    /// is refused with EOPNOTSUPP "nlsim: ... not modelled" rather than half-applied.
    pub unmodelled: Vec<(AttrPath, String)>,
}

/// The IFLA_LINKINFO nest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfoRequest {
    pub kind: Option<String>,
    pub data: Option<KindData>,
    pub slave_kind: Option<String>,
    pub slave_data: Option<PortData>,
}

impl LinkRequest {
    pub fn kind(&self) -> Option<&str> {
        self.linkinfo.as_ref().and_then(|li| li.kind.as_deref())
    }

    /// IFLA_INFO_DATA, when the netlink side decoded it as a `T`.
    pub fn data<T: 'static>(&self) -> Option<&T> {
        self.linkinfo.as_ref()?.data.as_ref()?.downcast_ref::<T>()
    }
}
