//! macsec (drivers/net/macsec.c): `macsec_rtnl_policy`, `macsec_fill_info`. The SCI is a
//! `sci_t`: the MAC and port bytes in memory order, so it is read and written big endian
//! here and the model keeps it as printed.

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use kernel_model::kinds::macsec::{MacsecData, MacsecInfo};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{
    InfoData, InfoMacSec, MacSecCipherId, MacSecOffload, MacSecValidate,
};

// IFLA_MACSEC_* (include/uapi/linux/if_link.h).
pub const IFLA_MACSEC_SCI: u16 = 1;
pub const IFLA_MACSEC_PORT: u16 = 2;
pub const IFLA_MACSEC_ICV_LEN: u16 = 3;
pub const IFLA_MACSEC_CIPHER_SUITE: u16 = 4;
pub const IFLA_MACSEC_WINDOW: u16 = 5;
pub const IFLA_MACSEC_ENCODING_SA: u16 = 6;
pub const IFLA_MACSEC_ENCRYPT: u16 = 7;
pub const IFLA_MACSEC_PROTECT: u16 = 8;
pub const IFLA_MACSEC_INC_SCI: u16 = 9;
pub const IFLA_MACSEC_ES: u16 = 10;
pub const IFLA_MACSEC_SCB: u16 = 11;
pub const IFLA_MACSEC_REPLAY_PROTECT: u16 = 12;
pub const IFLA_MACSEC_VALIDATION: u16 = 13;
pub const IFLA_MACSEC_OFFLOAD: u16 = 15;
pub const IFLA_MACSEC_MAX: u16 = 15;

const fn macsec_table() -> [AttrPolicy; IFLA_MACSEC_MAX as usize + 1] {
    use NlaType::{U16, U32, U64, U8};
    let mut p = [AttrPolicy::UNSPEC; IFLA_MACSEC_MAX as usize + 1];
    p[IFLA_MACSEC_SCI as usize] = AttrPolicy::of(U64);
    p[IFLA_MACSEC_PORT as usize] = AttrPolicy::of(U16);
    p[IFLA_MACSEC_ICV_LEN as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_CIPHER_SUITE as usize] = AttrPolicy::of(U64);
    p[IFLA_MACSEC_WINDOW as usize] = AttrPolicy::of(U32);
    p[IFLA_MACSEC_ENCODING_SA as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_ENCRYPT as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_PROTECT as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_INC_SCI as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_ES as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_SCB as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_REPLAY_PROTECT as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_VALIDATION as usize] = AttrPolicy::of(U8);
    p[IFLA_MACSEC_OFFLOAD as usize] = AttrPolicy::of(U8);
    p
}

static MACSEC_TABLE: [AttrPolicy; IFLA_MACSEC_MAX as usize + 1] = macsec_table();

/// `macsec_rtnl_policy` (IFLA_MACSEC_PAD is left unspecified, as in the kernel).
pub static MACSEC_RTNL_POLICY: Policy = Policy {
    name: "macsec_rtnl_policy",
    strict_start_type: 0,
    attrs: &MACSEC_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "macsec",
    policy: Some(&MACSEC_RTNL_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: MacsecData) -> KindData {
    KindData::new(d)
}

/// `macsec_newlink` / `macsec_changelink` read `data[]` (the policy checked the lengths).
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let sci = data
        .bytes(IFLA_MACSEC_SCI)
        .and_then(|b| b.get(..8))
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes);
    Ok(to_model(MacsecData {
        sci,
        port: data.be16(IFLA_MACSEC_PORT),
        icv_len: data.u8(IFLA_MACSEC_ICV_LEN),
        cipher_suite: data.u64(IFLA_MACSEC_CIPHER_SUITE),
        window: data.u32(IFLA_MACSEC_WINDOW),
        encoding_sa: data.u8(IFLA_MACSEC_ENCODING_SA),
        encrypt: data.u8(IFLA_MACSEC_ENCRYPT),
        protect: data.u8(IFLA_MACSEC_PROTECT),
        inc_sci: data.u8(IFLA_MACSEC_INC_SCI),
        es: data.u8(IFLA_MACSEC_ES),
        scb: data.u8(IFLA_MACSEC_SCB),
        replay_protect: data.u8(IFLA_MACSEC_REPLAY_PROTECT),
        validation: data.u8(IFLA_MACSEC_VALIDATION),
        offload: data.u8(IFLA_MACSEC_OFFLOAD),
    }))
}

/// `macsec_fill_info`, in its order; no IFLA_MACSEC_PAD on a 64-bit host.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let m = info.downcast_ref::<MacsecInfo>()?;
    Some(encode_macsec(m))
}

fn encode_macsec(m: &MacsecInfo) -> InfoData {
    // The crate writes Sci(u64) in host order: hand it the sci_t's memory bytes.
    let mut a = vec![
        InfoMacSec::Sci(u64::from_ne_bytes(m.sci.to_be_bytes())),
        InfoMacSec::IcvLen(m.icv_len),
        InfoMacSec::CipherSuite(MacSecCipherId::Other(m.cipher_suite)),
        InfoMacSec::EncodingSa(m.encoding_sa),
        InfoMacSec::Encrypt(m.encrypt),
        InfoMacSec::Protect(m.protect),
        InfoMacSec::IncSci(m.inc_sci),
        InfoMacSec::Es(m.es),
        InfoMacSec::Scb(m.scb),
        InfoMacSec::ReplayProtect(m.replay_protect),
        InfoMacSec::Validation(MacSecValidate::Other(m.validation)),
        InfoMacSec::Offload(MacSecOffload::Other(m.offload)),
    ];
    if let Some(w) = m.window {
        a.push(InfoMacSec::Window(w));
    }
    InfoData::MacSec(a)
}
