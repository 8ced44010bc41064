//! bond (drivers/net/bonding/bond_netlink.c): `bond_policy` / `bond_slave_policy`; the
//! options keep request order (the model applies them in order).

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::bond::BondOpt;
use kernel_model::kinds::bond::{mode, BondInfo, BondSlaveInfo};
use kernel_model::{KindData, KindInfo, PortData, PortInfo};
use netlink_packet_core::{DefaultNla, Nla};
use netlink_packet_route::link::{InfoBond, InfoBondPort, InfoData, InfoPortData};
use std::net::Ipv4Addr;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "bond",
    policy: Some(&tables::BOND_POLICY),
    slave_policy: Some(&tables::BOND_SLAVE_POLICY),
    decode: Some(decode),
    decode_slave: Some(decode_slave),
    fill: Some(fill),
    fill_slave: Some(fill_slave),
    ..LinkKindWire::NONE
};

fn to_model(opts: Vec<BondOpt>) -> KindData {
    KindData::new(kernel_model::kinds::bond::BondData(opts))
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_bond_opts(&typed_in_order::<InfoBond>(
        data,
    )?)))
}

/// `bond_slave_changelink`.
fn decode_slave(data: &Attrs<'_>) -> Result<PortData, DecodeError> {
    Ok(decode_bond_port(&typed_in_order::<InfoBondPort>(data)?))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let b = info.downcast_ref::<kernel_model::kinds::bond::BondInfo>()?;
    Some(InfoData::Bond(encode_bond_info(b)))
}

fn fill_slave(info: &PortInfo) -> Option<InfoPortData> {
    let p = info.downcast_ref::<kernel_model::kinds::bond::BondSlaveInfo>()?;
    Some(InfoPortData::BondPort(encode_bond_slave_info(p)))
}

/// `NLA_F_NESTED`.
const NLA_F_NESTED: u16 = 1 << 15;

/// IFLA_BOND_* of a request, in the order the request carried them.
pub fn decode_bond_opts(nlas: &[InfoBond]) -> Vec<BondOpt> {
    nlas.iter()
        .map(|n| match n {
            InfoBond::Mode(m) => BondOpt::Mode(u8::from(*m)),
            InfoBond::ActivePort(v) => BondOpt::ActiveSlave(*v),
            InfoBond::MiiMon(v) => BondOpt::Miimon(*v),
            InfoBond::UpDelay(v) => BondOpt::Updelay(*v),
            InfoBond::DownDelay(v) => BondOpt::Downdelay(*v),
            InfoBond::PeerNotifDelay(v) => BondOpt::PeerNotifDelay(*v),
            InfoBond::UseCarrier(v) => BondOpt::UseCarrier(u8::from(*v)),
            InfoBond::ArpInterval(v) => BondOpt::ArpInterval(*v),
            InfoBond::ArpIpTarget(a) => {
                BondOpt::ArpIpTarget(a.iter().map(|x| x.octets()).collect())
            }
            InfoBond::NsIp6Target(a) => {
                BondOpt::NsIp6Target(a.iter().map(|x| x.octets()).collect())
            }
            InfoBond::ArpValidate(v) => BondOpt::ArpValidate(u32::from(*v)),
            InfoBond::ArpAllTargets(v) => BondOpt::ArpAllTargets(u32::from(*v)),
            InfoBond::Primary(v) => BondOpt::Primary(*v),
            InfoBond::PrimaryReselect(v) => BondOpt::PrimaryReselect(u8::from(*v)),
            InfoBond::FailOverMac(v) => BondOpt::FailOverMac(u8::from(*v)),
            InfoBond::XmitHashPolicy(v) => BondOpt::XmitHashPolicy(u8::from(*v)),
            InfoBond::ResendIgmp(v) => BondOpt::ResendIgmp(*v),
            InfoBond::NumPeerNotif(v) => BondOpt::NumPeerNotif(*v),
            InfoBond::AllPortsActive(v) => BondOpt::AllSlavesActive(u8::from(*v)),
            InfoBond::MinLinks(v) => BondOpt::MinLinks(*v),
            InfoBond::LpInterval(v) => BondOpt::LpInterval(*v),
            InfoBond::PacketsPerPort(v) => BondOpt::PacketsPerSlave(*v),
            InfoBond::AdLacpActive(v) => BondOpt::LacpActive(u8::from(*v)),
            InfoBond::AdLacpRate(v) => BondOpt::LacpRate(u8::from(*v)),
            InfoBond::AdSelect(v) => BondOpt::AdSelect(u8::from(*v)),
            InfoBond::AdActorSysPrio(v) => BondOpt::AdActorSysPrio(*v),
            InfoBond::AdUserPortKey(v) => BondOpt::AdUserPortKey(*v),
            InfoBond::AdActorSystem(m) => BondOpt::AdActorSystem(m.to_vec()),
            InfoBond::TlbDynamicLb(v) => BondOpt::TlbDynamicLb(u8::from(*v)),
            InfoBond::MissedMax(v) => BondOpt::MissedMax(*v),
            InfoBond::CoupledControl(v) => BondOpt::CoupledControl(u8::from(*v)),
            other => BondOpt::Other(other.kind() & !0xc000),
        })
        .collect()
}

/// IFLA_BOND_SLAVE_QUEUE_ID / IFLA_BOND_SLAVE_PRIO of a request (last one wins).
pub fn decode_bond_port(nlas: &[InfoBondPort]) -> PortData {
    let (mut queue_id, mut prio) = (None, None);
    for n in nlas {
        match n {
            InfoBondPort::QueueId(v) => queue_id = Some(*v),
            InfoBondPort::Prio(v) => prio = Some(*v),
            _ => {}
        }
    }
    PortData::new(kernel_model::kinds::bond::BondPortData { queue_id, prio })
}

/// `bond_fill_info`.
pub fn encode_bond_info(b: &BondInfo) -> Vec<InfoBond> {
    let p = &b.params;
    let mut a = Vec::with_capacity(36);
    a.push(InfoBond::Mode(p.mode.into()));
    if let Some(i) = b.active_slave {
        a.push(InfoBond::ActivePort(i));
    }
    a.push(InfoBond::MiiMon(p.miimon));
    a.push(InfoBond::UpDelay(p.updelay.wrapping_mul(p.miimon)));
    a.push(InfoBond::DownDelay(p.downdelay.wrapping_mul(p.miimon)));
    a.push(InfoBond::PeerNotifDelay(
        p.peer_notif_delay.wrapping_mul(p.miimon),
    ));
    a.push(InfoBond::UseCarrier(p.use_carrier != 0));
    a.push(InfoBond::ArpInterval(p.arp_interval));
    // nla_nest_start_noflag; slots by index, cancelled when empty.
    let targets: Vec<Ipv4Addr> = p
        .arp_targets
        .iter()
        .filter(|t| **t != [0; 4])
        .map(|t| Ipv4Addr::from(*t))
        .collect();
    if !targets.is_empty() {
        a.push(InfoBond::ArpIpTarget(targets));
    }
    a.push(InfoBond::ArpValidate(p.arp_validate.into()));
    a.push(InfoBond::ArpAllTargets(p.arp_all_targets.into()));
    // nla_nest_start (with NLA_F_NESTED), slot index as the type, cancelled when empty.
    let mut ns = Vec::new();
    for (i, t) in p.ns_targets.iter().enumerate() {
        if *t != [0; 16] {
            ns.extend_from_slice(&20u16.to_ne_bytes());
            ns.extend_from_slice(&(i as u16).to_ne_bytes());
            ns.extend_from_slice(t);
        }
    }
    if !ns.is_empty() {
        a.push(InfoBond::Other(DefaultNla::new(
            kernel_model::kinds::bond::ifla_bond::NS_IP6_TARGET | NLA_F_NESTED,
            ns,
        )));
    }
    if let Some(i) = b.primary {
        a.push(InfoBond::Primary(i));
    }
    a.push(InfoBond::PrimaryReselect(p.primary_reselect.into()));
    a.push(InfoBond::FailOverMac(p.fail_over_mac.into()));
    a.push(InfoBond::XmitHashPolicy(p.xmit_policy.into()));
    a.push(InfoBond::ResendIgmp(p.resend_igmp));
    a.push(InfoBond::NumPeerNotif(p.num_peer_notif));
    a.push(InfoBond::AllPortsActive(
        u8::from(p.all_slaves_active).into(),
    ));
    a.push(InfoBond::MinLinks(p.min_links));
    a.push(InfoBond::LpInterval(p.lp_interval));
    a.push(InfoBond::PacketsPerPort(p.packets_per_slave));
    a.push(InfoBond::AdLacpActive(p.lacp_active != 0));
    a.push(InfoBond::AdLacpRate(p.lacp_fast.into()));
    a.push(InfoBond::AdSelect(p.ad_select.into()));
    a.push(InfoBond::TlbDynamicLb(p.tlb_dynamic_lb != 0));
    a.push(InfoBond::MissedMax(p.missed_max));
    a.push(InfoBond::CoupledControl(p.coupled_control != 0));
    if p.mode == mode::M8023AD {
        // capable(CAP_NET_ADMIN): the simulated requester is root.
        a.push(InfoBond::AdActorSysPrio(p.ad_actor_sys_prio));
        a.push(InfoBond::AdUserPortKey(p.ad_user_port_key));
        a.push(InfoBond::AdActorSystem(p.ad_actor_system));
    }
    a
}

/// `bond_fill_slave_info` (no IFLA_BOND_SLAVE_AD_*: the LACP aggregator is not modelled).
pub fn encode_bond_slave_info(s: &BondSlaveInfo) -> Vec<InfoBondPort> {
    vec![
        InfoBondPort::BondPortState(s.backup.into()),
        InfoBondPort::MiiStatus(s.link.into()),
        InfoBondPort::LinkFailureCount(s.link_failure_count),
        InfoBondPort::PermHwaddr(s.perm_hwaddr.as_bytes().to_vec()),
        InfoBondPort::QueueId(s.queue_id),
        InfoBondPort::Prio(s.prio),
    ]
}
