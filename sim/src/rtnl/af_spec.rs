//! IFLA_AF_SPEC of an AF_UNSPEC link message (`rtnl_fill_link_af`, net/core/rtnetlink.c):
//! one nest per registered `rtnl_af_ops` that has a `fill_link_af`, in registration order.
//! In Linux 6.12 those are AF_INET (`devinet_init`, an fs_initcall) then AF_INET6
//! (`addrconf_init`); AF_BRIDGE's `br_af_ops` has no `fill_link_af`. The outer nest is always
//! there (possibly empty); a family whose per-device state does not exist answers -ENODATA
//! and its nest is cancelled.
//!
//! This module only encodes; what is reported (the devconf values, IF_READY / IF_RS_SENT,
//! addr_gen_mode) is the model's (`kernel_model::devconf`):
//!
//! * AF_INET { IFLA_INET_CONF } (`inet_fill_link_af`): the `in_device`'s 33
//!   (IPV4_DEVCONF_MAX) u32 values.
//! * AF_INET6 (`inet6_fill_link_af` -> `inet6_fill_ifla6_attrs`): FLAGS, CACHEINFO, CONF (59
//!   = DEVCONF_MAX s32 values in 6.12), STATS and ICMP6STATS (left out with
//!   RTEXT_FILTER_SKIP_STATS), TOKEN, ADDR_GEN_MODE; RA_MTU only when an RA set one (never
//!   here).

use kernel_model::devconf::Inet6DevConf;
use kernel_model::LinkView;
use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::{
    AfSpecInet, AfSpecInet6, AfSpecUnspec, Icmp6Stats, In6AddrGenMode, Inet6IfaceFlags, Inet6Stats,
    LinkAttribute,
};

/// IFLA_INET_CONF (include/uapi/linux/if_link.h).
const IFLA_INET_CONF: u16 = 1;
/// IFLA_INET6_* attribute types (include/uapi/linux/if_link.h) sent as raw bytes.
const IFLA_INET6_CONF: u16 = 2;
const IFLA_INET6_CACHEINFO: u16 = 5;

/// `IPSTATS_MIB_MAX` / `ICMP6_MIB_MAX` (include/uapi/linux/snmp.h, 6.12). The first counter of
/// each block is the number of counters (`__snmp6_fill_stats64` / `__snmp6_fill_statsdev`).
const IPSTATS_MIB_MAX: i64 = 38;
const ICMP6_MIB_MAX: i64 = 7;

/// IFLA_AF_SPEC as `rtnl_fill_link_af` fills it with ext_filter_mask 0 (RTM_GETLINK without
/// IFLA_EXT_MASK, notifications): the IPv6 statistics are included.
pub fn encode_af_spec(view: &LinkView) -> LinkAttribute {
    encode_af_spec_with(view, false)
}

/// IFLA_AF_SPEC; `skip_stats` is RTEXT_FILTER_SKIP_STATS in the request's IFLA_EXT_MASK
/// (`inet6_fill_ifla6_attrs` then leaves out IFLA_INET6_STATS and IFLA_INET6_ICMP6STATS).
pub fn encode_af_spec_with(view: &LinkView, skip_stats: bool) -> LinkAttribute {
    let mut families = Vec::with_capacity(2);
    if let Some(conf) = view.ipv4_devconf() {
        let bytes = conf.iter().flat_map(|v| v.to_ne_bytes()).collect();
        families.push(AfSpecUnspec::Inet(vec![AfSpecInet::Other(
            DefaultNla::new(IFLA_INET_CONF, bytes),
        )]));
    }
    if let Some(idev) = view.inet6_devconf() {
        families.push(AfSpecUnspec::Inet6(inet6_attrs(&idev, skip_stats)));
    }
    LinkAttribute::AfSpecUnspec(families)
}

/// The attributes of `inet6_fill_ifla6_attrs`, in its order.
///
/// Two attributes go out as raw bytes because the crate's typed form does not give the
/// kernel's bytes: netlink-packet-route 0.34's `Inet6DevConf` is the 60-entry layout of
/// Linux 6.17+ (it has `force_forwarding`), 4 bytes longer than 6.12's 59 entries; and its
/// `Inet6CacheInfo` is `#[non_exhaustive]` without a constructor.
pub(super) fn inet6_attrs(idev: &Inet6DevConf, skip_stats: bool) -> Vec<AfSpecInet6> {
    let mut out = Vec::with_capacity(8);
    out.push(AfSpecInet6::Flags(Inet6IfaceFlags::from_bits_retain(
        idev.if_flags,
    )));
    let ci = idev
        .cacheinfo
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    out.push(AfSpecInet6::Other(DefaultNla::new(
        IFLA_INET6_CACHEINFO,
        ci,
    )));
    let conf = idev.conf.iter().flat_map(|v| v.to_ne_bytes()).collect();
    out.push(AfSpecInet6::Other(DefaultNla::new(IFLA_INET6_CONF, conf)));
    if !skip_stats {
        // No packet ever moves in nlsim: every counter is zero but the leading count.
        let mut stats = Inet6Stats::default();
        stats.num = IPSTATS_MIB_MAX;
        out.push(AfSpecInet6::Stats(stats));
        let mut icmp = Icmp6Stats::default();
        icmp.num = ICMP6_MIB_MAX;
        out.push(AfSpecInet6::Icmp6Stats(icmp));
    }
    out.push(AfSpecInet6::Token(idev.token));
    out.push(AfSpecInet6::AddrGenMode(In6AddrGenMode::from(
        idev.addr_gen_mode,
    )));
    // IFLA_INET6_RA_MTU: only when a router advertisement carried an MTU; never here.
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_model::devconf::{DEVCONF_MAX_6_12, ND_REACHABLE_TIME_MS};
    use kernel_model::uapi::iff;
    use kernel_model::{Kernel, LinkInfoRequest, LinkRequest, NewLinkFlags};
    use netlink_packet_core::Emitable;

    /// IFLA_AF_SPEC payloads (the nest's value, without its 4-byte header) of a real kernel:
    /// Linux 6.18.44 (x86_64), RTM_GETLINK dump (AF_UNSPEC) in a fresh `unshare -n` namespace,
    /// decoded and printed by a raw-netlink python script. Setup, in order:
    ///   ip link add br0 type bridge; ip link add brsmall mtu 1000 type bridge
    ///   -> dump (no IFLA_EXT_MASK): LO_DOWN, BR0_DOWN, BRSMALL
    ///   ip link set lo up; ip link set br0 up
    ///   -> dump with IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS: LO_UP_SKIP_STATS,
    ///      BR0_UP_SKIP_STATS
    ///   ip link set lo mtu 60
    ///   -> dump with RTEXT_FILTER_SKIP_STATS: LO_MTU60_SKIP_STATS
    /// The host's net.ipv4/ipv6.conf.default were the compiled defaults and
    /// devconf_inherit_init_net was 0. [`to_6_12`] turns them into what 6.12 / nlsim report.
    const LO_DOWN: &str = "\
        8c0002008800010000000000000000000000000001000000010000000100000001000000000000000100000000000000\
        000000000000000000000000000000000100000001000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000010270000e80300000000000000000000000000000000000001000000a0020a00\
        080001000000000014000500ffff000017a80100f0a00000e8030000f400020000000000400000000000010001000000\
        010000000100000001000000ffffffffa00f0000e8030000ffffffff803a090080510100030000005802000010000000\
        0000000001000000010000000100000060ea0000000000000000000000000000000000000000000000000000ffffffff\
        000000000000000010270000e80300000100000000000000000000000100000000000000000000000100000000000000\
        00000000000000000000000080ee36000000000000000000010000000000000000000000000000000000000000000000\
        0004000000000000ffff0000ffffffff0100000000000000000000000000000034010300260000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000003c00060007000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000014000700000000000000000000000000000000000500080000000000";

    /// `br0`: fresh bridge, down, MTU 1500.
    const BR0_DOWN: &str = "\
        8c0002008800010000000000000000000000000001000000010000000100000001000000000000000100000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000010270000e80300000000000000000000000000000000000001000000a0020a00\
        080001000000000014000500ffff000017a80100346b0000e8030000f40002000000000040000000dc05000001000000\
        010000000100000001000000ffffffffa00f0000e803000000000000803a090080510100030000005802000010000000\
        0000000001000000010000000100000060ea000000000000000000000000000000000000000000000000000001000000\
        000000000000000010270000e80300000100000000000000000000000100000000000000000000000100000000000000\
        00000000000000000000000080ee36000000000000000000010000000000000000000000000000000000000000000000\
        0004000000000000ffff0000ffffffff0100000000000000000000000000000034010300260000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000003c00060007000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000014000700000000000000000000000000000000000500080000000000";

    /// `brsmall`: bridge created with MTU 1000: AF_INET only.
    const BRSMALL: &str = "\
        8c0002008800010000000000000000000000000001000000010000000100000001000000000000000100000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000010270000e80300000000000000000000000000000000000001000000";

    /// `lo` up (IF_READY), statistics skipped.
    const LO_UP_SKIP_STATS: &str = "\
        8c0002008800010000000000000000000000000001000000010000000100000001000000000000000100000000000000\
        000000000000000000000000000000000100000001000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000010270000e8030000000000000000000000000000000000000100000030010a00\
        080001000000008014000500ffff00005ea80100f0a00000e8030000f400020000000000400000000000010001000000\
        010000000100000001000000ffffffffa00f0000e8030000ffffffff803a090080510100030000005802000010000000\
        0000000001000000010000000100000060ea0000000000000000000000000000000000000000000000000000ffffffff\
        000000000000000010270000e80300000100000000000000000000000100000000000000000000000100000000000000\
        00000000000000000000000080ee36000000000000000000010000000000000000000000000000000000000000000000\
        0004000000000000ffff0000ffffffff0100000000000000000000000000000014000700000000000000000000000000\
        000000000500080000000000";

    /// `br0` up, no port: carrier on (`br_stp_enable_bridge` only visits ports), IF_READY;
    /// statistics skipped. Taken right after `ip link set br0 up`, before IF_RS_SENT.
    const BR0_UP_SKIP_STATS: &str = "\
        8c0002008800010000000000000000000000000001000000010000000100000001000000000000000100000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000010270000e8030000000000000000000000000000000000000100000030010a00\
        080001000000008014000500ffff00005ea80100346b0000e8030000f40002000000000040000000dc05000001000000\
        010000000100000001000000ffffffffa00f0000e803000000000000803a090080510100030000005802000010000000\
        0000000001000000010000000100000060ea000000000000000000000000000000000000000000000000000001000000\
        000000000000000010270000e80300000100000000000000000000000100000000000000000000000100000000000000\
        00000000000000000000000080ee36000000000000000000010000000000000000000000000000000000000000000000\
        0004000000000000ffff0000ffffffff0100000000000000000000000000000014000700000000000000000000000000\
        000000000500080000000000";

    /// `lo` up at MTU 60: no in_device; its inet6_dev stays, emptied (flags 0, mtu6 64 KiB).
    const LO_MTU60_SKIP_STATS: &str = "\
        30010a00080001000000000014000500ffff00007ea80100f0a00000e8030000f4000200000000004000000000000100\
        01000000010000000100000001000000ffffffffa00f0000e8030000ffffffff803a0900805101000300000058020000\
        100000000000000001000000010000000100000060ea0000000000000000000000000000000000000000000000000000\
        ffffffff000000000000000010270000e803000001000000000000000000000001000000000000000000000001000000\
        0000000000000000000000000000000080ee360000000000000000000100000000000000000000000000000000000000\
        000000000004000000000000ffff0000ffffffff01000000000000000000000000000000140007000000000000000000\
        00000000000000000500080000000000";

    fn unhex(s: &str) -> Vec<u8> {
        let digits: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
        digits
            .chunks(2)
            .map(|pair| {
                let text = std::str::from_utf8(pair).expect("ascii hex");
                u8::from_str_radix(text, 16).expect("hex digit pair")
            })
            .collect()
    }

    /// (type, value) of each attribute in a buffer, checking the framing and the padding.
    fn walk(buf: &[u8]) -> Vec<(u16, Vec<u8>)> {
        let mut out = Vec::new();
        let mut off = 0;
        while off < buf.len() {
            let len = u16::from_le_bytes([buf[off], buf[off + 1]]) as usize;
            let kind = u16::from_le_bytes([buf[off + 2], buf[off + 3]]);
            assert!(len >= 4 && off + len <= buf.len(), "framing at {off}");
            let padded = ((len + 3) & !3).min(buf.len() - off);
            assert!(buf[off + len..off + padded].iter().all(|b| *b == 0));
            out.push((kind, buf[off + 4..off + len].to_vec()));
            off += padded;
        }
        out
    }

    use crate::wire::raw::put_attr as put;

    /// The 6.18 capture as Linux 6.12 under nlsim reports it. Adjusted, nothing else:
    /// * IFLA_INET6_CONF: 6.18 has 60 entries, the 60th being DEVCONF_FORCE_FORWARDING (new
    ///   in 6.17, 0 here); 6.12 stops at 59 (DEVCONF_MAX). Nest lengths shrink by 4.
    /// * IFLA_INET6_CACHEINFO: tstamp (time since boot of the last change) becomes 0 and
    ///   reachable_time (randomised in [15000, 45000) ms) becomes the 30000 ms base value:
    ///   nlsim answers without a clock or a random draw.
    fn to_6_12(capture: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for (family, value) in walk(&unhex(capture)) {
            if family != 10 {
                put(&mut out, family, &value);
                continue;
            }
            let mut inner = Vec::new();
            for (kind, mut v) in walk(&value) {
                match kind {
                    IFLA_INET6_CONF => {
                        assert_eq!(v.len(), 60 * 4, "a 6.18 capture");
                        assert_eq!(v[236..], [0, 0, 0, 0], "force_forwarding is 0");
                        v.truncate(DEVCONF_MAX_6_12 * 4);
                    }
                    IFLA_INET6_CACHEINFO => {
                        let reach = u32::from_ne_bytes([v[8], v[9], v[10], v[11]]);
                        assert!((15_000..45_000).contains(&reach), "randomised {reach}");
                        v[4..8].copy_from_slice(&0u32.to_ne_bytes());
                        v[8..12].copy_from_slice(&ND_REACHABLE_TIME_MS.to_ne_bytes());
                    }
                    _ => {}
                }
                put(&mut inner, kind, &v);
            }
            put(&mut out, family, &inner);
        }
        out
    }

    fn emitted(attr: &LinkAttribute) -> Vec<u8> {
        let mut buf = vec![0u8; attr.buffer_len()];
        attr.emit(&mut buf);
        assert_eq!(
            u16::from_le_bytes([buf[2], buf[3]]),
            26,
            "IFLA_AF_SPEC, no flags"
        );
        let len = u16::from_le_bytes([buf[0], buf[1]]) as usize;
        assert_eq!(len, buf.len(), "nests are 4-aligned");
        buf.split_off(4)
    }

    fn create_bridge(k: &mut Kernel, name: &str, mtu: Option<u32>) {
        create(k, "bridge", name, mtu);
    }

    fn create(k: &mut Kernel, kind: &str, name: &str, mtu: Option<u32>) {
        let req = LinkRequest {
            nlm: NewLinkFlags {
                create: true,
                excl: true,
                replace: false,
            },
            ifname: Some(name.to_string()),
            mtu,
            linkinfo: Some(LinkInfoRequest {
                kind: Some(kind.to_string()),
                ..LinkInfoRequest::default()
            }),
            ..LinkRequest::default()
        };
        k.newlink(k.init_net(), &req).expect("device created");
    }

    fn set(k: &mut Kernel, ifindex: i32, up: bool, mtu: Option<u32>) {
        let req = LinkRequest {
            ifindex,
            ifi_flags: if up { iff::UP } else { 0 },
            ifi_change: iff::UP,
            mtu,
            ..LinkRequest::default()
        };
        k.setlink(k.init_net(), &req).expect("setlink");
        k.linkwatch_run_queue();
    }

    fn view(k: &Kernel, name: &str) -> LinkView {
        k.fill(k.dev_by_name(k.init_net(), name).expect("device exists"))
    }

    fn hexdump(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn assert_bytes(got: &[u8], want: &[u8]) {
        assert_eq!(hexdump(got), hexdump(want));
    }

    #[test]
    fn fresh_lo_and_bridge_match_the_kernel() {
        let mut k = Kernel::new(1);
        create_bridge(&mut k, "br0", None);
        create_bridge(&mut k, "brsmall", Some(1000));
        let lo = view(&k, "lo");
        let br0 = view(&k, "br0");
        let small = view(&k, "brsmall");
        assert_bytes(&emitted(&encode_af_spec(&lo)), &to_6_12(LO_DOWN));
        assert_bytes(&emitted(&encode_af_spec(&br0)), &to_6_12(BR0_DOWN));
        assert_bytes(&emitted(&encode_af_spec(&small)), &to_6_12(BRSMALL));
        // Sizes as 6.12 reports them: AF_INET 140, AF_INET6 668 with statistics.
        assert_eq!(emitted(&encode_af_spec(&lo)).len(), 140 + 668);
    }

    #[test]
    fn lo_up_and_lo_below_ipv4_min_mtu_match_the_kernel() {
        let mut k = Kernel::new(1);
        set(&mut k, 1, true, None);
        let lo = view(&k, "lo");
        assert!(lo.flags & iff::RUNNING != 0, "lo runs once up");
        let up = emitted(&encode_af_spec_with(&lo, true));
        assert_bytes(&up, &to_6_12(LO_UP_SKIP_STATS));
        assert_eq!(up.len(), 140 + 300);
        set(&mut k, 1, true, Some(60));
        let lo = view(&k, "lo");
        assert_eq!(lo.mtu, 60);
        assert_bytes(
            &emitted(&encode_af_spec_with(&lo, true)),
            &to_6_12(LO_MTU60_SKIP_STATS),
        );
    }

    #[test]
    fn bridge_up_without_ports_matches_the_kernel() {
        let mut k = Kernel::new(1);
        create_bridge(&mut k, "br0", None);
        let idx = i32::try_from(view(&k, "br0").ifindex).expect("small ifindex");
        set(&mut k, idx, true, None);
        let br0 = view(&k, "br0");
        assert_eq!(
            br0.flags & iff::RUNNING,
            iff::RUNNING,
            "carrier without ports"
        );
        assert_bytes(
            &emitted(&encode_af_spec_with(&br0, true)),
            &to_6_12(BR0_UP_SKIP_STATS),
        );
    }

    /// The CONF entries and flags of a dummy: NOARP gives accept_dad -1 (`ipv6_add_dev`), and
    /// up it has sent its router solicitation already (no DAD). From the 6.12 source: no
    /// dummy module on the capture host.
    #[test]
    fn dummy_up_skips_dad() {
        let mut k = Kernel::new(1);
        create(&mut k, "dummy", "d0", None);
        let idx = i32::try_from(view(&k, "d0").ifindex).expect("small ifindex");
        set(&mut k, idx, true, None);
        let d0 = view(&k, "d0");
        assert!(d0.flags & iff::RUNNING != 0);
        let idev = d0.inet6_devconf().expect("inet6_dev");
        assert_eq!(
            idev.if_flags,
            kernel_model::devconf::IF_READY | kernel_model::devconf::IF_RS_SENT
        );
        // DEVCONF_ACCEPT_DAD (27), DEVCONF_USE_TEMPADDR (10), DEVCONF_MTU6 (2).
        assert_eq!(idev.conf[27], -1);
        assert_eq!(idev.conf[10], 0);
        assert_eq!(idev.conf[2], 1500);
        // IPV4_DEVCONF_NOXFRM (15).
        assert_eq!(d0.ipv4_devconf().map(|c| c[14]), Some(0), "only loopback");
    }

    #[test]
    fn families_follow_the_mtu() {
        let mut k = Kernel::new(1);
        create(&mut k, "dummy", "d0", None);
        let idx = i32::try_from(view(&k, "d0").ifindex).expect("small ifindex");
        let count = |v: &LinkView| match encode_af_spec(v) {
            LinkAttribute::AfSpecUnspec(f) => f.len(),
            _ => usize::MAX,
        };
        assert_eq!(count(&view(&k, "d0")), 2);
        // NETDEV_CHANGEMTU: addrconf_ifdown below IPV6_MIN_MTU, inetdev_destroy below 68.
        set(&mut k, idx, false, Some(1279));
        assert_eq!(count(&view(&k, "d0")), 1, "no inet6_dev below IPV6_MIN_MTU");
        set(&mut k, idx, false, Some(67));
        let v = view(&k, "d0");
        assert_eq!(count(&v), 0, "empty nest, still present");
        assert_eq!(emitted(&encode_af_spec(&v)).len(), 0);
        // Both come back with the MTU (inetdev_init, ipv6_add_dev at NETDEV_CHANGEMTU).
        set(&mut k, idx, false, Some(1500));
        assert_eq!(count(&view(&k, "d0")), 2);
    }
}

/// IFLA_AF_SPEC depends only on these fields of a view, and most devices share them, so the
/// encoded bytes are memoized (dumps of many links were dominated by re-encoding them).
type AfSpecKey = (u32, u32, u16, bool, [bool; 3], u8, [u8; 8]);

thread_local! {
    static AF_SPEC_CACHE: std::cell::RefCell<std::collections::HashMap<AfSpecKey, Vec<u8>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`encode_af_spec_with`], returned as pre-encoded bytes from a small per-thread cache.
pub fn encode_af_spec_cached(view: &LinkView, skip_stats: bool) -> LinkAttribute {
    use crate::wire::policy::tables::IFLA_AF_SPEC;
    use netlink_packet_core::Nla;
    let key = (
        view.flags,
        view.mtu,
        view.dev_type,
        skip_stats,
        [view.inet4, view.inet6, view.inet6_ready],
        view.inet6_addr_gen_mode,
        view.inet6_token,
    );
    let bytes = AF_SPEC_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(b) = c.get(&key) {
            return b.clone();
        }
        let attr = encode_af_spec_with(view, skip_stats);
        let mut b = vec![0u8; attr.value_len()];
        attr.emit_value(&mut b);
        // Bounded: the key space is small in practice, but clients choose MTUs.
        if c.len() >= 1024 {
            c.clear();
        }
        c.insert(key, b.clone());
        b
    });
    LinkAttribute::Other(DefaultNla::new(IFLA_AF_SPEC, bytes))
}
