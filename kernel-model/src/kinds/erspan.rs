//! The ERSPAN rules of erspan (net/ipv4/ip_gre.c: `erspan_validate`, `erspan_netlink_parms`,
//! `erspan_tunnel_init`) and ip6erspan (net/ipv6/ip6_gre.c: `ip6erspan_tap_validate`,
//! `ip6erspan_set_version`, `ip6erspan_calc_hlen`). Both kinds are GRE taps otherwise: their
//! `LinkOps` are [`super::gre::ERSPAN_OPS`] and [`super::gre::IP6ERSPAN_OPS`]. The mirrored
//! traffic (the data path) is not modelled.

use super::gre::{gre_flag, GreData};
use crate::error::{err, KResult};
use crate::uapi::errno;
use serde::{Deserialize, Serialize};

/// `ID_MASK` (include/net/erspan.h): the session ID the GRE key carries has 10 bits.
const ID_MASK: u32 = 0x3ff;
/// `INDEX_MASK`: the version 1 port index has 20 bits.
const INDEX_MASK: u32 = 0xfffff;
/// `DIR_MASK >> DIR_OFFSET`: the version 2 direction bit.
const DIR_MAX: u8 = 0x1;
/// `HWID_MASK >> HWID_OFFSET`: the version 2 hardware ID has 6 bits.
const HWID_MAX: u16 = 0x3f;

/// `erspan_ver`, `index`, `dir`, `hwid` of `struct ip_tunnel` / `struct __ip6_tnl_parm`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErspanParms {
    pub ver: u8,
    pub index: u32,
    pub dir: u8,
    pub hwid: u16,
}

/// `erspan_hdr_len`.
fn erspan_hdr_len(ver: u8) -> u32 {
    match ver {
        0 => 0,
        // sizeof(struct erspan_base_hdr) + ERSPAN_V1_MDSIZE / ERSPAN_V2_MDSIZE
        1 => 4 + 4,
        _ => 4 + 8,
    }
}

/// `erspan_tunnel_init` (IPv4: a 4-byte GRE header for version 0, else 8) and
/// `ip6erspan_calc_hlen` (IPv6: always 8): `tunnel->hlen`.
pub fn hlen(v6: bool, e: &ErspanParms) -> u32 {
    let tun_hlen = if !v6 && e.ver == 0 { 4 } else { 8 };
    tun_hlen + erspan_hdr_len(e.ver)
}

/// The GRE flags and keys of an ERSPAN type II/III tunnel: exactly SEQ|KEY (unless external),
/// keys within the 10-bit session ID (`erspan_validate`, `ip6erspan_tap_validate`).
fn seq_key_only(data: &GreData) -> KResult<()> {
    let flags = data.oflags.unwrap_or(0) | data.iflags.unwrap_or(0);
    if !data.collect_metadata && flags != gre_flag::SEQ | gre_flag::KEY {
        return err(errno::EINVAL);
    }
    if data.ikey.is_some_and(|k| k & !ID_MASK != 0) || data.okey.is_some_and(|k| k & !ID_MASK != 0)
    {
        return err(errno::EINVAL);
    }
    Ok(())
}

/// `erspan_validate` after `ipgre_tap_validate`: version 0 skips the checks.
pub fn erspan_validate(data: &GreData) -> KResult<()> {
    if data.erspan_ver == Some(0) {
        return Ok(());
    }
    seq_key_only(data)
}

/// `ip6erspan_tap_validate` after `ip6gre_tap_validate`: version 1 or 2 only, and the
/// version's fields in range.
pub fn ip6erspan_validate(data: &GreData) -> KResult<()> {
    seq_key_only(data)?;
    let ver = data.erspan_ver.unwrap_or(0);
    if data.erspan_ver.is_some() && ver != 1 && ver != 2 {
        return err(errno::EINVAL);
    }
    version_fields_ok(ver, data)
}

fn version_fields_ok(ver: u8, data: &GreData) -> KResult<()> {
    let bad = match ver {
        1 => data.erspan_index.is_some_and(|i| i & !INDEX_MASK != 0),
        2 => {
            data.erspan_dir.is_some_and(|d| d & !DIR_MAX != 0)
                || data.erspan_hwid.is_some_and(|h| h & !HWID_MAX != 0)
        }
        _ => false,
    };
    if bad {
        return err(errno::EINVAL);
    }
    Ok(())
}

/// `erspan_netlink_parms` after `ipgre_netlink_parms`: it writes the tunnel's fields as it
/// goes, so a refused change keeps what came before the error.
pub fn erspan_netlink_parms(e: &mut ErspanParms, data: &GreData) -> KResult<()> {
    if let Some(v) = data.erspan_ver {
        e.ver = v;
        if v > 2 {
            return err(errno::EINVAL);
        }
    }
    match e.ver {
        1 => {
            if let Some(i) = data.erspan_index {
                e.index = i;
                if i & !INDEX_MASK != 0 {
                    return err(errno::EINVAL);
                }
            }
        }
        2 => {
            if let Some(d) = data.erspan_dir {
                e.dir = d;
                if d & !DIR_MAX != 0 {
                    return err(errno::EINVAL);
                }
            }
            if let Some(h) = data.erspan_hwid {
                e.hwid = h;
                if h & !HWID_MAX != 0 {
                    return err(errno::EINVAL);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `ip6erspan_set_version` on parameters `ip6gre_netlink_parms` zeroed: version 1 unless
/// given, then that version's fields.
pub fn ip6erspan_set_version(data: &GreData) -> ErspanParms {
    let mut e = ErspanParms {
        ver: data.erspan_ver.unwrap_or(1),
        ..ErspanParms::default()
    };
    match e.ver {
        1 => e.index = data.erspan_index.unwrap_or(0),
        2 => {
            e.dir = data.erspan_dir.unwrap_or(0);
            e.hwid = data.erspan_hwid.unwrap_or(0);
        }
        _ => {}
    }
    e
}
