//! `struct netlink_ext_ack` (include/linux/netlink.h): what a handler or the attribute
//! validator leaves for the ACK. Data only; [`super::ack`] encodes it and
//! [`super::nlattr`] fills it, so neither needs the other.

use super::policy::{AttrPolicy, NlaType};

/// What NLMSGERR_ATTR_POLICY is built from: an entry of a static policy
/// table, like the kernel's `extack->policy` pointer.
pub type PolicyRef = &'static AttrPolicy;

/// What a handler put in `struct netlink_ext_ack`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtAck {
    /// `_msg`; sent with errors and, as a warning, with success ACKs.
    pub msg: Option<String>,
    /// `bad_attr`, as an offset from the start of the request's nlmsghdr.
    pub bad_attr_offset: Option<u32>,
    /// `policy`: the policy entry of the rejected attribute, pointing into
    /// one of the static tables (as the kernel's pointer does).
    pub policy: Option<PolicyRef>,
    /// `miss_type` (0 counts as unset, as in the kernel).
    pub miss_type: Option<u32>,
    /// `miss_nest`, as an offset from the start of the request's nlmsghdr.
    pub miss_nest_offset: Option<u32>,
    /// `cookie` (an empty one counts as unset).
    pub cookie: Option<Vec<u8>>,
}

impl ExtAck {
    /// NL_SET_ERR_MSG().
    pub fn msg(msg: &str) -> Self {
        ExtAck {
            msg: Some(msg.to_owned()),
            ..ExtAck::default()
        }
    }

    pub(crate) fn cookie_bytes(&self) -> Option<&[u8]> {
        self.cookie.as_deref().filter(|c| !c.is_empty())
    }

    pub(crate) fn miss_type_value(&self) -> Option<u32> {
        self.miss_type.filter(|&t| t != 0)
    }

    /// Whether netlink_ack_tlv_len() would be non-zero, i.e. whether the
    /// reply gets NLM_F_ACK_TLVS. The length counts an OFFS even when the
    /// fill later drops it as out of range, so the flag follows presence.
    pub(crate) fn has_tlvs(&self, err: i32) -> bool {
        if self.msg.is_some() || self.cookie_bytes().is_some() {
            return true;
        }
        // The rest is only reported with errors, not with warnings.
        err != 0
            && (self.bad_attr_offset.is_some()
                || self.policy.is_some_and(policy_estimate_nonzero)
                || self.miss_type_value().is_some()
                || self.miss_nest_offset.is_some())
    }
}

/// netlink_policy_dump_attr_size_estimate() is zero exactly for the types
/// the dump skips.
fn policy_estimate_nonzero(p: &AttrPolicy) -> bool {
    !matches!(
        p.kind,
        NlaType::Unspec | NlaType::Reject | NlaType::Be16 | NlaType::Be32
    )
}
