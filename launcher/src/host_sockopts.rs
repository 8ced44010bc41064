//! Socket options of IP sockets that configure the host's network stack rather than the
//! socket: the netfilter tables (iptables-legacy, ip6tables, arptables, ebtables reach them
//! through `nf_setsockopt`/`nf_getsockopt` on any IPv4/IPv6 socket), IPVS, and the multicast
//! routing tables (`ip_mroute_setsockopt`). IP sockets are otherwise the host's (traffic), so
//! these are the calls through which a target could read or change the host's configuration.
//! nlsim models none of them: they are refused with EOPNOTSUPP and one `nlsim:` line.

/// `SOL_IP` (`IPPROTO_IP`) and `SOL_IPV6` (`IPPROTO_IPV6`).
const SOL_IP: i32 = 0;
const SOL_IPV6: i32 = 41;

/// `IPT_BASE_CTL` (uapi/linux/netfilter_ipv4/ip_tables.h); IP6T_* share the numbers on SOL_IPV6.
const XT_BASE_CTL: i32 = 64;
/// `ARPT_BASE_CTL` (uapi/linux/netfilter_arp/arp_tables.h).
const ARPT_BASE_CTL: i32 = 96;
/// `EBT_BASE_CTL` (uapi/linux/netfilter_bridge/ebtables.h).
const EBT_BASE_CTL: i32 = 128;
/// `MRT_BASE` / `MRT6_BASE` (uapi/linux/mroute.h, mroute6.h).
const MRT_BASE: i32 = 200;
/// `IP_VS_BASE_CTL` (uapi/linux/ip_vs.h: 64 + 1024 + 64).
const IP_VS_BASE_CTL: i32 = 64 + 1024 + 64;

/// The subsystem a `(level, optname)` pair configures on the host, if it is one of those.
pub(crate) fn host_config_sockopt(level: i32, optname: i32) -> Option<&'static str> {
    let v4 = level == SOL_IP;
    let v6 = level == SOL_IPV6;
    if !(v4 || v6) {
        return None;
    }
    match optname {
        // SET_REPLACE/ADD_COUNTERS, GET_INFO/ENTRIES/REVISION_MATCH/REVISION_TARGET.
        o if (XT_BASE_CTL..XT_BASE_CTL + 4).contains(&o) => Some(if v4 {
            "iptables (ip_tables sockopts)"
        } else {
            "ip6tables (ip6_tables sockopts)"
        }),
        o if v4 && (ARPT_BASE_CTL..ARPT_BASE_CTL + 4).contains(&o) => {
            Some("arptables (arp_tables sockopts)")
        }
        o if v4 && (EBT_BASE_CTL..EBT_BASE_CTL + 4).contains(&o) => {
            Some("ebtables (ebtables sockopts)")
        }
        // MRT_INIT .. MRT_FLUSH (v4), MRT6_INIT .. MRT6_FLUSH (v6).
        o if (MRT_BASE..MRT_BASE + 13).contains(&o) => Some("multicast routing (mroute sockopts)"),
        // IP_VS_SO_SET_* and IP_VS_SO_GET_* (do_ip_vs_set_ctl / do_ip_vs_get_ctl).
        o if v4 && (IP_VS_BASE_CTL..IP_VS_BASE_CTL + 16).contains(&o) => {
            Some("IPVS (ip_vs sockopts)")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::host_sockopts::host_config_sockopt;

    #[test]
    fn table_sockopts_are_host_configuration_socket_ones_are_not() {
        assert!(host_config_sockopt(0, 64).is_some()); // IPT_SO_SET_REPLACE / GET_INFO
        assert!(host_config_sockopt(41, 65).is_some()); // IP6T_SO_GET_ENTRIES
        assert!(host_config_sockopt(0, 128).is_some()); // EBT_SO_SET_ENTRIES
        assert!(host_config_sockopt(0, 200).is_some()); // MRT_INIT
        assert!(host_config_sockopt(41, 200).is_some()); // MRT6_INIT
        assert!(host_config_sockopt(0, 1152).is_some()); // IP_VS_SO_SET_NONE
        assert_eq!(host_config_sockopt(0, 80), None); // SO_ORIGINAL_DST: a socket's own NAT
        assert_eq!(host_config_sockopt(0, 1), None); // IP_TOS
        assert_eq!(host_config_sockopt(41, 26), None); // IPV6_V6ONLY
        assert_eq!(host_config_sockopt(1, 64), None); // SOL_SOCKET
        assert_eq!(host_config_sockopt(270, 64), None); // SOL_NETLINK
    }
}
