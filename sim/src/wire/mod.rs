//! Netlink wire formats that netlink-packet-{core,route} do not cover:
//! raw request framing with offsets, extended ACKs, and attribute policy
//! validation. Behaviour follows Linux 6.12; the tests use bytes captured
//! from a 6.18 kernel, which behaves the same for everything tested here.
//!
//! # Modules
//!
//! - [`raw`]: views over client bytes, never panicking on them.
//!   - [`raw::split_messages`]`(buf) -> Messages` yields [`raw::RawMessage`]
//!     `{ header: NlHeader, bytes }` with netlink_rcv_skb() rules (stop when
//!     fewer than 16 bytes remain, `nlmsg_len < 16` or `nlmsg_len >` what
//!     remains; advance by NLMSG_ALIGN(nlmsg_len)).
//!   - [`raw::NlaIter`] walks attributes like nla_for_each_attr(), yielding
//!     [`raw::RawNla`] `{ kind, nested_flag, byteorder_flag, offset, value }`
//!     (offset from the start of the message) and reporting leftover bytes.
//!     [`raw::attrs`]`(msg, fixed_hdr_len)` gives the top level.
//!   - [`raw::find_attr`] / [`raw::find_attr_offset`]`(msg, fixed_hdr_len,
//!     path)` descend nests (last attribute of each type wins, as in `tb[]`),
//!     e.g. `[IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_BR_STP_STATE]`. These are for
//!     captures, tests and error locations; request handlers read [`attrs::Attrs`].
//! - [`extack`]: [`extack::ExtAck`], what a handler or the validator leaves in
//!   `struct netlink_ext_ack` (data only).
//! - [`ack`]: [`ack::encode_ack`]`(request, portid, err, extack, sock)` and
//!   [`ack::encode_done`]`(seq, portid, flags, err, extack, sock)` produce the
//!   kernel's NLMSG_ERROR and NLMSG_DONE bytes from an [`extack::ExtAck`] and the
//!   socket's [`ack::SockAckFlags`] (NETLINK_EXT_ACK, NETLINK_CAP_ACK).
//! - [`policy`]: `struct nla_policy` ([`policy::AttrPolicy`], [`policy::Policy`]) and
//!   its description in extended ACKs (net/netlink/policy.c); the tables in
//!   [`policy::tables`] (`ifla_policy`, `ifla_info_policy`, `br_policy`, ...).
//! - [`nlattr`]: lib/nlattr.c. A request is parsed once: the validator fills the
//!   `tb[]` table while it validates.
//!   - [`nlattr::parse`]`(msg, fixed_hdr_len, policy, mode)` is __nlmsg_parse();
//!     [`nlattr::parse_nest`] and [`attrs::Attrs::parse_nested`]`(type, policy, mode)`
//!     are nla_parse_nested*(); [`nlattr::parse_without_policy`] is a parse with a
//!     NULL policy. Each returns `Ok((Attrs, Validated { warning }))` (the kernel keeps
//!     "bytes leftover after parsing attributes" as a warning that the success ACK
//!     carries) or `Err(PolicyError { errno, extack })` whose extack holds the
//!     verbatim kernel message, the attribute offset and the policy entry (sent as
//!     NLMSGERR_ATTR_POLICY).
//!   - [`nlattr::ValidateMode`]: `Liberal` (the *_deprecated parsers),
//!     `DeprecatedStrict`, `Strict`; a policy's `strict_start_type` is
//!     honoured in all of them.
//!   - Link kinds: each kind's policy for IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA is
//!     in its `rtnl::kinds` entry, parsed with `parse_nested(.., ValidateMode::Liberal)`.
//! - [`attrs`]: [`attrs::Attrs`], the `tb[]` table the handlers read (last occurrence
//!   of a type wins, offsets kept for extack, typed getters; `first` for the handlers
//!   that use `nlmsg_find_attr`, `by_type` for their `for (i = 0; i <= MAX; i++)` loops).
//! - [`writer`]: [`writer::MsgWriter`], `nlmsg_put` / `nla_put_*` / `nla_nest_start` /
//!   `nlmsg_end` straight into an output buffer (no buffer per attribute or nest): the
//!   route and address encoders append every message of a dump to one `Vec`.
//! - [`consts`]: NLMSGERR_ATTR_*, NL_POLICY_TYPE_ATTR_*, NL_ATTR_TYPE_*,
//!   NLM_F_*, NETLINK_* socket options.
//!
//! # Which parse mode the link handlers use (net/core/rtnetlink.c, 6.12)
//!
//! | handler | top level | nests |
//! |---|---|---|
//! | rtnl_newlink, rtnl_setlink, rtnl_dellink | Liberal, `ifla_policy`, hdr 16 | LINKINFO Liberal without extack; INFO_DATA / SLAVE_DATA Liberal with extack |
//! | rtnl_getlink | Liberal, or DeprecatedStrict with NETLINK_GET_STRICT_CHK (after header checks) | – |
//! | rtnl_dump_ifinfo | Liberal (hdr 4 if the payload is shorter than `ifinfomsg`), or DeprecatedStrict with strict check | – |
//! | rtnl_newlinkprop / dellinkprop | Strict | – |
//! | br_setlink (AF_BRIDGE IFLA_PROTINFO) | – | Liberal `br_port_policy`, no extack |
//!
//! Errors found while parsing without an extack must be reported with the
//! errno only: drop `PolicyError::extack`.

pub mod ack;
pub mod attrs;
pub mod consts;
pub mod extack;
pub mod nlattr;
pub mod policy;
pub mod raw;
pub mod writer;

#[cfg(test)]
pub(crate) mod testvectors;

#[cfg(test)]
pub(crate) mod testutil {
    /// Decodes a hex string from a test vector.
    pub fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("test hex"))
            .collect()
    }
}
