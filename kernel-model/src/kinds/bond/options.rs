//! The bonding options (drivers/net/bonding/bond_options.c): the `bond_opts[]` table (value
//! tables, NOSLAVES / IFDOWN flags, unsupported modes), `__bond_opt_set` (dependency check,
//! parse, set, `bond_opt_error_interpret`'s extack), and `bond_changelink` /
//! `bond_slave_changelink` (bond_netlink.c), which apply the attributes in a fixed order.

use super::{bond, bond_mut, mode, slave, slave_mut, uses_primary, BondParams};
use crate::device::DevId;
use crate::error::{AttrPath, KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff, ifla};
use serde::{Deserialize, Serialize};

/// `IFLA_BOND_*` (include/uapi/linux/if_link.h).
pub mod ifla_bond {
    pub const MODE: u16 = 1;
    pub const ACTIVE_SLAVE: u16 = 2;
    pub const MIIMON: u16 = 3;
    pub const UPDELAY: u16 = 4;
    pub const DOWNDELAY: u16 = 5;
    pub const USE_CARRIER: u16 = 6;
    pub const ARP_INTERVAL: u16 = 7;
    pub const ARP_IP_TARGET: u16 = 8;
    pub const ARP_VALIDATE: u16 = 9;
    pub const ARP_ALL_TARGETS: u16 = 10;
    pub const PRIMARY: u16 = 11;
    pub const PRIMARY_RESELECT: u16 = 12;
    pub const FAIL_OVER_MAC: u16 = 13;
    pub const XMIT_HASH_POLICY: u16 = 14;
    pub const RESEND_IGMP: u16 = 15;
    pub const NUM_PEER_NOTIF: u16 = 16;
    pub const ALL_SLAVES_ACTIVE: u16 = 17;
    pub const MIN_LINKS: u16 = 18;
    pub const LP_INTERVAL: u16 = 19;
    pub const PACKETS_PER_SLAVE: u16 = 20;
    pub const AD_LACP_RATE: u16 = 21;
    pub const AD_SELECT: u16 = 22;
    pub const AD_INFO: u16 = 23;
    pub const AD_ACTOR_SYS_PRIO: u16 = 24;
    pub const AD_USER_PORT_KEY: u16 = 25;
    pub const AD_ACTOR_SYSTEM: u16 = 26;
    pub const TLB_DYNAMIC_LB: u16 = 27;
    pub const PEER_NOTIF_DELAY: u16 = 28;
    pub const AD_LACP_ACTIVE: u16 = 29;
    pub const MISSED_MAX: u16 = 30;
    pub const NS_IP6_TARGET: u16 = 31;
    pub const COUPLED_CONTROL: u16 = 32;
    /// IFLA_BOND_SLAVE_*.
    pub const SLAVE_QUEUE_ID: u16 = 5;
    pub const SLAVE_PRIO: u16 = 9;
}

/// One IFLA_BOND_* attribute of a request, with its value as on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BondOpt {
    Mode(u8),
    ActiveSlave(u32),
    Miimon(u32),
    Updelay(u32),
    Downdelay(u32),
    PeerNotifDelay(u32),
    UseCarrier(u8),
    ArpInterval(u32),
    ArpIpTarget(Vec<[u8; 4]>),
    NsIp6Target(Vec<[u8; 16]>),
    ArpValidate(u32),
    ArpAllTargets(u32),
    Primary(u32),
    PrimaryReselect(u8),
    FailOverMac(u8),
    XmitHashPolicy(u8),
    ResendIgmp(u32),
    NumPeerNotif(u8),
    AllSlavesActive(u8),
    MinLinks(u32),
    LpInterval(u32),
    PacketsPerSlave(u32),
    LacpActive(u8),
    LacpRate(u8),
    AdSelect(u8),
    AdActorSysPrio(u16),
    AdUserPortKey(u16),
    AdActorSystem(Vec<u8>),
    TlbDynamicLb(u8),
    MissedMax(u8),
    CoupledControl(u8),
    /// An attribute the kernel's `bond_changelink` ignores (IFLA_BOND_AD_INFO, unknown ones).
    Other(u16),
}

impl BondOpt {
    /// The IFLA_BOND_* number, which is also `bond_changelink`'s handling order except for
    /// the few attributes it handles out of numeric order (see [`changelink_rank`]).
    pub fn attr(&self) -> u16 {
        use ifla_bond::*;
        match self {
            BondOpt::Mode(_) => MODE,
            BondOpt::ActiveSlave(_) => ACTIVE_SLAVE,
            BondOpt::Miimon(_) => MIIMON,
            BondOpt::Updelay(_) => UPDELAY,
            BondOpt::Downdelay(_) => DOWNDELAY,
            BondOpt::PeerNotifDelay(_) => PEER_NOTIF_DELAY,
            BondOpt::UseCarrier(_) => USE_CARRIER,
            BondOpt::ArpInterval(_) => ARP_INTERVAL,
            BondOpt::ArpIpTarget(_) => ARP_IP_TARGET,
            BondOpt::NsIp6Target(_) => NS_IP6_TARGET,
            BondOpt::ArpValidate(_) => ARP_VALIDATE,
            BondOpt::ArpAllTargets(_) => ARP_ALL_TARGETS,
            BondOpt::Primary(_) => PRIMARY,
            BondOpt::PrimaryReselect(_) => PRIMARY_RESELECT,
            BondOpt::FailOverMac(_) => FAIL_OVER_MAC,
            BondOpt::XmitHashPolicy(_) => XMIT_HASH_POLICY,
            BondOpt::ResendIgmp(_) => RESEND_IGMP,
            BondOpt::NumPeerNotif(_) => NUM_PEER_NOTIF,
            BondOpt::AllSlavesActive(_) => ALL_SLAVES_ACTIVE,
            BondOpt::MinLinks(_) => MIN_LINKS,
            BondOpt::LpInterval(_) => LP_INTERVAL,
            BondOpt::PacketsPerSlave(_) => PACKETS_PER_SLAVE,
            BondOpt::LacpActive(_) => AD_LACP_ACTIVE,
            BondOpt::LacpRate(_) => AD_LACP_RATE,
            BondOpt::AdSelect(_) => AD_SELECT,
            BondOpt::AdActorSysPrio(_) => AD_ACTOR_SYS_PRIO,
            BondOpt::AdUserPortKey(_) => AD_USER_PORT_KEY,
            BondOpt::AdActorSystem(_) => AD_ACTOR_SYSTEM,
            BondOpt::TlbDynamicLb(_) => TLB_DYNAMIC_LB,
            BondOpt::MissedMax(_) => MISSED_MAX,
            BondOpt::CoupledControl(_) => COUPLED_CONTROL,
            BondOpt::Other(a) => *a,
        }
    }
}

/// `bond_changelink`'s order: mode, active_slave, miimon, updelay, downdelay,
/// peer_notif_delay, use_carrier, arp_interval, arp_ip_target, ns_ip6_target, arp_validate,
/// arp_all_targets, primary, primary_reselect, fail_over_mac, xmit_hash_policy, resend_igmp,
/// num_peer_notif, all_slaves_active, min_links, lp_interval, packets_per_slave, lacp_active,
/// lacp_rate, ad_select, ad_actor_sys_prio, ad_user_port_key, ad_actor_system,
/// tlb_dynamic_lb, missed_max, coupled_control.
fn changelink_rank(o: &BondOpt) -> u8 {
    match o {
        BondOpt::Mode(_) => 0,
        BondOpt::ActiveSlave(_) => 1,
        BondOpt::Miimon(_) => 2,
        BondOpt::Updelay(_) => 3,
        BondOpt::Downdelay(_) => 4,
        BondOpt::PeerNotifDelay(_) => 5,
        BondOpt::UseCarrier(_) => 6,
        BondOpt::ArpInterval(_) => 7,
        BondOpt::ArpIpTarget(_) => 8,
        BondOpt::NsIp6Target(_) => 9,
        BondOpt::ArpValidate(_) => 10,
        BondOpt::ArpAllTargets(_) => 11,
        BondOpt::Primary(_) => 12,
        BondOpt::PrimaryReselect(_) => 13,
        BondOpt::FailOverMac(_) => 14,
        BondOpt::XmitHashPolicy(_) => 15,
        BondOpt::ResendIgmp(_) => 16,
        BondOpt::NumPeerNotif(_) => 17,
        BondOpt::AllSlavesActive(_) => 18,
        BondOpt::MinLinks(_) => 19,
        BondOpt::LpInterval(_) => 20,
        BondOpt::PacketsPerSlave(_) => 21,
        BondOpt::LacpActive(_) => 22,
        BondOpt::LacpRate(_) => 23,
        BondOpt::AdSelect(_) => 24,
        BondOpt::AdActorSysPrio(_) => 25,
        BondOpt::AdUserPortKey(_) => 26,
        BondOpt::AdActorSystem(_) => 27,
        BondOpt::TlbDynamicLb(_) => 28,
        BondOpt::MissedMax(_) => 29,
        BondOpt::CoupledControl(_) => 30,
        BondOpt::Other(_) => 31,
    }
}

/// `BOND_OPTFLAG_*`.
const NOSLAVES: u8 = 1;
const IFDOWN: u8 = 2;

const fn bit(m: u8) -> u8 {
    1 << m
}
/// `BOND_MODE_ALL_EX(x)`.
const fn all_ex(x: u8) -> u8 {
    0x7f & !x
}
const ARP_UNSUPP: u8 = bit(mode::M8023AD) | bit(mode::TLB) | bit(mode::ALB);
const PRIMARY_MODES: u8 = bit(mode::ACTIVEBACKUP) | bit(mode::TLB) | bit(mode::ALB);

/// How a value is matched against the option's `values[]` table (`bond_opt_parse`): exact
/// entries, then the MIN..MAX range when the table has a MAX entry. `Raw` options
/// (BOND_OPTFLAG_RAWVAL) are not parsed.
#[derive(Clone, Copy)]
enum Values {
    Raw,
    Table(&'static [u64], Option<(u64, u64)>),
}

/// One `struct bond_option` (its `.name` is only the label of its row in `def`).
#[derive(Clone, Copy)]
struct OptDef {
    flags: u8,
    unsuppmodes: u8,
    values: Values,
}

const INT_MAX: u64 = i32::MAX as u64;
/// `bond_intmax_tbl`: off 0, maxval INT_MAX.
const INTMAX: Values = Values::Table(&[0], Some((0, INT_MAX)));
const ONOFF: Values = Values::Table(&[0, 1], None);

fn def(o: &BondOpt) -> OptDef {
    let d = |_name: &str, flags, unsuppmodes, values| OptDef {
        flags,
        unsuppmodes,
        values,
    };
    match o {
        BondOpt::Mode(_) => d(
            "mode",
            NOSLAVES | IFDOWN,
            0,
            Values::Table(&[0, 1, 2, 3, 4, 5, 6], None),
        ),
        BondOpt::ActiveSlave(_) => d("active_slave", 0, all_ex(PRIMARY_MODES), Values::Raw),
        BondOpt::Miimon(_) => d("miimon", 0, 0, INTMAX),
        BondOpt::Updelay(_) => d("updelay", 0, 0, INTMAX),
        BondOpt::Downdelay(_) => d("downdelay", 0, 0, INTMAX),
        BondOpt::PeerNotifDelay(_) => d(
            "peer_notif_delay",
            0,
            0,
            Values::Table(&[0], Some((0, 300_000))),
        ),
        BondOpt::UseCarrier(_) => d("use_carrier", 0, 0, ONOFF),
        BondOpt::ArpInterval(_) => d("arp_interval", 0, ARP_UNSUPP, INTMAX),
        BondOpt::ArpIpTarget(_) => d("arp_ip_target", 0, 0, Values::Raw),
        BondOpt::NsIp6Target(_) => d("ns_ip6_target", 0, 0, Values::Raw),
        BondOpt::ArpValidate(_) => d(
            "arp_validate",
            0,
            ARP_UNSUPP,
            Values::Table(&[0, 1, 2, 3, 4, 5, 6], None),
        ),
        BondOpt::ArpAllTargets(_) => d("arp_all_targets", 0, 0, ONOFF),
        BondOpt::Primary(_) => d("primary", 0, all_ex(PRIMARY_MODES), Values::Raw),
        BondOpt::PrimaryReselect(_) => d("primary_reselect", 0, 0, Values::Table(&[0, 1, 2], None)),
        BondOpt::FailOverMac(_) => d(
            "fail_over_mac",
            NOSLAVES,
            0,
            Values::Table(&[0, 1, 2], None),
        ),
        BondOpt::XmitHashPolicy(_) => d(
            "xmit_hash_policy",
            0,
            0,
            Values::Table(&[0, 1, 2, 3, 4, 5], None),
        ),
        BondOpt::ResendIgmp(_) => d("resend_igmp", 0, 0, Values::Table(&[0, 1], Some((0, 255)))),
        BondOpt::NumPeerNotif(_) => d("num_unsol_na", 0, 0, Values::Table(&[0, 1], Some((0, 255)))),
        BondOpt::AllSlavesActive(_) => d("all_slaves_active", 0, 0, ONOFF),
        BondOpt::MinLinks(_) => d("min_links", 0, 0, INTMAX),
        BondOpt::LpInterval(_) => d("lp_interval", 0, 0, Values::Table(&[1], Some((1, INT_MAX)))),
        BondOpt::PacketsPerSlave(_) => d(
            "packets_per_slave",
            0,
            all_ex(bit(mode::ROUNDROBIN)),
            Values::Table(&[1], Some((0, 65535))),
        ),
        BondOpt::LacpActive(_) => d("lacp_active", IFDOWN, all_ex(bit(mode::M8023AD)), ONOFF),
        BondOpt::LacpRate(_) => d("lacp_rate", IFDOWN, all_ex(bit(mode::M8023AD)), ONOFF),
        BondOpt::AdSelect(_) => d("ad_select", IFDOWN, 0, Values::Table(&[0, 1, 2], None)),
        BondOpt::AdActorSysPrio(_) => d(
            "ad_actor_sys_prio",
            0,
            all_ex(bit(mode::M8023AD)),
            Values::Table(&[1, 65535], Some((1, 65535))),
        ),
        BondOpt::AdUserPortKey(_) => d(
            "ad_user_port_key",
            IFDOWN,
            all_ex(bit(mode::M8023AD)),
            Values::Table(&[0, 1023], Some((0, 1023))),
        ),
        BondOpt::AdActorSystem(_) => d(
            "ad_actor_system",
            0,
            all_ex(bit(mode::M8023AD)),
            Values::Raw,
        ),
        BondOpt::TlbDynamicLb(_) => d(
            "tlb_dynamic_lb",
            IFDOWN,
            all_ex(bit(mode::TLB) | bit(mode::ALB)),
            ONOFF,
        ),
        BondOpt::MissedMax(_) => d(
            "arp_missed_max",
            0,
            ARP_UNSUPP,
            Values::Table(&[1, 255, 2], Some((1, 255))),
        ),
        BondOpt::CoupledControl(_) => {
            d("coupled_control", IFDOWN, all_ex(bit(mode::M8023AD)), ONOFF)
        }
        BondOpt::Other(_) => d("", 0, 0, Values::Raw),
    }
}

/// The value `bond_changelink` hands to `bond_opt_initval`: u32 attributes go through an
/// `int`, so values above INT_MAX arrive sign-extended (and ULLONG_MAX is "no value").
fn int_val(v: u32) -> u64 {
    v as i32 as i64 as u64
}

fn numeric(o: &BondOpt) -> Option<u64> {
    Some(match o {
        BondOpt::Mode(v)
        | BondOpt::UseCarrier(v)
        | BondOpt::PrimaryReselect(v)
        | BondOpt::FailOverMac(v)
        | BondOpt::XmitHashPolicy(v)
        | BondOpt::NumPeerNotif(v)
        | BondOpt::AllSlavesActive(v)
        | BondOpt::LacpActive(v)
        | BondOpt::LacpRate(v)
        | BondOpt::AdSelect(v)
        | BondOpt::TlbDynamicLb(v)
        | BondOpt::MissedMax(v)
        | BondOpt::CoupledControl(v) => u64::from(*v),
        BondOpt::AdActorSysPrio(v) | BondOpt::AdUserPortKey(v) => u64::from(*v),
        BondOpt::Miimon(v)
        | BondOpt::Updelay(v)
        | BondOpt::Downdelay(v)
        | BondOpt::PeerNotifDelay(v)
        | BondOpt::ArpInterval(v)
        | BondOpt::ArpValidate(v)
        | BondOpt::ArpAllTargets(v)
        | BondOpt::ResendIgmp(v)
        | BondOpt::MinLinks(v)
        | BondOpt::LpInterval(v)
        | BondOpt::PacketsPerSlave(v) => int_val(*v),
        _ => return None,
    })
}

/// `bond_opt_parse` for a numeric value.
fn parse(values: Values, v: u64) -> bool {
    match values {
        Values::Raw => true,
        Values::Table(exact, range) => {
            if v == u64::MAX {
                return false;
            }
            exact.contains(&v) || range.is_some_and(|(lo, hi)| v >= lo && v <= hi)
        }
    }
}

fn bad(attr: u16) -> AttrPath {
    AttrPath::info_data(attr)
}

fn bad_slave(attr: u16) -> AttrPath {
    AttrPath::nested(&[ifla::LINKINFO, ifla::INFO_SLAVE_DATA, attr])
}

/// `bond_opt_error_interpret`: the extack of a failed `__bond_opt_set`.
fn interpret(errno_: i32, path: AttrPath) -> KernelError {
    let e = KernelError::new(errno_);
    match errno_ {
        errno::EINVAL => e.msg("invalid option value").attr(path),
        // bond_opt_dep_print: the kernel string has no trailing '.', iproute2 adds it.
        errno::EACCES => e.msg("option not supported in mode").attr(path),
        errno::ENOTEMPTY => e
            .msg("unable to set option because the bond device has slaves")
            .attr(path),
        errno::EBUSY => e
            .msg("unable to set option because the bond is up")
            .attr(path),
        _ => e,
    }
}

/// `bond_opt_check_deps`: unsupported mode (EACCES), then NOSLAVES (ENOTEMPTY), then
/// IFDOWN (EBUSY).
fn check_deps(k: &Kernel, id: DevId, d: &OptDef) -> Result<(), i32> {
    let b = bond(k, id);
    if d.unsuppmodes & bit(b.params.mode) != 0 {
        return Err(errno::EACCES);
    }
    if d.flags & NOSLAVES != 0 && !b.slaves.is_empty() {
        return Err(errno::ENOTEMPTY);
    }
    if d.flags & IFDOWN != 0 && k.dev(id).flags & iff::UP != 0 {
        return Err(errno::EBUSY);
    }
    Ok(())
}

/// `__bond_opt_set` for one request attribute.
fn opt_set(k: &mut Kernel, id: DevId, o: &BondOpt, path: AttrPath) -> KResult<()> {
    let d = def(o);
    let r = check_deps(k, id, &d).and_then(|()| {
        if let Some(v) = numeric(o) {
            if !parse(d.values, v) {
                return Err(errno::EINVAL);
            }
        }
        set(k, id, o)
    });
    r.map_err(|e| interpret(e, path))
}

/// The `.set` of each option (`bond_option_*_set`).
fn params_mut(k: &mut Kernel, id: DevId) -> &mut BondParams {
    &mut bond_mut(k, id).params
}

fn set(k: &mut Kernel, id: DevId, o: &BondOpt) -> Result<(), i32> {
    match o {
        BondOpt::Mode(m) => {
            // bond_option_mode_set
            let m = *m;
            if !super::mode_uses_arp(m) {
                params_mut(k, id).arp_interval = 0;
                if params_mut(k, id).miimon == 0 {
                    params_mut(k, id).miimon = super::BOND_DEFAULT_MIIMON;
                }
            }
            if m == mode::ALB {
                params_mut(k, id).tlb_dynamic_lb = 1;
            }
            params_mut(k, id).arp_validate = 0;
            params_mut(k, id).mode = m;
        }
        BondOpt::ActiveSlave(ifindex) => return active_slave_set(k, id, *ifindex),
        BondOpt::Miimon(v) => {
            let pr = params_mut(k, id);
            pr.miimon = *v;
            if *v != 0 && pr.arp_interval != 0 {
                pr.arp_interval = 0;
                pr.arp_validate = 0;
            }
            super::miimon_settle(k, id);
        }
        BondOpt::Updelay(v) | BondOpt::Downdelay(v) | BondOpt::PeerNotifDelay(v) => {
            // _bond_option_delay_set: stored as a multiple of miimon.
            let miimon = params_mut(k, id).miimon;
            if miimon == 0 {
                return Err(errno::EPERM);
            }
            let n = *v / miimon;
            match o {
                BondOpt::Updelay(_) => params_mut(k, id).updelay = n,
                BondOpt::Downdelay(_) => params_mut(k, id).downdelay = n,
                _ => params_mut(k, id).peer_notif_delay = n,
            }
        }
        BondOpt::UseCarrier(v) => params_mut(k, id).use_carrier = *v,
        BondOpt::ArpInterval(v) => {
            let pr = params_mut(k, id);
            pr.arp_interval = *v;
            if *v != 0 {
                pr.miimon = 0;
            }
        }
        BondOpt::ArpIpTarget(_) | BondOpt::NsIp6Target(_) => {
            unreachable!("targets are set one by one in changelink")
        }
        BondOpt::ArpValidate(v) => params_mut(k, id).arp_validate = *v,
        BondOpt::ArpAllTargets(v) => params_mut(k, id).arp_all_targets = *v,
        BondOpt::Primary(ifindex) => primary_set(k, id, *ifindex),
        BondOpt::PrimaryReselect(v) => {
            params_mut(k, id).primary_reselect = *v;
            super::select_active_slave(k, id);
        }
        BondOpt::FailOverMac(v) => params_mut(k, id).fail_over_mac = *v,
        BondOpt::XmitHashPolicy(v) => params_mut(k, id).xmit_policy = *v,
        BondOpt::ResendIgmp(v) => params_mut(k, id).resend_igmp = *v,
        BondOpt::NumPeerNotif(v) => params_mut(k, id).num_peer_notif = *v,
        BondOpt::AllSlavesActive(v) => {
            if u8::from(params_mut(k, id).all_slaves_active) != *v {
                params_mut(k, id).all_slaves_active = *v != 0;
                for s in bond(k, id).slaves.clone() {
                    if let Some(sl) = slave_mut(k, s) {
                        if sl.backup != super::STATE_ACTIVE {
                            sl.inactive = *v == 0;
                        }
                    }
                }
            }
        }
        BondOpt::MinLinks(v) => {
            params_mut(k, id).min_links = *v;
            super::set_carrier(k, id);
        }
        BondOpt::LpInterval(v) => params_mut(k, id).lp_interval = *v,
        BondOpt::PacketsPerSlave(v) => params_mut(k, id).packets_per_slave = *v,
        BondOpt::LacpActive(v) => params_mut(k, id).lacp_active = *v,
        BondOpt::LacpRate(v) => params_mut(k, id).lacp_fast = *v,
        BondOpt::AdSelect(v) => params_mut(k, id).ad_select = *v,
        BondOpt::AdActorSysPrio(v) => params_mut(k, id).ad_actor_sys_prio = *v,
        BondOpt::AdUserPortKey(v) => params_mut(k, id).ad_user_port_key = *v,
        BondOpt::AdActorSystem(mac) => {
            // bond_option_ad_actor_system_set: any non-multicast address.
            let mut a = [0u8; 6];
            a.copy_from_slice(&mac[..6]);
            if a[0] & 1 != 0 {
                return Err(errno::EINVAL);
            }
            params_mut(k, id).ad_actor_system = a;
        }
        BondOpt::TlbDynamicLb(v) => params_mut(k, id).tlb_dynamic_lb = *v,
        BondOpt::MissedMax(v) => params_mut(k, id).missed_max = *v,
        BondOpt::CoupledControl(v) => params_mut(k, id).coupled_control = *v,
        BondOpt::Other(_) => {}
    }
    Ok(())
}

/// `bond_option_active_slave_set` (the name was looked up from the ifindex by
/// `bond_changelink`).
fn active_slave_set(k: &mut Kernel, id: DevId, ifindex: u32) -> Result<(), i32> {
    let ns = k.dev(id).netns;
    let new = if ifindex == 0 {
        None
    } else {
        Some(k.dev_by_index(ns, ifindex).ok_or(errno::ENODEV)?)
    };
    let Some(s) = new else {
        super::change_active_slave(k, id, None);
        super::select_active_slave(k, id);
        return Ok(());
    };
    // netif_is_bond_slave, then "is not our slave".
    if slave(k, s).is_none_or(|sl| sl.bond != id) {
        return Err(errno::EINVAL);
    }
    let old = bond(k, id).curr_active;
    if old == Some(s) {
        return Ok(());
    }
    let up = slave(k, s).is_some_and(|sl| sl.link == super::LINK_UP)
        && k.dev(s).is_running()
        && k.dev(s).carrier;
    if old.is_some() && up {
        super::change_active_slave(k, id, Some(s));
        Ok(())
    } else {
        Err(errno::EINVAL)
    }
}

/// `bond_option_primary_set`: a slave's name makes it primary; any other name is only
/// recorded ("Recording X as primary, but it has not been enslaved yet").
fn primary_set(k: &mut Kernel, id: DevId, ifindex: u32) {
    let ns = k.dev(id).netns;
    let name = k
        .dev_by_index(ns, ifindex)
        .map(|d| k.dev(d).name.clone())
        .unwrap_or_default();
    if name.is_empty() {
        let b = bond_mut(k, id);
        b.primary_slave = None;
        b.params.primary.clear();
        super::select_active_slave(k, id);
        return;
    }
    let found = bond(k, id)
        .slaves
        .iter()
        .copied()
        .find(|s| k.dev(*s).name == name);
    if let Some(s) = found {
        let b = bond_mut(k, id);
        b.primary_slave = Some(s);
        b.params.primary = name;
        b.force_primary = true;
        super::select_active_slave(k, id);
        return;
    }
    if bond(k, id).primary_slave.is_some() {
        bond_mut(k, id).primary_slave = None;
        super::select_active_slave(k, id);
    }
    bond_mut(k, id).params.primary = name;
}

/// `bond_is_ip_target_ok`: not 255.255.255.255 and not 0.0.0.0/8.
fn ip_target_ok(t: [u8; 4]) -> bool {
    t != [255; 4] && t[0] != 0
}

/// `bond_is_ip6_target_ok`: not ::, not ::1, not multicast.
fn ip6_target_ok(t: &[u8; 16]) -> bool {
    let mut lo = [0u8; 16];
    lo[15] = 1;
    t.iter().any(|b| *b != 0) && *t != lo && t[0] != 0xff
}

/// `bond_changelink` (bond_netlink.c): the attributes in its fixed order; the first failure
/// stops (what was applied stays applied).
pub fn changelink(k: &mut Kernel, id: DevId, opts: &[BondOpt]) -> KResult<()> {
    let mut sorted: Vec<&BondOpt> = opts.iter().collect();
    // Last attribute of a type wins (nla_parse).
    let mut dedup: Vec<&BondOpt> = Vec::new();
    for o in sorted.drain(..).rev() {
        if !dedup.iter().any(|d| d.attr() == o.attr()) {
            dedup.push(o);
        }
    }
    dedup.sort_by_key(|o| changelink_rank(o));
    let mut miimon = 0u32;
    for o in dedup {
        let path = bad(o.attr());
        match o {
            BondOpt::Miimon(v) => {
                miimon = *v;
                opt_set(k, id, o, path)?;
            }
            BondOpt::ArpInterval(v) => {
                if *v != 0 && miimon != 0 {
                    return Err(KernelError::new(errno::EINVAL)
                        .msg("ARP monitoring cannot be used with MII monitoring")
                        .attr(path));
                }
                opt_set(k, id, o, path)?;
            }
            BondOpt::ArpValidate(v) => {
                if *v != 0 && miimon != 0 {
                    // The kernel points at data[IFLA_BOND_ARP_INTERVAL] here.
                    let mut e = KernelError::new(errno::EINVAL)
                        .msg("ARP validating cannot be used with MII monitoring");
                    if opts.iter().any(|x| matches!(x, BondOpt::ArpInterval(_))) {
                        e = e.attr(bad(ifla_bond::ARP_INTERVAL));
                    }
                    return Err(e);
                }
                opt_set(k, id, o, path)?;
            }
            BondOpt::ArpIpTarget(targets) => {
                bond_mut(k, id).params.arp_targets = [[0; 4]; super::MAX_ARP_TARGETS];
                for t in targets {
                    let r = check_deps(k, id, &def(o)).and_then(|()| {
                        let tg = &mut bond_mut(k, id).params.arp_targets;
                        if !ip_target_ok(*t) || tg.contains(t) {
                            return Err(errno::EINVAL);
                        }
                        let slot = tg.iter().position(|x| *x == [0; 4]).ok_or(errno::EINVAL)?;
                        tg[slot] = *t;
                        Ok(())
                    });
                    r.map_err(|e| interpret(e, path.clone()))?;
                }
            }
            BondOpt::NsIp6Target(targets) => {
                bond_mut(k, id).params.ns_targets = [[0; 16]; super::MAX_NS_TARGETS];
                for t in targets {
                    let r = check_deps(k, id, &def(o)).and_then(|()| {
                        let tg = &mut bond_mut(k, id).params.ns_targets;
                        if !ip6_target_ok(t) || tg.contains(t) {
                            return Err(errno::EINVAL);
                        }
                        let slot = tg.iter().position(|x| *x == [0; 16]).ok_or(errno::EINVAL)?;
                        tg[slot] = *t;
                        Ok(())
                    });
                    r.map_err(|e| interpret(e, path.clone()))?;
                }
            }
            BondOpt::ActiveSlave(ifindex) => {
                // The ifindex is resolved before __bond_opt_set: an unknown one is ENODEV
                // without extack.
                let ns = k.dev(id).netns;
                if *ifindex != 0 && k.dev_by_index(ns, *ifindex).is_none() {
                    return Err(KernelError::new(errno::ENODEV));
                }
                opt_set(k, id, o, path)?;
            }
            BondOpt::AdActorSystem(mac) => {
                if mac.len() != 6 {
                    return Err(KernelError::new(errno::EINVAL));
                }
                opt_set(k, id, o, path)?;
            }
            BondOpt::Other(_) => {}
            _ => opt_set(k, id, o, path)?,
        }
    }
    Ok(())
}

/// `bond_slave_changelink`: queue_id (BOND_OPT_QUEUE_ID), then prio (BOND_OPT_PRIO).
pub fn slave_changelink(
    k: &mut Kernel,
    id: DevId,
    port: DevId,
    queue_id: Option<u16>,
    prio: Option<i32>,
) -> KResult<()> {
    if let Some(qid) = queue_id {
        // bond_option_queue_id_set: "name:qid"; qid above real_num_tx_queues or used by
        // another slave (when non-zero) → EPERM, which has no extack.
        if u32::from(qid) > k.dev(id).real_num_tx_queues {
            return Err(KernelError::new(errno::EPERM));
        }
        let dup = bond(k, id)
            .slaves
            .iter()
            .any(|s| *s != port && qid != 0 && slave(k, *s).is_some_and(|sl| sl.queue_id == qid));
        if dup || slave(k, port).is_none_or(|sl| sl.bond != id) {
            return Err(KernelError::new(errno::EPERM));
        }
        if let Some(sl) = slave_mut(k, port) {
            sl.queue_id = qid;
        }
    }
    if let Some(v) = prio {
        let path = bad_slave(ifla_bond::SLAVE_PRIO);
        let m = bond(k, id).params.mode;
        if !uses_primary(m) {
            return Err(interpret(errno::EACCES, path));
        }
        let Some(sl) = slave_mut(k, port) else {
            return Err(KernelError::new(errno::ENODEV));
        };
        sl.prio = v;
        if bond(k, id).primary_slave.is_none() {
            super::select_active_slave(k, id);
        }
    }
    Ok(())
}
