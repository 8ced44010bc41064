//! What the wire half of a link kind is made of (`struct rtnl_link_ops` minus the model): the
//! [`LinkKindWire`] each file in `rtnl/kinds/` exports and the contexts its decoders and
//! encoders get. A leaf, so that the kind files and the registry (`rtnl::kinds`) both use it
//! without naming each other.

use super::ctx::NsResolve;
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::Policy;
use crate::wire::raw::RawNla;
use kernel_model::{KindData, KindInfo, LinkRequest, PortData, PortInfo};
use netlink_packet_core::{NlaBuffer, Parseable};
use netlink_packet_route::link::{InfoData, InfoPortData};

/// Decodes a link request nested in an attribute (an ifinfomsg then IFLA_* attributes,
/// `rtnl_nla_parse_ifinfomsg`); `rtnl::decode` provides it, so no kind file names decode.
pub type DecodePeerFn =
    fn(&[u8], &RawNla<'_>, NsResolve<'_>, Option<&Attrs<'_>>) -> Result<LinkRequest, DecodeError>;

/// What a kind decoder needs besides its attributes.
pub struct DecodeCtx<'a> {
    /// IFLA_NET_NS_PID / IFLA_NET_NS_FD of nested link messages (VETH_INFO_PEER).
    pub resolve: NsResolve<'a>,
    /// The link-message decoder behind [`DecodeCtx::decode_peer`].
    pub decode_peer_fn: DecodePeerFn,
    /// The peer's `tb[]` as the handler's policy check parsed it, with the offset of the
    /// nest it came from (VETH_INFO_PEER), so the decoder does not walk it again.
    pub peer: Option<(usize, &'a Attrs<'a>)>,
}

impl DecodeCtx<'_> {
    /// The peer device's request nested in `nest` of `msg` (VETH_INFO_PEER and the like:
    /// `veth_newlink`'s `rtnl_nla_parse_ifinfomsg`), decoded as a link request of its own.
    pub fn decode_peer(&self, msg: &[u8], nest: &RawNla<'_>) -> Result<LinkRequest, DecodeError> {
        let parsed = self
            .peer
            .filter(|(offset, _)| *offset == nest.offset)
            .map(|(_, tb)| tb);
        (self.decode_peer_fn)(msg, nest, self.resolve, parsed)
    }
}

/// What a kind encoder needs besides the model's view.
pub struct FillCtx<'a> {
    /// IFLA_INFO_KIND of the device (macvlan and macvtap share a view).
    pub kind: &'a str,
}

pub type DecodeFn = fn(&Attrs<'_>, &DecodeCtx<'_>) -> Result<KindData, DecodeError>;
pub type DecodeSlaveFn = fn(&Attrs<'_>) -> Result<PortData, DecodeError>;
pub type FillFn = fn(&KindInfo, &FillCtx<'_>) -> Option<InfoData>;
pub type FillSlaveFn = fn(&PortInfo) -> Option<InfoPortData>;

/// One kind's netlink side (`rtnl_link_ops`: `kind`, `policy`/`maxtype`,
/// `slave_policy`/`slave_maxtype`, `fill_info`, `fill_slave_info`; `newlink` / `changelink`
/// / `slave_changelink` read what `decode` / `decode_slave` produce).
pub struct LinkKindWire {
    /// IFLA_INFO_KIND.
    pub kind: &'static str,
    /// `ops->policy` (IFLA_INFO_DATA), validated before anything else.
    pub policy: Option<&'static Policy>,
    /// `ops->maxtype` where the kind's policy is checked elsewhere (veth's peer).
    pub maxtype: u16,
    /// The IFLA_INFO_DATA attribute holding a peer's ifinfomsg + IFLA_* attributes (veth,
    /// vxcan, netkit), which the kind's `newlink` parses with `rtnl_nla_parse_ifinfomsg`
    /// against `ifla_policy` and the request's extack.
    pub peer: Option<u16>,
    /// `ops->slave_policy` (IFLA_INFO_SLAVE_DATA of a port of this kind of master).
    pub slave_policy: Option<&'static Policy>,
    pub decode: Option<DecodeFn>,
    pub decode_slave: Option<DecodeSlaveFn>,
    /// `ops->fill_info`.
    pub fill: Option<FillFn>,
    /// `ops->fill_slave_info`.
    pub fill_slave: Option<FillSlaveFn>,
}

impl LinkKindWire {
    /// A kind with nothing on the wire (dummy, nlmon, ifb, ...): the base for the statics.
    pub const NONE: LinkKindWire = LinkKindWire {
        kind: "",
        policy: None,
        maxtype: 0,
        peer: None,
        slave_policy: None,
        decode: None,
        decode_slave: None,
        fill: None,
        fill_slave: None,
    };

    /// `maxtype` of IFLA_INFO_DATA: the policy's, else the declared one.
    pub fn data_maxtype(&self) -> u16 {
        self.policy.map_or(self.maxtype, Policy::max_type)
    }

    /// `slave_maxtype` of IFLA_INFO_SLAVE_DATA.
    pub fn slave_maxtype(&self) -> u16 {
        self.slave_policy.map_or(0, Policy::max_type)
    }
}

/// netlink-packet-route's typed reading of every attribute of a nest, one attribute at a
/// time, in request order (the kind decoders written against its types read this).
pub fn typed_in_order<T>(attrs: &Attrs<'_>) -> Result<Vec<T>, DecodeError>
where
    T: for<'b> Parseable<NlaBuffer<&'b [u8]>>,
{
    attrs
        .iter()
        .map(|nla| {
            let err = DecodeError { offset: nla.offset };
            let buf = NlaBuffer::new_checked(attrs.nla_bytes(&nla)).map_err(|_| err)?;
            T::parse(&buf).map_err(|_| err)
        })
        .collect()
}
