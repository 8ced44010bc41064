//! The IPv6 interface token (`ip token`, RFC 7217's predecessor for SLAAC interface ids):
//! `inet6_set_iftoken` (net/ipv6/addrconf.c) behind IFLA_AF_SPEC { AF_INET6 {
//! IFLA_INET6_TOKEN } }.
//!
//! Only the low 64 bits are kept (`memcpy(idev->token.s6_addr + 8, token->s6_addr + 8, 8)`);
//! the token lives with the inet6_dev and goes with it (`ipv6_add_dev` starts from zero).
//! Addresses made from the token come only from router advertisements (`tokenized`), which
//! nlsim never receives, so the lifetime reset and `addrconf_verify_rtnl` find nothing to do.

use crate::device::DevId;
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff};
use std::net::Ipv6Addr;

impl Kernel {
    /// `idev->token` of a device with an inet6_dev (:: otherwise).
    pub fn inet6_token(&self, id: DevId) -> Ipv6Addr {
        let inet = &self.dev(id).inet;
        if !inet.in6 {
            return Ipv6Addr::UNSPECIFIED;
        }
        let mut b = [0u8; 16];
        b[8..].copy_from_slice(&inet.token);
        Ipv6Addr::from(b)
    }

    /// `inet6_validate_link_af` (from `validate_linkmsg`): a device without an inet6_dev
    /// refuses IFLA_AF_SPEC AF_INET6 before its attributes are looked at.
    pub(crate) fn inet6_validate_link_af(&self, id: DevId) -> KResult<()> {
        if !self.dev(id).inet.in6 {
            return Err(KernelError::new(errno::EAFNOSUPPORT));
        }
        Ok(())
    }

    /// `inet6_set_iftoken`: the checks in the kernel's order, then the low 64 bits stored and
    /// the AF_INET6 link notification.
    pub(crate) fn inet6_set_iftoken(&mut self, id: DevId, token: [u8; 16]) -> KResult<()> {
        // inet6_set_link_af: __in6_dev_get(dev) or -EAFNOSUPPORT.
        self.inet6_validate_link_af(id)?;
        let flags = self.dev(id).flags;
        if flags & iff::LOOPBACK != 0 {
            return Err(KernelError::new(errno::EINVAL).msg("ipv6: Device is loopback"));
        }
        if flags & iff::NOARP != 0 {
            return Err(
                KernelError::new(errno::EINVAL).msg("ipv6: Device does not do neighbour discovery")
            );
        }
        if !self.ipv6_accept_ra(id) {
            return Err(KernelError::new(errno::EINVAL)
                .msg("ipv6: Router advertisement is disabled on device"));
        }
        use crate::devconf::Ipv6Conf as K;
        // NL_SET_ERR_MSG (no module prefix) for this one.
        if self.in6_dev_conf(id, K::RtrSolicits) == 0 {
            return Err(
                KernelError::new(errno::EINVAL).msg("Router solicitation is disabled on device")
            );
        }
        let mut low = [0u8; 8];
        low.copy_from_slice(&token[8..]);
        self.dev_mut(id).inet.token = low;
        // A non-zero token on a ready device with a usable link-local sends a router
        // solicitation (`ndisc_send_rs`, IF_RS_SENT): nlsim sends no packets and keeps
        // IFLA_INET6_FLAGS as the model has them (see `devconf`'s IF_RS_SENT).
        self.inet6_ifinfo_notify(id);
        Ok(())
    }

    /// `ipv6_accept_ra`: with forwarding on, only the hybrid mode accept_ra=2 accepts.
    fn ipv6_accept_ra(&self, id: DevId) -> bool {
        use crate::devconf::Ipv6Conf as K;
        let accept_ra = self.in6_dev_conf(id, K::AcceptRa);
        if self.in6_dev_conf(id, K::Forwarding) != 0 {
            accept_ra == 2
        } else {
            accept_ra != 0
        }
    }
}
