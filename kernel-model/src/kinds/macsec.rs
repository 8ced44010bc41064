//! MACsec SecY devices (drivers/net/macsec.c): the rtnl link (`macsec_validate_attr`,
//! `macsec_newlink`, `macsec_changelink`, `macsec_fill_info`), the netdev ops (open, stop,
//! MTU, MAC) and `macsec_notify` for the lower device. Only netdevsim ports offload
//! (`offload mac`: drivers/net/netdevsim/macsec.c, three SecYs per port).
//!
//! The kernel keeps the SecYs of a lower in a `macsec_rxh_data` hanging off the lower's
//! rx_handler; the model marks the lower with `RxHandler::Macsec` and finds the SecYs among
//! its `uppers` (creation order, like `rxd->secys`). SA/SC configuration goes through the
//! generic netlink family "macsec", which nlsim does not serve: every SecY has no SAs.

use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId, RxHandler};
use crate::error::{err, KResult};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{arphrd, errno, iff, ETH_MAX_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};

pub struct MacsecOps;

/// Cipher suite ids (include/uapi/linux/if_macsec.h).
pub mod cipher {
    pub const GCM_AES_128: u64 = 0x0080_C200_0100_0001;
    pub const GCM_AES_256: u64 = 0x0080_C200_0100_0002;
    pub const GCM_AES_XPN_128: u64 = 0x0080_C200_0100_0003;
    pub const GCM_AES_XPN_256: u64 = 0x0080_C200_0100_0004;
    /// `MACSEC_DEFAULT_CIPHER_ID`: what `macsec_fill_info` reports for GCM-AES-128.
    pub const DEFAULT: u64 = 0x0080_0200_0100_0001;
}

/// `enum macsec_validation_type`.
pub mod validate {
    pub const DISABLED: u8 = 0;
    pub const CHECK: u8 = 1;
    pub const STRICT: u8 = 2;
}

/// `enum macsec_offload`.
pub mod offload {
    pub const OFF: u8 = 0;
    pub const PHY: u8 = 1;
    pub const MAC: u8 = 2;
}

/// `MACSEC_DEFAULT_ICV_LEN` / `MACSEC_STD_ICV_LEN`.
const DEFAULT_ICV_LEN: u8 = 16;
const MIN_ICV_LEN: u8 = 8;
/// `MACSEC_NUM_AN`.
const NUM_AN: u8 = 4;
/// `MACSEC_PORT_ES`: the port of the default SCI.
const PORT_ES: u16 = 1;
/// `macsec_extra_len(true)`: SecTAG with SCI (6 + 8) plus the EtherType.
const EXTRA_LEN: u32 = 16;
/// `MACSEC_XPN_MAX_REPLAY_WINDOW`.
const XPN_MAX_REPLAY_WINDOW: u32 = (1 << 30) - 1;
/// `MACSEC_GCM_AES_128_SAK_LEN` / `_256_`.
const SAK_LEN_128: u8 = 16;
const SAK_LEN_256: u8 = 32;
/// `NSIM_MACSEC_MAX_SECY_COUNT` (drivers/net/netdevsim/netdevsim.h).
const NSIM_MAX_SECY_COUNT: usize = 3;

/// IFLA_INFO_DATA of kind "macsec" as the request carried it (IFLA_MACSEC_*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacsecData {
    /// IFLA_MACSEC_SCI, as printed (MAC then port, most significant byte first).
    pub sci: Option<u64>,
    /// IFLA_MACSEC_PORT in host order (big endian on the wire).
    pub port: Option<u16>,
    pub icv_len: Option<u8>,
    pub cipher_suite: Option<u64>,
    pub window: Option<u32>,
    pub encoding_sa: Option<u8>,
    pub encrypt: Option<u8>,
    pub protect: Option<u8>,
    pub inc_sci: Option<u8>,
    pub es: Option<u8>,
    pub scb: Option<u8>,
    pub replay_protect: Option<u8>,
    pub validation: Option<u8>,
    pub offload: Option<u8>,
}

/// `struct macsec_dev` + its `macsec_secy` / `macsec_tx_sc`, the parts rtnetlink sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacsecState {
    pub real_dev: Option<DevId>,
    /// On the lower's `rxd->secys` (`register_macsec_dev` ran).
    pub listed: bool,
    pub sci: u64,
    pub icv_len: u8,
    pub key_len: u8,
    pub xpn: bool,
    pub encoding_sa: u8,
    pub encrypt: bool,
    pub protect_frames: bool,
    pub send_sci: bool,
    pub end_station: bool,
    pub scb: bool,
    pub replay_protect: bool,
    pub replay_window: u32,
    pub validate_frames: u8,
    pub offload: u8,
}

/// What `macsec_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacsecInfo {
    pub sci: u64,
    pub icv_len: u8,
    pub cipher_suite: u64,
    pub encoding_sa: u8,
    pub encrypt: u8,
    pub protect: u8,
    pub inc_sci: u8,
    pub es: u8,
    pub scb: u8,
    pub replay_protect: u8,
    pub validation: u8,
    pub offload: u8,
    /// IFLA_MACSEC_WINDOW, only with replay protection on.
    pub window: Option<u32>,
}

impl MacsecState {
    /// `macsec_setup` leaves the private area zeroed; `macsec_add_dev` sets the defaults.
    fn unset() -> Self {
        MacsecState {
            real_dev: None,
            listed: false,
            sci: 0,
            icv_len: DEFAULT_ICV_LEN,
            key_len: SAK_LEN_128,
            xpn: false,
            encoding_sa: 0,
            encrypt: false,
            protect_frames: true,
            send_sci: true,
            end_station: false,
            scb: false,
            replay_protect: false,
            replay_window: 0,
            validate_frames: validate::STRICT,
            offload: offload::OFF,
        }
    }

    /// `macsec_changelink_common`: the changeable SecY and TX SC parameters, in its order.
    fn changelink_common(&mut self, d: &MacsecData) -> KResult<()> {
        if let Some(v) = d.encoding_sa {
            self.encoding_sa = v;
        }
        if let Some(v) = d.encrypt {
            self.encrypt = v != 0;
        }
        if let Some(v) = d.protect {
            self.protect_frames = v != 0;
        }
        if let Some(v) = d.inc_sci {
            self.send_sci = v != 0;
        }
        if let Some(v) = d.es {
            self.end_station = v != 0;
        }
        if let Some(v) = d.scb {
            self.scb = v != 0;
        }
        if let Some(v) = d.replay_protect {
            self.replay_protect = v != 0;
        }
        if let Some(v) = d.validation {
            self.validate_frames = v;
        }
        if let Some(cs) = d.cipher_suite {
            (self.key_len, self.xpn) = match cs {
                cipher::GCM_AES_128 | cipher::DEFAULT => (SAK_LEN_128, false),
                cipher::GCM_AES_256 => (SAK_LEN_256, false),
                cipher::GCM_AES_XPN_128 => (SAK_LEN_128, true),
                cipher::GCM_AES_XPN_256 => (SAK_LEN_256, true),
                _ => return err(errno::EINVAL),
            };
        }
        if let Some(w) = d.window {
            self.replay_window = w;
            // IEEE 802.1AEbw-2013 10.7.8: the largest window of the XPN suites.
            if self.xpn && w > XPN_MAX_REPLAY_WINDOW {
                return err(errno::EINVAL);
            }
        }
        Ok(())
    }
}

fn state(d: &NetDevice) -> Option<&MacsecState> {
    d.state.downcast_ref::<MacsecState>()
}

fn state_mut(k: &mut Kernel, id: DevId) -> Option<&mut MacsecState> {
    k.dev_mut(id).state.downcast_mut::<MacsecState>()
}

fn real_dev(k: &Kernel, id: DevId) -> Option<DevId> {
    state(k.dev(id)).and_then(|s| s.real_dev)
}

/// `make_sci(addr, port)`: the MAC in the high six bytes, the port in the low two.
fn make_sci(addr: HwAddr, port: u16) -> u64 {
    let mut b = [0u8; 8];
    for (dst, src) in b.iter_mut().zip(addr.as_bytes().iter().take(6)) {
        *dst = *src;
    }
    b[6..].copy_from_slice(&port.to_be_bytes());
    u64::from_be_bytes(b)
}

/// `is_macsec_master`: the lower's rx_handler is `macsec_handle_frame`.
fn is_macsec_master(k: &Kernel, lower: DevId) -> bool {
    k.dev(lower).rx_handler == Some(RxHandler::Macsec)
}

/// `rxd->secys` of `lower`: its SecYs in the order they were registered.
fn secys(k: &Kernel, lower: DevId) -> Vec<DevId> {
    k.dev(lower)
        .uppers
        .iter()
        .copied()
        .filter(|u| {
            k.try_dev(*u)
                .and_then(state)
                .is_some_and(|s| s.real_dev == Some(lower) && s.listed)
        })
        .collect()
}

/// `macsec_check_offload`: `offload mac` needs NETIF_F_HW_MACSEC and `macsec_ops` on the
/// lower (netdevsim ports have both); `offload phy` a PHY with `macsec_ops` (none modelled).
fn check_offload(k: &Kernel, lower: DevId, mode: u8) -> bool {
    mode == offload::MAC && k.dev(lower).kind == Kind::NETDEVSIM
}

/// netdevsim's `mdo_add_secy` (`nsim_macsec_add_secy`): at most three SecYs per port, the
/// offloaded SecYs of the lower other than `id`.
fn nsim_add_secy(k: &Kernel, lower: DevId, id: DevId) -> KResult<()> {
    let used = secys(k, lower)
        .into_iter()
        .filter(|u| *u != id)
        .filter(|u| state(k.dev(*u)).is_some_and(|s| s.offload == offload::MAC))
        .count();
    if used >= NSIM_MAX_SECY_COUNT {
        return err(errno::ENOSPC);
    }
    Ok(())
}

/// The MTU a SecY on a lower of `lower_mtu` can carry (unsigned, as the kernel computes it).
fn secy_mtu_limit(lower_mtu: u32, icv_len: u8) -> u32 {
    lower_mtu.wrapping_sub(u32::from(icv_len) + EXTRA_LEN)
}

/// `crypto_gcm_check_authsize`: the ICV lengths gcm(aes) accepts (`macsec_alloc_tfm` with a
/// non-default ICV length fails with EINVAL for the others).
fn gcm_authsize_ok(icv_len: u8) -> bool {
    matches!(icv_len, 4 | 8 | 12..=16)
}

/// `macsec_update_offload` (changelink with a new IFLA_MACSEC_OFFLOAD).
fn update_offload(k: &mut Kernel, id: DevId, lower: DevId, mode: u8) -> KResult<()> {
    if mode != offload::OFF && !check_offload(k, lower, mode) {
        return err(errno::EOPNOTSUPP);
    }
    if k.dev(id).is_running() {
        return err(errno::EBUSY);
    }
    // macsec_is_configured: no SA or RX SC is ever configured (no genetlink "macsec").
    if mode == offload::OFF {
        // mdo_del_secy of the previous mode: netdevsim frees the slot.
        return Ok(());
    }
    nsim_add_secy(k, lower, id)
}

impl LinkOps for MacsecOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("macsec")
    }

    /// `macsec_setup`: Ethernet, MTU 0..65535, noqueue, broadcast zeroed until `ndo_init`.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.ether_setup();
        dev.min_mtu = 0;
        dev.max_mtu = ETH_MAX_MTU;
        dev.no_queue = true;
        dev.broadcast = HwAddr::ZERO_ETH;
        dev.state = KindState::new(MacsecState::unset());
    }

    /// `macsec_validate_attr`, in its order (every failure is a bare EINVAL).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        let Some(d) = req.data::<MacsecData>() else {
            return Ok(());
        };
        let csid = d.cipher_suite.unwrap_or(cipher::DEFAULT);
        let icv_len = d.icv_len.unwrap_or(DEFAULT_ICV_LEN);
        if icv_len != DEFAULT_ICV_LEN && !gcm_authsize_ok(icv_len) {
            return err(errno::EINVAL);
        }
        match csid {
            cipher::GCM_AES_128
            | cipher::GCM_AES_256
            | cipher::GCM_AES_XPN_128
            | cipher::GCM_AES_XPN_256
            | cipher::DEFAULT => {
                if !(MIN_ICV_LEN..=DEFAULT_ICV_LEN).contains(&icv_len) {
                    return err(errno::EINVAL);
                }
            }
            _ => return err(errno::EINVAL),
        }
        if d.encoding_sa.is_some_and(|v| v >= NUM_AN) {
            return err(errno::EINVAL);
        }
        // IFLA_MACSEC_ENCRYPT .. IFLA_MACSEC_REPLAY_PROTECT are booleans.
        let flags = [
            d.encrypt,
            d.protect,
            d.inc_sci,
            d.es,
            d.scb,
            d.replay_protect,
        ];
        if flags.iter().flatten().any(|v| *v > 1) {
            return err(errno::EINVAL);
        }
        let es = d.es.unwrap_or(0) != 0;
        let sci = d.inc_sci.unwrap_or(0) != 0;
        let scb = d.scb.unwrap_or(0) != 0;
        if (sci && (scb || es)) || (scb && es) {
            return err(errno::EINVAL);
        }
        if d.validation.is_some_and(|v| v > validate::STRICT) {
            return err(errno::EINVAL);
        }
        if d.replay_protect.unwrap_or(0) != 0 && d.window.is_none() {
            return err(errno::EINVAL);
        }
        Ok(())
    }

    /// `macsec_newlink` (+ `macsec_dev_init` as `ndo_init`, `macsec_add_dev`,
    /// `register_macsec_dev`). The SCI clash and the offload slot are found after
    /// registration: those failures unregister the device again (its ifindex is spent).
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let data = req.data::<MacsecData>().cloned();
        let d = data.clone().unwrap_or_default();
        let Some(link) = req.link else {
            return err(errno::EINVAL);
        };
        // `__dev_get_by_index(net, IFLA_LINK)`.
        let Some(real) = k.dev_by_index(src_net, link) else {
            return err(errno::ENODEV);
        };
        if k.dev(real).dev_type != arphrd::ETHER {
            return err(errno::EINVAL);
        }
        let off = d.offload.unwrap_or(offload::OFF);
        if off != offload::OFF && !check_offload(k, real, off) {
            return err(errno::EOPNOTSUPP);
        }
        // "send_sci must be set to true when transmit sci explicitly is set".
        if d.sci.is_some() && d.inc_sci == Some(0) {
            return err(errno::EINVAL);
        }
        let icv_len = d.icv_len.unwrap_or(DEFAULT_ICV_LEN);
        // IFLA_MTU is overridden: the SecY's MTU always follows the lower's.
        let mtu = i64::from(k.dev(real).mtu) - i64::from(icv_len) - i64::from(EXTRA_LEN);
        dev.mtu = u32::try_from(mtu.max(0)).unwrap_or(0);
        let handler = k.dev(real).rx_handler;
        if handler.is_some_and(|h| h != RxHandler::Macsec) {
            return err(errno::EBUSY);
        }
        // macsec_dev_init: MAC (with its assign type) and broadcast from the lower.
        {
            let r = k.dev(real);
            if dev.addr.is_zero() {
                dev.addr = r.addr;
                dev.addr_assign_type = r.addr_assign_type;
            }
            if dev.broadcast.is_zero() {
                dev.broadcast = r.broadcast;
            }
        }
        if let Some(s) = dev.state.downcast_mut::<MacsecState>() {
            s.real_dev = Some(real);
            s.offload = off;
        }
        let id = k.register_netdevice(dev)?;
        // netdev_upper_dev_link.
        k.link_lower(id, real);
        // After ndo_init, so that the MAC is the device's.
        let sci = match (d.sci, d.port) {
            (Some(sci), _) => sci,
            (None, Some(port)) => make_sci(k.dev(id).addr, port),
            (None, None) => make_sci(k.dev(id).addr, PORT_ES),
        };
        let r = (|| {
            // sci_exists: the SecYs already on this lower.
            if handler.is_some()
                && secys(k, real)
                    .iter()
                    .any(|u| state(k.dev(*u)).is_some_and(|s| s.sci == sci))
            {
                return err(errno::EBUSY);
            }
            // macsec_add_dev, then macsec_changelink_common with the request's data.
            let mut s = MacsecState::unset();
            s.real_dev = Some(real);
            s.offload = off;
            s.sci = sci;
            s.icv_len = icv_len;
            if data.is_some() {
                s.changelink_common(&d)?;
            }
            // mdo_add_secy of the offloading lower.
            if off == offload::MAC {
                nsim_add_secy(k, real, id)?;
            }
            // register_macsec_dev: the first SecY takes the lower's rx_handler.
            if handler.is_none() {
                k.rx_handler_register(real, RxHandler::Macsec)?;
            }
            s.listed = true;
            if let Some(st) = state_mut(k, id) {
                *st = s;
            }
            Ok(())
        })();
        if let Err(e) = r {
            k.unlink_lower(id);
            k.unregister_many(&[id], false);
            return Err(e);
        }
        k.netif_stacked_transfer_operstate(real, id);
        k.linkwatch_fire_event(id);
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `macsec_changelink`: SCI, port, cipher suite and ICV length are fixed at creation;
    /// the rest is applied on a copy (restored when a later step fails).
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(d) = data.downcast_ref::<MacsecData>() else {
            return err(errno::EINVAL);
        };
        if d.cipher_suite.is_some() || d.icv_len.is_some() || d.sci.is_some() || d.port.is_some() {
            return err(errno::EINVAL);
        }
        let (Some(mut s), Some(real)) = (state(k.dev(id)).cloned(), real_dev(k, id)) else {
            return err(errno::EINVAL);
        };
        s.changelink_common(d)?;
        if let Some(mode) = d.offload {
            if mode != s.offload {
                update_offload(k, id, real, mode)?;
                s.offload = mode;
            }
        }
        // Otherwise an offloaded SecY is updated through mdo_upd_secy (netdevsim finds it
        // by its SCI, which cannot change).
        if let Some(st) = state_mut(k, id) {
            *st = s;
        }
        Ok(())
    }

    /// `macsec_dev_open`: the MAC goes on the lower's unicast list, allmulti and promiscuity
    /// are passed on, carrier from the lower.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        let Some(real) = real_dev(k, id) else {
            return Ok(());
        };
        let addr = k.dev(id).addr;
        k.dev_uc_add(real, addr);
        let flags = k.dev(id).flags;
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(real, 1);
        }
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(real, 1);
        }
        if k.dev(real).carrier {
            k.netif_carrier_on(id);
        }
        Ok(())
    }

    /// `macsec_dev_stop`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        k.netif_carrier_off(id);
        let Some(real) = real_dev(k, id) else {
            return;
        };
        if k.try_dev(real).is_none() {
            return;
        }
        k.dev_addr_unsync(real, id);
        let flags = k.dev(id).flags;
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(real, -1);
        }
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(real, -1);
        }
        let addr = k.dev(id).addr;
        k.dev_uc_del(real, addr);
    }

    /// `macsec_dellink` / `macsec_notify`'s NETDEV_UNREGISTER: the last SecY of a lower
    /// releases its rx_handler.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        let Some(real) = real_dev(k, id) else {
            return;
        };
        if k.try_dev(real).is_none() || !is_macsec_master(k, real) {
            return;
        }
        if let Some(s) = state_mut(k, id) {
            s.listed = false;
        }
        if secys(k, real).is_empty() {
            k.rx_handler_unregister(real);
        }
    }

    /// `macsec_dev_set_rx_mode`: the SecY's address lists go to the lower.
    fn rx_mode_sync_targets(&self, k: &Kernel, id: DevId) -> Vec<DevId> {
        real_dev(k, id).into_iter().collect()
    }

    /// `macsec_set_mac_address` (the SCI keeps the MAC it was made of).
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        let up = k.dev(id).flags & iff::UP != 0;
        let real = real_dev(k, id);
        if let (true, Some(real)) = (up, real) {
            k.dev_uc_add(real, addr);
        }
        let old = k.dev(id).addr;
        k.dev_mut(id).addr = addr;
        // An offloaded SecY is updated through mdo_upd_secy (netdevsim: always found).
        if let (true, Some(real)) = (up, real) {
            k.dev_uc_del(real, old);
        }
        Ok(())
    }

    /// `macsec_change_mtu`: at most the lower's MTU minus the SecTAG and ICV.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let (Some(real), Some(icv)) = (real_dev(k, id), state(k.dev(id)).map(|s| s.icv_len)) else {
            return err(errno::EINVAL);
        };
        if secy_mtu_limit(k.dev(real).mtu, icv) < mtu {
            return err(errno::ERANGE);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `macsec_dev_change_rx_flags`.
    fn change_rx_flags(&self, k: &mut Kernel, id: DevId, change: u32) {
        if k.dev(id).flags & iff::UP == 0 {
            return;
        }
        let Some(real) = real_dev(k, id) else {
            return;
        };
        let flags = k.dev(id).flags;
        if change & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(real, if flags & iff::ALLMULTI != 0 { 1 } else { -1 });
        }
        if change & iff::PROMISC != 0 {
            k.dev_set_promiscuity(real, if flags & iff::PROMISC != 0 { 1 } else { -1 });
        }
    }

    /// `macsec_get_iflink`.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        state(dev).and_then(|s| s.real_dev)
    }

    /// `macsec_notify` for the SecYs on `lower`, handled once (by the first of them).
    fn lower_event(&self, k: &mut Kernel, upper: DevId, lower: DevId, ev: &NetdevEvent) {
        if !is_macsec_master(k, lower) {
            return;
        }
        let all = secys(k, lower);
        if all.first() != Some(&upper) {
            return;
        }
        match ev {
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
                for m in all {
                    k.netif_stacked_transfer_operstate(lower, m);
                }
            }
            // No "netns move" exception here: a lower leaving the namespace also takes its
            // SecYs with it.
            NetdevEvent::Unregister => {
                k.unregister_many(&all, false);
                if k.try_dev(lower).is_some() {
                    k.rx_handler_unregister(lower);
                }
            }
            NetdevEvent::ChangeMtu => {
                let lower_mtu = k.dev(lower).mtu;
                for m in all {
                    let Some(icv) = state(k.dev(m)).map(|s| s.icv_len) else {
                        continue;
                    };
                    let mtu = secy_mtu_limit(lower_mtu, icv);
                    if k.dev(m).mtu > mtu {
                        // dev_set_mtu's errors are ignored, as in the kernel.
                        let _ = k.dev_set_mtu(m, mtu);
                    }
                }
            }
            _ => {}
        }
    }

    /// `macsec_get_link_net`: the namespace of the lower device.
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        Some(
            state(dev)
                .and_then(|s| s.real_dev)
                .and_then(|l| k.try_dev(l))
                .map_or(dev.netns, |l| l.netns),
        )
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<MacsecState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        k.check_real_dev(d, "real_dev", state(d).and_then(|s| s.real_dev))
    }

    /// `macsec_fill_info`.
    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let s = state(dev)?;
        let cipher_suite = match (s.key_len, s.xpn) {
            (SAK_LEN_128, false) => cipher::DEFAULT,
            (SAK_LEN_128, true) => cipher::GCM_AES_XPN_128,
            (SAK_LEN_256, false) => cipher::GCM_AES_256,
            (SAK_LEN_256, true) => cipher::GCM_AES_XPN_256,
            // nla_put_failure: no IFLA_INFO_DATA at all.
            _ => return None,
        };
        Some(KindInfo::new(MacsecInfo {
            sci: s.sci,
            icv_len: s.icv_len,
            cipher_suite,
            encoding_sa: s.encoding_sa,
            encrypt: u8::from(s.encrypt),
            protect: u8::from(s.protect_frames),
            inc_sci: u8::from(s.send_sci),
            es: u8::from(s.end_station),
            scb: u8::from(s.scb),
            replay_protect: u8::from(s.replay_protect),
            validation: s.validate_frames,
            offload: s.offload,
            window: s.replay_protect.then_some(s.replay_window),
        }))
    }
}

#[typetag::serde(name = "Macsec")]
impl KindPriv for MacsecState {}

#[typetag::serde(name = "Macsec")]
impl KindDataValue for MacsecData {}

#[typetag::serde(name = "Macsec")]
impl KindInfoValue for MacsecInfo {}
