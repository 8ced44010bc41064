//! rtnetlink request handling. `dispatch` is the router (`rtnl_register`'s table and
//! `rtnetlink_rcv_msg`); the handlers (`link`, `bridge_link`, `fdb`, `linkprop`, `nsid`,
//! `stats`, `vlandb`, `addr`, `neigh`, `rule`, `netconf`) answer through `reply`; `dump`
//! produces resumable dumps; `decode` / `fill` translate link messages to and from the model.
//! Kernel rules live in `kernel-model`; this module only translates between bytes and the
//! model.

pub mod addr;
pub mod af_spec;
pub mod bridge;
pub mod bridge_link;
pub mod ctx;
pub mod decode;
pub mod dispatch;
pub mod dump;
pub mod fdb;
pub mod fill;
pub mod inet6_link;
pub mod kinds;
pub mod link;
pub mod link_kind;
pub mod linkprop;
pub mod msgtype;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod nsid;
pub mod reply;
pub mod route;
pub mod rule;
pub mod stats;
pub mod vlandb;

pub use dispatch::handle;
pub use dump::ext_mask_in;
pub use dump::{Dump, LinkDump};
pub use msgtype::{
    AF_BRIDGE, IFINFOMSG_LEN, RTM_DELLINK, RTM_DELNEIGH, RTM_GETADDR, RTM_GETLINK, RTM_GETNEIGH,
    RTM_GETVLAN, RTM_NEWLINK, RTM_NEWNEIGH, RTM_SETLINK,
};
pub use reply::{Outcome, SockCtx};
