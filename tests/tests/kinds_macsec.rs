//! The macsec kind (scenario golden/scenarios/macsec.sh, transcript golden/kernel/6.12/macsec.txt,
//! research golden/research/notes/new-kinds.md "macsec"). Requests are shaped like iproute2
//! 6.1's `ip link add link LOWER NAME type macsec ...`; eth0..eth2 are netdevsim ports (they
//! offload MACsec) or dummies (they do not). Kernel: drivers/net/macsec.c.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EBUSY, EINVAL, ENOSPC, EOPNOTSUPP, ERANGE};
use netlink_packet_route::link::{InfoData, InfoMacSec, LinkMessage, MacSecCipherId};
use rules_support::*;
use stacked_support::*;

const CS_GCM_AES_256: u64 = 0x0080_C200_0100_0002;
const CS_GCM_AES_XPN_128: u64 = 0x0080_C200_0100_0003;
/// MACSEC_DEFAULT_CIPHER_ID: what `macsec_fill_info` reports for GCM-AES-128.
const CS_DEFAULT: u64 = 0x0080_0200_0100_0001;
const OFFLOAD_MAC: u8 = 2;

fn macsec(
    c: &mut common::Client,
    lower: &str,
    name: &str,
    data: Vec<InfoMacSec>,
) -> common::Answer {
    let data = (!data.is_empty()).then_some(InfoData::MacSec(data));
    add_on(c, lower, name, "macsec", vec![], data)
}

/// `sci 0102030405060708` as iproute2 sends it (htonll: the bytes in printed order); the crate
/// writes the u64 in host order.
fn sci_attr(sci: u64) -> InfoMacSec {
    InfoMacSec::Sci(u64::from_ne_bytes(sci.to_be_bytes()))
}

fn ms_attrs(l: &LinkMessage) -> Vec<InfoMacSec> {
    match info_data(l) {
        Some(InfoData::MacSec(v)) => v,
        other => panic!("no macsec info_data: {other:?}"),
    }
}

/// The SCI as `ip -d` prints it.
fn sci_of(l: &LinkMessage) -> u64 {
    ms_attrs(l)
        .iter()
        .find_map(|a| match a {
            InfoMacSec::Sci(v) => Some(u64::from_be_bytes(v.to_ne_bytes())),
            _ => None,
        })
        .expect("IFLA_MACSEC_SCI")
}

fn nsim_with_macs() -> (nlsim::Sim, common::Client) {
    let (sim, mut c) = nsim_sim();
    for (i, n) in ["eth0", "eth1", "eth2"].iter().enumerate() {
        assert_ok(&c.address(n, [2, 0, 0, 0, 0x0e, i as u8]));
    }
    (sim, c)
}

/// `macsec_add_dev` defaults, `macsec_fill_info` order, `dev_to_sci` (MAC inherited in
/// `macsec_dev_init` + port, default MACSEC_PORT_ES), MTU = lower − ICV − 16 (IFLA_MTU at
/// creation is overridden), `sci_exists` → EBUSY after registration (the ifindex is spent).
#[test]
fn create_defaults_sci_and_clash() {
    let (_sim, mut c) = nsim_with_macs();
    assert_ok(&add_on(
        &mut c,
        "eth0",
        "macsec0",
        "macsec",
        vec![netlink_packet_route::link::LinkAttribute::Mtu(1000)],
        None,
    ));
    let m = link(&mut c, "macsec0");
    assert_eq!(m.mtu(), 1468);
    assert_eq!((m.min_mtu(), m.max_mtu()), (0, 65535));
    assert_eq!(m.mac(), vec![2, 0, 0, 0, 0x0e, 0]);
    assert_eq!(m.iflink(), Some(c.index("eth0")));
    assert_eq!(
        ms_attrs(&m),
        vec![
            sci_attr(0x0200_0000_0e00_0001),
            InfoMacSec::IcvLen(16),
            InfoMacSec::CipherSuite(MacSecCipherId::from(CS_DEFAULT)),
            InfoMacSec::EncodingSa(0),
            InfoMacSec::Encrypt(0),
            InfoMacSec::Protect(1),
            InfoMacSec::IncSci(1),
            InfoMacSec::Es(0),
            InfoMacSec::Scb(0),
            InfoMacSec::ReplayProtect(0),
            InfoMacSec::Validation(2.into()),
            InfoMacSec::Offload(0.into()),
        ]
    );
    let before = c.index("macsec0");
    assert_err(&macsec(&mut c, "eth0", "macsec1", vec![]), EBUSY, None);
    assert_ok(&macsec(
        &mut c,
        "eth0",
        "macsec1",
        vec![InfoMacSec::Port(2)],
    ));
    assert_eq!(
        c.index("macsec1"),
        before + 2,
        "the failed SecY spent an ifindex"
    );
    assert_eq!(sci_of(&link(&mut c, "macsec1")), 0x0200_0000_0e00_0002);
    assert_ok(&macsec(
        &mut c,
        "eth0",
        "macsec2",
        vec![sci_attr(0x0102_0304_0506_0708)],
    ));
    assert_err(
        &macsec(
            &mut c,
            "eth0",
            "macsec3",
            vec![sci_attr(0x0102_0304_0506_0708)],
        ),
        EBUSY,
        None,
    );
    // The same SCI on another lower is another rx_handler's list.
    assert_ok(&macsec(
        &mut c,
        "eth1",
        "macsec3",
        vec![sci_attr(0x0102_0304_0506_0708)],
    ));
    // A changed MAC does not change the SCI.
    assert_ok(&c.address("macsec0", [2, 0, 0, 0, 0, 2]));
    assert_eq!(sci_of(&link(&mut c, "macsec0")), 0x0200_0000_0e00_0001);
}

/// `macsec_validate_attr` (ICV length through `crypto_gcm_check_authsize` and 8..16, cipher
/// suite, encoding SA < 4, booleans, send_sci/end_station/scb, validation ≤ strict, replay
/// needs a window) and `macsec_newlink` (IFLA_LINK, ARPHRD_ETHER, SCI with send_sci off):
/// bare EINVAL each.
#[test]
fn validation_is_bare_einval() {
    let (_sim, mut c) = nsim_with_macs();
    let bad: Vec<Vec<InfoMacSec>> = vec![
        vec![InfoMacSec::IcvLen(7)],
        vec![InfoMacSec::IcvLen(9)],
        vec![InfoMacSec::IcvLen(17)],
        vec![InfoMacSec::CipherSuite(MacSecCipherId::Other(5))],
        vec![InfoMacSec::EncodingSa(4)],
        vec![InfoMacSec::Encrypt(2)],
        vec![InfoMacSec::Es(1), InfoMacSec::Scb(1)],
        vec![InfoMacSec::IncSci(1), InfoMacSec::Es(1)],
        vec![InfoMacSec::Validation(3.into())],
        vec![InfoMacSec::ReplayProtect(1)],
        vec![sci_attr(0x0102_0304_0506_0709), InfoMacSec::IncSci(0)],
    ];
    for data in bad {
        assert_err(&macsec(&mut c, "eth1", "ms", data.clone()), EINVAL, None);
        assert!(!exists(&mut c, "ms"), "{data:?}");
    }
    assert_err(&c.add(Some("ms"), "macsec", vec![], None), EINVAL, None);
    assert_err(&macsec(&mut c, "lo", "ms", vec![]), EINVAL, None);
    // gcm accepts 12; the MTU leaves room for the shorter ICV.
    assert_ok(&macsec(&mut c, "eth1", "ms", vec![InfoMacSec::IcvLen(12)]));
    assert_eq!(link(&mut c, "ms").mtu(), 1472);
    // Options are kept, WINDOW reported only with replay protection.
    assert_ok(&macsec(
        &mut c,
        "eth1",
        "ms2",
        vec![
            InfoMacSec::Port(11),
            InfoMacSec::CipherSuite(MacSecCipherId::from(CS_GCM_AES_256)),
            InfoMacSec::ReplayProtect(1),
            InfoMacSec::Window(32),
            InfoMacSec::EncodingSa(3),
        ],
    ));
    let a = ms_attrs(&link(&mut c, "ms2"));
    assert!(a.contains(&InfoMacSec::CipherSuite(MacSecCipherId::from(
        CS_GCM_AES_256
    ))));
    assert_eq!(a.last(), Some(&InfoMacSec::Window(32)));
    assert!(a.contains(&InfoMacSec::EncodingSa(3)));
}

/// `macsec_changelink`: cipher suite, ICV length, SCI and port are fixed (EINVAL), the rest
/// changes; `macsec_changelink_common` refuses an XPN window above 2^30 − 1 (at creation that
/// happens after registration).
#[test]
fn changelink_fixed_and_changeable() {
    let (_sim, mut c) = nsim_with_macs();
    assert_ok(&macsec(&mut c, "eth0", "m0", vec![]));
    for data in [
        vec![InfoMacSec::Port(5)],
        vec![InfoMacSec::CipherSuite(MacSecCipherId::from(
            CS_GCM_AES_256,
        ))],
        vec![InfoMacSec::IcvLen(16)],
        vec![sci_attr(1)],
    ] {
        assert_err(
            &set_data(&mut c, "m0", "macsec", InfoData::MacSec(data)),
            EINVAL,
            None,
        );
    }
    let data = vec![
        InfoMacSec::Encrypt(1),
        InfoMacSec::Validation(0.into()),
        InfoMacSec::Protect(0),
    ];
    assert_ok(&set_data(&mut c, "m0", "macsec", InfoData::MacSec(data)));
    let a = ms_attrs(&link(&mut c, "m0"));
    assert!(a.contains(&InfoMacSec::Encrypt(1)));
    assert!(a.contains(&InfoMacSec::Protect(0)));
    assert!(a.contains(&InfoMacSec::Validation(0.into())));
    let xpn_big_window = vec![
        InfoMacSec::Port(9),
        InfoMacSec::CipherSuite(MacSecCipherId::from(CS_GCM_AES_XPN_128)),
        InfoMacSec::ReplayProtect(1),
        InfoMacSec::Window(1 << 30),
    ];
    assert_err(&macsec(&mut c, "eth0", "m1", xpn_big_window), EINVAL, None);
    assert!(!exists(&mut c, "m1"));
}

/// `macsec_change_mtu` (ERANGE above lower − ICV − 16) and `macsec_notify` NETDEV_CHANGEMTU
/// (the SecY follows a lower that shrinks, not one that grows).
#[test]
fn mtu_follows_the_lower_down_only() {
    let (_sim, mut c) = nsim_with_macs();
    assert_ok(&macsec(&mut c, "eth0", "m0", vec![]));
    assert_err(&c.mtu("m0", 1469), ERANGE, None);
    assert_ok(&c.mtu("m0", 1400));
    assert_ok(&c.mtu("eth0", 9000));
    assert_eq!(link(&mut c, "m0").mtu(), 1400);
    assert_ok(&c.mtu("eth0", 1400));
    assert_eq!(link(&mut c, "m0").mtu(), 1368);
}

/// `macsec_check_offload` (only lowers with macsec_ops: netdevsim ports; no PHY offload) and
/// netdevsim's `nsim_macsec_add_secy` (three SecYs per port, then ENOSPC; a deleted SecY frees
/// its slot); `macsec_update_offload` refuses a running SecY (EBUSY).
#[test]
fn offload_on_netdevsim_only() {
    let (_sim, mut c) = nsim_with_macs();
    let off_mac = InfoMacSec::Offload(OFFLOAD_MAC.into());
    assert_err(
        &macsec(&mut c, "eth2", "k0", vec![InfoMacSec::Offload(1.into())]),
        EOPNOTSUPP,
        None,
    );
    for (i, n) in ["k1", "k2", "k3"].iter().enumerate() {
        let port = InfoMacSec::Port(4 + i as u16);
        assert_ok(&macsec(&mut c, "eth2", n, vec![port, off_mac.clone()]));
    }
    let k4 = vec![InfoMacSec::Port(8), off_mac.clone()];
    assert_err(&macsec(&mut c, "eth2", "k4", k4.clone()), ENOSPC, None);
    assert_ok(&c.del("k2"));
    assert_ok(&macsec(&mut c, "eth2", "k4", k4));
    // A SecY without offload can take it later, while down, if a slot is free.
    assert_ok(&macsec(&mut c, "eth2", "k5", vec![InfoMacSec::Port(9)]));
    let to_mac = InfoData::MacSec(vec![off_mac.clone()]);
    assert_err(
        &set_data(&mut c, "k5", "macsec", to_mac.clone()),
        ENOSPC,
        None,
    );
    assert_ok(&c.up("k1"));
    let to_off = InfoData::MacSec(vec![InfoMacSec::Offload(0.into())]);
    assert_err(
        &set_data(&mut c, "k1", "macsec", to_off.clone()),
        EBUSY,
        None,
    );
    assert_ok(&c.down("k1"));
    assert_ok(&set_data(&mut c, "k1", "macsec", to_off));
    assert_ok(&set_data(&mut c, "k5", "macsec", to_mac));
    // A dummy lower has no macsec_ops.
    assert_ok(&c.add_simple("d0", "dummy"));
    assert_err(&macsec(&mut c, "d0", "k6", vec![off_mac]), EOPNOTSUPP, None);
}

/// `macsec_newlink` refuses a lower with another rx_handler (EBUSY), the SecYs' rx_handler
/// keeps bridges off the lower, `macsec_notify` NETDEV_UNREGISTER deletes every SecY of a
/// deleted lower and frees its rx_handler; `macsec_dev_open` puts the MAC on the lower's
/// unicast list (netdevsim has no IFF_UNICAST_FLT: promiscuous once up).
#[test]
fn rx_handler_lower_events_and_unicast() {
    let (_sim, mut c) = nsim_with_macs();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth1", "br0"));
    assert_err(&macsec(&mut c, "eth1", "mb", vec![]), EBUSY, None);
    assert_ok(&macsec(&mut c, "eth0", "m0", vec![]));
    assert_ok(&macsec(&mut c, "eth0", "m1", vec![InfoMacSec::Port(2)]));
    assert_err(&c.master("eth0", "br0"), EBUSY, None);
    assert_ok(&macsec(&mut c, "m0", "mm", vec![]));
    assert_eq!(link(&mut c, "mm").mtu(), 1468 - 32);
    assert_ok(&c.address("m0", [2, 0, 0, 0, 0, 2]));
    assert_ok(&c.up("m0"));
    assert_ok(&c.up("eth0"));
    assert_eq!(link(&mut c, "eth0").promiscuity(), 1);
    assert_ok(&c.down("m0"));
    assert_eq!(link(&mut c, "eth0").promiscuity(), 0);
    assert_ok(&c.add_veth("va", "vb"));
    assert_ok(&macsec(&mut c, "va", "mv", vec![]));
    assert_ok(&c.del("va"));
    assert!(!exists(&mut c, "mv"));
    assert_ok(&c.del("m0"));
    assert!(!exists(&mut c, "mm"), "the SecY on m0 went with it");
    assert_ok(&c.del("m1"));
    // The last SecY gave the rx_handler back.
    assert_ok(&c.master("eth0", "br0"));
}
