//! kernel-model: the Linux kernel's link state and rules (as measured on Linux 6.12), with no
//! I/O and no netlink bytes. `sim/` turns requests into [`LinkRequest`]s and [`LinkView`]s
//! back into bytes.

pub mod altname;
pub mod dev_mc_global;
pub mod devconf;
pub mod device;
pub mod error;
pub mod fdb;
pub mod hwaddr;
pub mod inet;
pub mod inet_mcast;
pub mod kernel;
pub mod kinds;
pub mod link_ops;
pub mod name;
pub mod neigh;
pub mod netdev_priv;
pub mod netns;
pub mod nsproxy;
pub mod request;
pub mod sysctl_net;
pub mod sysfs;
pub mod time;
pub mod uapi;
pub mod validate;
pub mod view;

pub use altname::{LinkPropCmd, LinkPropRequest};
pub use device::{DevId, NetDevice, NetnsId};
pub use error::{AttrPath, KResult, KernelError};
pub use hwaddr::HwAddr;
pub use kernel::{Event, Kernel, LinkMsg};
pub use link_ops::{Kind, LinkOps};
pub use netdev_priv::{KindState, PortState};
pub use request::{KindData, LinkInfoRequest, LinkRequest, NewLinkFlags, PortData};
pub use time::{Nanos, Timer, TimerKey};
pub use validate::Violation;
pub use view::{KindInfo, LinkView, PortInfo};
