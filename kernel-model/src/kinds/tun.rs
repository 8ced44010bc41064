//! tun/tap (drivers/net/tun.c): devices created by opening `/dev/net/tun` and calling TUNSETIFF
//! on the file, never through rtnetlink (whose ops exist to dump and delete them).
//!
//! The character device is the launcher's business; the model keeps the `struct tun_file`s
//! (one per open file, [`TunFile`]) and the device side (`struct tun_struct`, [`TunState`]).
//! Like the kernel, one rtnl kind ("tun") covers two sets of netdev ops: [`TUN_OPS`]
//! (`tun_netdev_ops`, IFF_TUN, ARPHRD_NONE) and [`TAP_OPS`] (`tap_netdev_ops`, IFF_TAP, Ethernet).
//!
//! Not modelled: the data path (read/write, queues' rings, offloads, filters, eBPF), TUNSETQUEUE
//! (so no queue is ever disabled), TUNSETIFINDEX, TUNSETLINK and the other ioctls the launcher
//! refuses; the capability check is the caller's ([`TunCred::net_admin`]).

use super::dummy::eth_validate_addr;
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId, RegState};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{DriverFile, DriverFileValue, KindInfoValue, KindPriv};
use crate::request::LinkRequest;
use crate::uapi::{arphrd, errno, iff, name_assign};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};

/// TUNSETIFF / TUNGETIFF `ifr_flags` (include/uapi/linux/if_tun.h).
pub mod flag {
    pub const IFF_TUN: u32 = 0x0001;
    pub const IFF_TAP: u32 = 0x0002;
    pub const IFF_NAPI: u32 = 0x0010;
    pub const IFF_NAPI_FRAGS: u32 = 0x0020;
    pub const IFF_NO_CARRIER: u32 = 0x0040;
    pub const IFF_MULTI_QUEUE: u32 = 0x0100;
    pub const IFF_ATTACH_QUEUE: u32 = 0x0200;
    pub const IFF_DETACH_QUEUE: u32 = 0x0400;
    pub const IFF_PERSIST: u32 = 0x0800;
    pub const IFF_NO_PI: u32 = 0x1000;
    /// Same bit as IFF_NO_PI: only TUNGETIFF reports it (no socket filter attached).
    pub const IFF_NOFILTER: u32 = 0x1000;
    pub const IFF_ONE_QUEUE: u32 = 0x2000;
    pub const IFF_VNET_HDR: u32 = 0x4000;
    pub const IFF_TUN_EXCL: u32 = 0x8000;
    pub const TUN_TYPE_MASK: u32 = 0x000f;
    /// `TUN_FEATURES` (drivers/net/tun.c).
    pub const TUN_FEATURES: u32 =
        IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_NAPI | IFF_NAPI_FRAGS;
}

/// `MAX_TAP_QUEUES`.
pub const MAX_TAP_QUEUES: u32 = 256;
/// `TUN_READQ_SIZE`: tun_setup's tx_queue_len.
pub const TUN_READQ_SIZE: u32 = 500;
/// `MIN_MTU` / `MAX_MTU` of drivers/net/tun.c.
const MIN_MTU: u32 = 68;
const MAX_MTU: u32 = 65535;
/// `ETH_HLEN`: a tap's hard_header_len (ether_setup).
const ETH_HLEN: u32 = 14;
/// `SPEED_10000`: `tun_default_link_ksettings`.
const SPEED_10000: u32 = 10000;

/// An open `/dev/net/tun` (`struct tun_file`), named by the id `tun_open` gave it.
pub type TunFileId = u64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunFile {
    /// `sock_net(&tfile->sk)`: the opener's namespace.
    pub netns: NetnsId,
    /// `tfile->tun`: the device this file is a queue of.
    pub tun: Option<DevId>,
}

/// `struct tun_struct`, what rtnetlink and sysfs can observe of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunState {
    /// `tun->flags`: IFF_TUN or IFF_TAP, TUN_FEATURES, IFF_PERSIST.
    pub flags: u32,
    /// `tun->owner` / `tun->group` (INVALID_UID / INVALID_GID: None).
    pub owner: Option<u32>,
    pub group: Option<u32>,
    /// `tun->tfiles[0..numqueues]`: the attached files in queue order.
    pub tfiles: Vec<TunFileId>,
    /// `tun->numdisabled` (always 0: TUNSETQUEUE is not modelled).
    pub numdisabled: u32,
}

/// What `tun_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunInfo {
    /// IFF_TUN or IFF_TAP.
    pub dev_type: u8,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub persist: bool,
    pub multi_queue: bool,
    pub num_queues: u32,
    pub num_disabled_queues: u32,
}

/// The credentials of the task calling the ioctl (`current_cred()`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunCred {
    pub euid: u32,
    pub egid: u32,
    /// Supplementary groups (`in_egroup_p` looks at egid and these).
    pub groups: Vec<u32>,
    /// `ns_capable(net->user_ns, CAP_NET_ADMIN)`.
    pub net_admin: bool,
}

/// `struct ifreq` as TUNSETIFF returns it and TUNGETIFF fills it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunIfreq {
    pub name: String,
    pub flags: u32,
}

pub struct TunOps {
    tap: bool,
}

/// `tun_netdev_ops`: IFF_TUN devices.
pub static TUN_OPS: TunOps = TunOps { tap: false };
/// `tap_netdev_ops`: IFF_TAP devices.
pub static TAP_OPS: TunOps = TunOps { tap: true };

fn tun_file_mut(k: &mut Kernel, file: TunFileId) -> Option<&mut TunFile> {
    k.files
        .get_mut(&file)
        .and_then(|f| f.downcast_mut::<TunFile>())
}

fn state(dev: &NetDevice) -> Option<&TunState> {
    dev.state.downcast_ref::<TunState>()
}

fn state_mut(dev: &mut NetDevice) -> Option<&mut TunState> {
    dev.state.downcast_mut::<TunState>()
}

/// `tun_net_initialize`: what tun_set_iff sets up once the type is known.
fn tun_net_initialize(dev: &mut NetDevice, tap: bool, rng: &mut SeededRng) {
    let hard_header_len = if tap {
        // ether_setup (tx_queue_len back to DEFAULT_TX_QUEUE_LEN), IFF_LIVE_ADDR_CHANGE,
        // eth_hw_addr_random.
        dev.ether_setup();
        dev.live_addr_change = true;
        super::dummy::eth_hw_addr_random(dev, rng);
        ETH_HLEN
    } else {
        // Point-to-point, no header, no hardware address.
        dev.addr = HwAddr::NONE;
        dev.broadcast = HwAddr::NONE;
        dev.mtu = 1500;
        dev.dev_type = arphrd::NONE;
        dev.flags = iff::POINTOPOINT | iff::NOARP | iff::MULTICAST;
        0
    };
    dev.min_mtu = MIN_MTU;
    dev.max_mtu = MAX_MTU - hard_header_len;
}

impl LinkOps for TunOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("tun")
    }

    /// `tun_setup`: owner and group invalid, tx_queue_len TUN_READQ_SIZE (the type-specific part
    /// is `tun_net_initialize`, run by tun_set_iff).
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.tx_queue_len = TUN_READQ_SIZE;
        dev.state = KindState::boxed(Box::new(TunState {
            flags: if self.tap {
                flag::IFF_TAP
            } else {
                flag::IFF_TUN
            },
            owner: None,
            group: None,
            tfiles: Vec::new(),
            numdisabled: 0,
        }));
    }

    /// `tun_validate`: rtnetlink never creates (nor changes with `type tun`) a tun device.
    fn validate(&self, _req: &LinkRequest) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP)
            .msg("tun/tap creation via rtnetlink is not supported."))
    }

    /// `tap_netdev_ops.ndo_validate_addr` is eth_validate_addr; tun has none.
    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        if self.tap {
            eth_validate_addr(dev)
        } else {
            Ok(())
        }
    }

    /// `tap_netdev_ops.ndo_set_mac_address` is eth_mac_addr; tun has none (EOPNOTSUPP).
    fn has_set_mac_address(&self) -> bool {
        self.tap
    }

    /// `tun_net_uninit` → `tun_detach_all`: every attached file lets go of the device.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        let files = state_mut(k.dev_mut(id))
            .map(|s| std::mem::take(&mut s.tfiles))
            .unwrap_or_default();
        for f in files {
            if let Some(tf) = tun_file_mut(k, f) {
                tf.tun = None;
            }
        }
    }

    /// `tun_net_change_carrier`: carrier on needs an attached queue (EPERM).
    fn change_carrier(&self, k: &mut Kernel, id: DevId, on: bool) -> Option<KResult<()>> {
        if on {
            if state(k.dev(id)).is_none_or(|s| s.tfiles.is_empty()) {
                return Some(err(errno::EPERM));
            }
            k.netif_carrier_on(id);
        } else {
            k.netif_carrier_off(id);
        }
        Some(Ok(()))
    }

    /// `tun_get_link_ksettings`: `tun_default_link_ksettings` says 10000 Mb/s.
    fn ethtool_speed(&self) -> Option<u32> {
        Some(SPEED_10000)
    }

    /// `tun_fill_info`.
    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<TunState>()
    }

    /// `tun_attr_group`: tun_flags, owner, group.
    fn sysfs_attr(&self, k: &Kernel, id: DevId, attr: &str) -> Option<Option<String>> {
        match attr {
            "tun_flags" | "owner" | "group" => Some(k.tun_sysfs(id, attr)),
            _ => None,
        }
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let s = state(dev)?;
        Some(KindInfo::new(TunInfo {
            dev_type: (s.flags & flag::TUN_TYPE_MASK) as u8,
            owner: s.owner,
            group: s.group,
            pi: s.flags & flag::IFF_NO_PI == 0,
            vnet_hdr: s.flags & flag::IFF_VNET_HDR != 0,
            persist: s.flags & flag::IFF_PERSIST != 0,
            multi_queue: s.flags & flag::IFF_MULTI_QUEUE != 0,
            num_queues: s.tfiles.len() as u32,
            num_disabled_queues: s.numdisabled,
        }))
    }
}

/// `tun_flags`: what TUNGETIFF and sysfs `tun_flags` report.
fn tun_flags(s: &TunState) -> u32 {
    s.flags & (flag::TUN_FEATURES | flag::IFF_PERSIST | flag::IFF_TUN | flag::IFF_TAP)
}

/// `in_egroup_p`.
fn in_egroup_p(cred: &TunCred, gid: u32) -> bool {
    cred.egid == gid || cred.groups.contains(&gid)
}

/// `tun_not_capable`.
fn tun_not_capable(s: &TunState, cred: &TunCred) -> bool {
    (s.owner.is_some_and(|o| o != cred.euid) || s.group.is_some_and(|g| !in_egroup_p(cred, g)))
        && !cred.net_admin
}

impl Kernel {
    fn tun_file(&self, file: TunFileId) -> KResult<&TunFile> {
        self.files
            .get(&file)
            .and_then(|f| f.downcast_ref::<TunFile>())
            .ok_or_else(|| KernelError::new(errno::EBADF))
    }

    /// `tun_get`: the device the file is attached to (still registered).
    fn tun_get(&self, file: TunFileId) -> KResult<Option<DevId>> {
        Ok(self
            .tun_file(file)?
            .tun
            .filter(|d| self.try_dev(*d).is_some()))
    }

    /// `tun_chr_open`: a new file in namespace `ns`.
    pub fn tun_open(&mut self, ns: NetnsId) -> TunFileId {
        let id = self.next_file.max(1);
        self.next_file = id + 1;
        self.files.insert(
            id,
            DriverFile::new(TunFile {
                netns: ns,
                tun: None,
            }),
        );
        id
    }

    /// TUNSETIFF (`__tun_chr_ioctl` → `tun_set_iff`). `name` is `ifr_name` (already cut at
    /// IFNAMSIZ - 1), `flags` is `ifr_flags`.
    pub fn tun_set_iff(
        &mut self,
        file: TunFileId,
        name: &str,
        flags: u32,
        cred: &TunCred,
    ) -> KResult<TunIfreq> {
        // The carrier change's linkwatch event runs at once (the settled state): whether the
        // kernel's linkwatch work runs before the caller's next ioctl is timing (tuntap.sh
        // keeps it out of the monitored stream by attaching to devices that are down).
        let r = self.tun_set_iff_inner(file, name, flags, cred);
        self.linkwatch_run_queue();
        r
    }

    fn tun_set_iff_inner(
        &mut self,
        file: TunFileId,
        name: &str,
        flags: u32,
        cred: &TunCred,
    ) -> KResult<TunIfreq> {
        // __tun_chr_ioctl: a file already attached answers EEXIST.
        if self.tun_get(file)?.is_some() {
            return err(errno::EEXIST);
        }
        let ns = self.tun_file(file)?.netns;
        // tun_set_iff: IFF_NAPI_FRAGS needs CAP_NET_ADMIN, IFF_NAPI and a tap.
        if flags & flag::IFF_NAPI_FRAGS != 0 {
            if !cred.net_admin {
                return err(errno::EPERM);
            }
            if flags & flag::IFF_NAPI == 0 || flags & flag::TUN_TYPE_MASK != flag::IFF_TAP {
                return err(errno::EINVAL);
            }
        }
        let existing = if name.is_empty() {
            None
        } else {
            self.dev_by_name(ns, name)
        };
        let id = if let Some(id) = existing {
            // tun_set_iff: attach to an existing device.
            if flags & flag::IFF_TUN_EXCL != 0 {
                return err(errno::EBUSY);
            }
            let kind = self.dev(id).kind;
            let type_ok = (flags & flag::IFF_TUN != 0 && kind == Kind::TUN)
                || (flags & flag::IFF_TAP != 0 && kind == Kind::TAP);
            let Some(s) = state(self.dev(id)).filter(|_| type_ok) else {
                return err(errno::EINVAL);
            };
            if (flags & flag::IFF_MULTI_QUEUE != 0) != (s.flags & flag::IFF_MULTI_QUEUE != 0) {
                return err(errno::EINVAL);
            }
            if tun_not_capable(s, cred) {
                return err(errno::EPERM);
            }
            self.tun_attach(id, file)?;
            let s = state(self.dev(id)).ok_or_else(|| KernelError::new(errno::EINVAL))?;
            if s.flags & flag::IFF_MULTI_QUEUE != 0 && s.tfiles.len() as u32 + s.numdisabled > 1 {
                // tun_set_iff: more queues of a multiqueue device: no re-initialisation, and
                // neither the carrier nor ifr_name is touched.
                self.netdev_state_change(id);
                return Ok(TunIfreq {
                    name: name.to_string(),
                    flags,
                });
            }
            if let Some(s) = state_mut(self.dev_mut(id)) {
                s.flags = (s.flags & !flag::TUN_FEATURES) | (flags & flag::TUN_FEATURES);
            }
            self.netdev_state_change(id);
            id
        } else {
            // tun_set_iff: create. MAX_TAP_QUEUES queues for a multiqueue device.
            let queues = if flags & flag::IFF_MULTI_QUEUE != 0 {
                MAX_TAP_QUEUES
            } else {
                1
            };
            if !cred.net_admin {
                return err(errno::EPERM);
            }
            let (kind, template) = if flags & flag::IFF_TUN != 0 {
                (Kind::TUN, "tun%d")
            } else if flags & flag::IFF_TAP != 0 {
                (Kind::TAP, "tap%d")
            } else {
                return err(errno::EINVAL);
            };
            let devname = if name.is_empty() { template } else { name };
            let mut dev = self.alloc_netdev(ns, kind, devname);
            dev.name_assign_type = name_assign::UNKNOWN;
            dev.num_tx_queues = queues;
            dev.real_num_tx_queues = queues;
            dev.num_rx_queues = queues;
            dev.real_num_rx_queues = queues;
            tun_net_initialize(&mut dev, kind == Kind::TAP, &mut self.rng);
            // register_netdevice → ndo_init (tun_net_init): the features from ifr_flags, then
            // tun_attach of this file; the RTM_NEWLINK goes out with the queue attached.
            if let Some(s) = state_mut(&mut dev) {
                s.flags = (s.flags & !flag::TUN_FEATURES) | (flags & flag::TUN_FEATURES);
                s.tfiles.push(file);
            }
            dev.real_num_tx_queues = 1;
            dev.real_num_rx_queues = 1;
            let id = self.register_netdevice(dev)?;
            if let Some(tf) = tun_file_mut(self, file) {
                tf.tun = Some(id);
            }
            id
        };
        // tun_set_iff: the carrier follows IFF_NO_CARRIER.
        if flags & flag::IFF_NO_CARRIER != 0 {
            self.netif_carrier_off(id);
        } else {
            self.netif_carrier_on(id);
        }
        Ok(TunIfreq {
            name: self.dev(id).name.clone(),
            flags,
        })
    }

    /// `tun_attach` of a file to an existing device.
    fn tun_attach(&mut self, id: DevId, file: TunFileId) -> KResult<()> {
        let s = state(self.dev(id)).ok_or_else(|| KernelError::new(errno::EINVAL))?;
        let n = s.tfiles.len() as u32;
        if s.flags & flag::IFF_MULTI_QUEUE == 0 && n == 1 {
            return err(errno::EBUSY);
        }
        if n + s.numdisabled == MAX_TAP_QUEUES {
            return err(errno::E2BIG);
        }
        let d = self.dev_mut(id);
        if let Some(s) = state_mut(d) {
            s.tfiles.push(file);
        }
        // tun_set_real_num_queues.
        d.real_num_tx_queues = n + 1;
        d.real_num_rx_queues = n + 1;
        if let Some(tf) = tun_file_mut(self, file) {
            tf.tun = Some(id);
        }
        Ok(())
    }

    /// The device a file's ioctl acts on: `tun_get`, else EBADFD.
    fn tun_ioctl_target(&self, file: TunFileId) -> KResult<DevId> {
        self.tun_get(file)?
            .ok_or_else(|| KernelError::new(errno::EBADFD))
    }

    /// TUNGETIFF (`tun_get_iff`, plus IFF_NOFILTER: no socket filter is ever attached).
    pub fn tun_get_iff(&self, file: TunFileId) -> KResult<TunIfreq> {
        let id = self.tun_ioctl_target(file)?;
        let d = self.dev(id);
        let s = state(d).ok_or_else(|| KernelError::new(errno::EBADFD))?;
        Ok(TunIfreq {
            name: d.name.clone(),
            flags: tun_flags(s) | flag::IFF_NOFILTER,
        })
    }

    /// TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP: `__tun_chr_ioctl`, whose changes end with
    /// `netdev_state_change` (do_notify).
    fn tun_change(
        &mut self,
        file: TunFileId,
        f: impl FnOnce(&mut TunState) -> bool,
    ) -> KResult<()> {
        let id = self.tun_ioctl_target(file)?;
        let notify = state_mut(self.dev_mut(id)).is_some_and(f);
        if notify {
            self.netdev_state_change(id);
        }
        self.linkwatch_run_queue();
        Ok(())
    }

    /// TUNSETPERSIST: only a change notifies.
    pub fn tun_set_persist(&mut self, file: TunFileId, on: bool) -> KResult<()> {
        self.tun_change(file, |s| {
            let was = s.flags & flag::IFF_PERSIST != 0;
            if on {
                s.flags |= flag::IFF_PERSIST;
            } else {
                s.flags &= !flag::IFF_PERSIST;
            }
            was != on
        })
    }

    /// TUNSETOWNER: `make_kuid` of (uid_t)-1 is invalid (EINVAL); always notifies.
    pub fn tun_set_owner(&mut self, file: TunFileId, uid: u32) -> KResult<()> {
        if uid == u32::MAX {
            self.tun_ioctl_target(file)?;
            return err(errno::EINVAL);
        }
        self.tun_change(file, |s| {
            s.owner = Some(uid);
            true
        })
    }

    /// TUNSETGROUP: like TUNSETOWNER.
    pub fn tun_set_group(&mut self, file: TunFileId, gid: u32) -> KResult<()> {
        if gid == u32::MAX {
            self.tun_ioctl_target(file)?;
            return err(errno::EINVAL);
        }
        self.tun_change(file, |s| {
            s.group = Some(gid);
            true
        })
    }

    /// `tun_chr_close` → `tun_detach(tfile, true)`: the last queue gone turns the carrier off
    /// and unregisters a device that is not persistent.
    pub fn tun_close(&mut self, file: TunFileId) {
        let Some(tf) = self
            .files
            .remove(&file)
            .and_then(|f| f.downcast_ref::<TunFile>().cloned())
        else {
            return;
        };
        if let Some(id) = tf.tun.filter(|d| self.try_dev(*d).is_some()) {
            // __tun_detach: tfiles[index] = tfiles[numqueues - 1], numqueues--.
            let d = self.dev_mut(id);
            let mut last = false;
            let mut persist = true;
            if let Some(s) = state_mut(d) {
                if let Some(pos) = s.tfiles.iter().position(|f| *f == file) {
                    s.tfiles.swap_remove(pos);
                }
                last = s.tfiles.is_empty() && s.numdisabled == 0;
                persist = s.flags & flag::IFF_PERSIST != 0;
                let n = (s.tfiles.len() as u32).max(1);
                d.real_num_tx_queues = n;
                d.real_num_rx_queues = n;
            }
            if last {
                self.netif_carrier_off(id);
                if !persist && self.dev(id).reg_state == RegState::Registered {
                    self.unregister_many(&[id], false);
                }
            }
            // tun_detach: netdev_state_change(dev), silent once it is gone or down.
            if self.try_dev(id).is_some() {
                self.netdev_state_change(id);
            }
        }
        self.linkwatch_run_queue();
    }

    /// The sysfs attributes of a tun device (`tun_attr_group`): `tun_flags`, `owner`, `group`.
    pub fn tun_sysfs(&self, id: DevId, attr: &str) -> Option<String> {
        let s = state(self.try_dev(id)?)?;
        let id_or_minus1 = |v: Option<u32>| v.map_or("-1\n".to_string(), |v| format!("{v}\n"));
        Some(match attr {
            // tun_flags_show: "0x%x\n".
            "tun_flags" => format!("0x{:x}\n", tun_flags(s)),
            // owner_show / group_show: the id, or -1 when invalid.
            "owner" => id_or_minus1(s.owner),
            "group" => id_or_minus1(s.group),
            _ => return None,
        })
    }
}

#[typetag::serde(name = "Tun")]
impl KindPriv for TunState {}

#[typetag::serde(name = "Tun")]
impl KindInfoValue for TunInfo {}

#[typetag::serde(name = "TunFile")]
impl DriverFileValue for TunFile {
    /// The opener's namespace exists and the attached device is a tun/tap device.
    fn check(&self, k: &Kernel, id: u64) -> Result<(), Violation> {
        let subject = || format!("tun file {id}");
        if !k.namespaces.contains_key(&self.netns) {
            return Err(Violation {
                subject: subject(),
                field: "netns".into(),
                why: format!("namespace {} does not exist", self.netns.0),
            });
        }
        if let Some(t) = self.tun {
            if !k
                .try_dev(t)
                .is_some_and(|d| [Kind::TUN, Kind::TAP].contains(&d.kind))
            {
                return Err(Violation {
                    subject: subject(),
                    field: "tun".into(),
                    why: format!("device id {} is not a tun/tap device", t.0),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::flag::*;
    use super::*;
    use crate::kernel::{Event, LinkMsg};
    use crate::uapi::oper;

    fn root() -> TunCred {
        TunCred {
            net_admin: true,
            ..TunCred::default()
        }
    }

    fn user(uid: u32, gid: u32, groups: Vec<u32>) -> TunCred {
        TunCred {
            euid: uid,
            egid: gid,
            groups,
            net_admin: false,
        }
    }

    /// `ip tuntap add dev NAME mode ...`: open, TUNSETIFF (with IFF_TUN_EXCL), TUNSETPERSIST 1,
    /// close.
    fn tuntap_add(k: &mut Kernel, name: &str, flags: u32) -> KResult<String> {
        let ns = k.init_net();
        let f = k.tun_open(ns);
        let r = k.tun_set_iff(f, name, flags | IFF_TUN_EXCL, &root());
        if r.is_ok() {
            k.tun_set_persist(f, true)?;
        }
        k.tun_close(f);
        r.map(|i| i.name)
    }

    fn dev(k: &Kernel, name: &str) -> DevId {
        k.dev_by_name(k.init_net(), name).expect("device exists")
    }

    fn info(k: &Kernel, name: &str) -> TunInfo {
        match k.fill(dev(k, name)).info {
            Some(i) if i.is::<TunInfo>() => i.downcast_ref::<TunInfo>().expect("checked").clone(),
            other => panic!("no tun info: {other:?}"),
        }
    }

    /// TUN-CREATE-TAP / TUN-CREATE-TUN (tuntap#3, #4, #11, #12): `tun_net_initialize`.
    #[test]
    fn create_tap_and_tun() {
        let mut k = Kernel::new(1);
        assert_eq!(
            tuntap_add(&mut k, "tap1", IFF_TAP | IFF_NO_PI).as_deref(),
            Ok("tap1")
        );
        assert_eq!(
            tuntap_add(&mut k, "tun1", IFF_TUN | IFF_NO_PI).as_deref(),
            Ok("tun1")
        );
        let tap = k.fill(dev(&k, "tap1"));
        assert_eq!(tap.kind, Some("tun"));
        assert_eq!(tap.dev_type, arphrd::ETHER);
        assert_eq!(tap.flags, iff::BROADCAST | iff::MULTICAST);
        assert_eq!(
            (tap.mtu, tap.min_mtu, tap.max_mtu, tap.txqlen),
            (1500, 68, 65521, 1000)
        );
        assert!(tap.addr.is_some_and(|a| a.is_valid_ether()));
        let tun = k.fill(dev(&k, "tun1"));
        assert_eq!(tun.dev_type, arphrd::NONE);
        assert_eq!(tun.flags, iff::POINTOPOINT | iff::NOARP | iff::MULTICAST);
        assert_eq!(
            (tun.mtu, tun.min_mtu, tun.max_mtu, tun.txqlen),
            (1500, 68, 65535, 500)
        );
        assert_eq!(tun.addr, None);
        // Detached after close: no carrier, operstate DOWN, one carrier change.
        assert!(!tun.carrier);
        assert_eq!(tun.carrier_down_count, 1);
        assert_eq!(
            info(&k, "tap1"),
            TunInfo {
                dev_type: IFF_TAP as u8,
                owner: None,
                group: None,
                pi: false,
                vnet_hdr: false,
                persist: true,
                multi_queue: false,
                num_queues: 0,
                num_disabled_queues: 0,
            }
        );
        assert_eq!(
            k.sysfs_read(k.init_net(), "tap1", "tun_flags"),
            crate::sysfs::SysfsRead::Text("0x1802\n".into())
        );
        assert_eq!(
            k.sysfs_read(k.init_net(), "tap1", "owner"),
            crate::sysfs::SysfsRead::Text("-1\n".into())
        );
    }

    /// TUN-NAME-TEMPLATE (tuntap#5): no name → "tap%d" / "tun%d".
    #[test]
    fn name_templates() {
        let mut k = Kernel::new(1);
        assert_eq!(tuntap_add(&mut k, "", IFF_TAP).as_deref(), Ok("tap0"));
        assert_eq!(tuntap_add(&mut k, "", IFF_TAP).as_deref(), Ok("tap1"));
        assert_eq!(tuntap_add(&mut k, "", IFF_TUN).as_deref(), Ok("tun0"));
        // Neither IFF_TUN nor IFF_TAP: EINVAL.
        assert_eq!(
            tuntap_add(&mut k, "x", IFF_NO_PI).map_err(|e| e.errno),
            Err(errno::EINVAL)
        );
    }

    /// TUN-MQ (tuntap#7, #14): MAX_TAP_QUEUES queues, IFLA_TUN_NUM_QUEUES while multiqueue.
    #[test]
    fn multi_queue() {
        let mut k = Kernel::new(1);
        tuntap_add(&mut k, "tun2", IFF_TUN | IFF_MULTI_QUEUE | IFF_VNET_HDR).unwrap();
        let v = k.fill(dev(&k, "tun2"));
        assert_eq!((v.num_tx_queues, v.num_rx_queues), (256, 256));
        let i = info(&k, "tun2");
        assert!(i.pi && i.vnet_hdr && i.multi_queue && i.persist);
        // Two queues attached at once; a third file of a single-queue device is EBUSY.
        let ns = k.init_net();
        let (a, b) = (k.tun_open(ns), k.tun_open(ns));
        k.tun_set_iff(a, "tun2", IFF_TUN | IFF_MULTI_QUEUE, &root())
            .unwrap();
        k.tun_set_iff(b, "tun2", IFF_TUN | IFF_MULTI_QUEUE, &root())
            .unwrap();
        assert_eq!(info(&k, "tun2").num_queues, 2);
        tuntap_add(&mut k, "tap1", IFF_TAP).unwrap();
        let (c, d) = (k.tun_open(ns), k.tun_open(ns));
        k.tun_set_iff(c, "tap1", IFF_TAP, &root()).unwrap();
        assert_eq!(
            k.tun_set_iff(d, "tap1", IFF_TAP, &root())
                .map_err(|e| e.errno),
            Err(errno::EBUSY)
        );
        // A file already attached: EEXIST.
        assert_eq!(
            k.tun_set_iff(c, "tap1", IFF_TAP, &root())
                .map_err(|e| e.errno),
            Err(errno::EEXIST)
        );
        // TUNGETIFF: tun_flags plus IFF_NOFILTER.
        assert_eq!(
            k.tun_get_iff(c),
            Ok(TunIfreq {
                name: "tap1".into(),
                flags: IFF_TAP | IFF_PERSIST | IFF_NOFILTER
            })
        );
        assert_eq!(k.tun_get_iff(d).map_err(|e| e.errno), Err(errno::EBADFD));
    }

    /// TUN-EXCL, TUN-ATTACH-TYPE, TUN-ATTACH-MQ (tuntap#16-#21).
    #[test]
    fn attach_rules() {
        let mut k = Kernel::new(1);
        k.netdevsim_new_device(k.init_net(), 1, 1).unwrap();
        tuntap_add(&mut k, "tap1", IFF_TAP).unwrap();
        tuntap_add(&mut k, "tun1", IFF_TUN).unwrap();
        tuntap_add(&mut k, "tun2", IFF_TUN | IFF_MULTI_QUEUE).unwrap();
        let ns = k.init_net();
        let f = k.tun_open(ns);
        let e = |k: &mut Kernel, name: &str, flags: u32| {
            k.tun_set_iff(f, name, flags, &root()).map_err(|e| e.errno)
        };
        assert_eq!(e(&mut k, "tap1", IFF_TAP | IFF_TUN_EXCL), Err(errno::EBUSY));
        assert_eq!(e(&mut k, "eth0", IFF_TAP | IFF_TUN_EXCL), Err(errno::EBUSY));
        assert_eq!(e(&mut k, "eth0", IFF_TAP), Err(errno::EINVAL));
        assert_eq!(e(&mut k, "tap1", IFF_TUN), Err(errno::EINVAL));
        assert_eq!(e(&mut k, "tun1", IFF_TAP), Err(errno::EINVAL));
        assert_eq!(e(&mut k, "tun2", IFF_TUN), Err(errno::EINVAL));
        // IFF_NAPI_FRAGS needs IFF_NAPI and a tap.
        assert_eq!(
            e(&mut k, "x", IFF_TUN | IFF_NAPI | IFF_NAPI_FRAGS),
            Err(errno::EINVAL)
        );
        assert!(e(&mut k, "tun2", IFF_TUN | IFF_MULTI_QUEUE).is_ok());
    }

    /// `tun_not_capable`: owner / group of an existing device; creation needs CAP_NET_ADMIN.
    #[test]
    fn owner_and_group() {
        let mut k = Kernel::new(1);
        let ns = k.init_net();
        let f = k.tun_open(ns);
        k.tun_set_iff(f, "tun0", IFF_TUN, &root()).unwrap();
        k.tun_set_owner(f, 4321).unwrap();
        k.tun_set_group(f, 4322).unwrap();
        assert_eq!(
            k.tun_set_owner(f, u32::MAX).map_err(|e| e.errno),
            Err(errno::EINVAL)
        );
        k.tun_set_persist(f, true).unwrap();
        k.tun_close(f);
        assert_eq!(
            (info(&k, "tun0").owner, info(&k, "tun0").group),
            (Some(4321), Some(4322))
        );
        assert_eq!(
            k.sysfs_read(ns, "tun0", "group"),
            crate::sysfs::SysfsRead::Text("4322\n".into())
        );
        let try_as = |k: &mut Kernel, cred: TunCred| {
            let f = k.tun_open(ns);
            let r = k
                .tun_set_iff(f, "tun0", IFF_TUN, &cred)
                .map_err(|e| e.errno);
            k.tun_close(f);
            r.map(|_| ())
        };
        // Wrong owner, or right owner without the group: EPERM; both right: attached.
        assert_eq!(try_as(&mut k, user(1, 4322, vec![])), Err(errno::EPERM));
        assert_eq!(try_as(&mut k, user(4321, 1, vec![])), Err(errno::EPERM));
        assert_eq!(try_as(&mut k, user(4321, 1, vec![7, 4322])), Ok(()));
        assert_eq!(try_as(&mut k, user(4321, 4322, vec![])), Ok(()));
        // CAP_NET_ADMIN overrides the owner check but creation needs it.
        assert_eq!(try_as(&mut k, root()), Ok(()));
        let f = k.tun_open(ns);
        assert_eq!(
            k.tun_set_iff(f, "new0", IFF_TUN, &user(4321, 4322, vec![]))
                .map_err(|e| e.errno),
            Err(errno::EPERM)
        );
    }

    /// TUN-NONPERSIST (tuntap#39): a device that is not persistent goes with its last file,
    /// announced by RTM_NEWLINK then RTM_DELLINK.
    #[test]
    fn non_persistent_goes_at_close() {
        let mut k = Kernel::new(1);
        k.take_events();
        let ns = k.init_net();
        let f = k.tun_open(ns);
        let r = k
            .tun_set_iff(f, "nosuch", IFF_TAP | IFF_NO_PI, &root())
            .unwrap();
        assert_eq!(r.name, "nosuch");
        k.tun_set_persist(f, false).unwrap();
        assert!(k.fill(dev(&k, "nosuch")).carrier);
        k.tun_close(f);
        assert_eq!(k.dev_by_name(ns, "nosuch"), None);
        let msgs: Vec<(LinkMsg, String)> = k
            .take_events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Link { msg, view, .. } => Some((msg, view.name.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            msgs,
            vec![
                (LinkMsg::New, "nosuch".into()),
                (LinkMsg::Del, "nosuch".into())
            ]
        );
        k.check_invariants().unwrap();
    }

    /// TUN-RTNL-CREATE, TUN-CARRIER, deletion through rtnetlink (tuntap#22-#27, #36).
    #[test]
    fn rtnetlink_side() {
        let mut k = Kernel::new(1);
        let ns = k.init_net();
        let req = LinkRequest {
            ifname: Some("foo".into()),
            linkinfo: Some(crate::request::LinkInfoRequest {
                kind: Some("tun".into()),
                ..Default::default()
            }),
            nlm: crate::request::NewLinkFlags {
                create: true,
                excl: true,
                replace: false,
            },
            ..Default::default()
        };
        let e = k.newlink(ns, &req).unwrap_err();
        assert_eq!(e.errno, errno::EOPNOTSUPP);
        assert_eq!(
            e.msg.as_deref(),
            Some("tun/tap creation via rtnetlink is not supported.")
        );
        // Carrier on needs an attached queue.
        let f = k.tun_open(ns);
        k.tun_set_iff(f, "tap1", IFF_TAP, &root()).unwrap();
        k.tun_set_persist(f, true).unwrap();
        let id = dev(&k, "tap1");
        let ops = Kind::TAP.ops();
        assert_eq!(ops.change_carrier(&mut k, id, true), Some(Ok(())));
        k.tun_close(f);
        assert_eq!(
            ops.change_carrier(&mut k, id, true),
            Some(err(errno::EPERM))
        );
        k.dev_change_flags(id, iff::UP).unwrap();
        k.linkwatch_run_queue();
        assert_eq!(k.fill(id).operstate, oper::DOWN);
        // ip link del: unregister_netdevice; a file still attached lets go (tun_detach_all).
        let g = k.tun_open(ns);
        k.tun_set_iff(g, "tap1", IFF_TAP, &root()).unwrap();
        let del = LinkRequest {
            ifname: Some("tap1".into()),
            ..Default::default()
        };
        k.dellink(ns, &del).unwrap();
        assert_eq!(k.tun_get_iff(g).map_err(|e| e.errno), Err(errno::EBADFD));
        k.tun_close(g);
        k.check_invariants().unwrap();
    }
}
