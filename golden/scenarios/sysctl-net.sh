# origin: new (issue 13 oracle). Per-netns and per-device IP sysctls (devinet_sysctl, addrconf_sysctl):
# reads, writes, invalid values, all/default inheritance for new devices, netconf dumps.
ip link add dum0 type dummy
## reads: global, all, default, a device
sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.eth0.forwarding
sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter net.ipv4.conf.eth0.rp_filter
sysctl net.ipv4.conf.eth0.arp_ignore net.ipv4.conf.eth0.promote_secondaries net.ipv4.conf.eth0.accept_redirects
sysctl net.ipv6.conf.eth0.forwarding net.ipv6.conf.eth0.disable_ipv6 net.ipv6.conf.eth0.accept_dad
sysctl net.ipv6.conf.eth0.keep_addr_on_down net.ipv6.conf.eth0.addr_gen_mode net.ipv6.conf.eth0.mtu
sysctl net.ipv6.conf.lo.mtu net.ipv6.conf.dum0.mtu net.ipv6.conf.eth0.dad_transmits net.ipv6.conf.eth0.hop_limit
sysctl net.ipv6.conf.all.accept_dad net.ipv6.conf.default.accept_dad net.ipv6.conf.lo.accept_dad net.ipv6.conf.dum0.accept_dad
sysctl net.ipv6.conf.eth0.stable_secret
sysctl net.ipv6.conf.default.stable_secret
cat /proc/sys/net/ipv4/conf/eth0/forwarding
## ip_forward toggles all.forwarding and every device's forwarding
sysctl -w net.ipv4.ip_forward=1
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.eth0.forwarding net.ipv4.conf.dum0.forwarding
sysctl -w net.ipv4.conf.all.forwarding=0
sysctl net.ipv4.ip_forward net.ipv4.conf.eth0.forwarding
sysctl -w net.ipv6.conf.all.forwarding=1
sysctl net.ipv6.conf.default.forwarding net.ipv6.conf.eth0.forwarding net.ipv6.conf.dum0.forwarding
sysctl -w net.ipv6.conf.all.forwarding=0
## per-device writes
sysctl -w net.ipv4.conf.eth0.forwarding=1
sysctl -w net.ipv4.conf.eth0.rp_filter=2
sysctl -w net.ipv4.conf.eth0.arp_ignore=1
sysctl -w net.ipv4.conf.eth0.promote_secondaries=1
sysctl -w net.ipv6.conf.eth0.forwarding=1
sysctl -w net.ipv6.conf.eth0.accept_dad=0
sysctl -w net.ipv6.conf.eth0.keep_addr_on_down=1
sysctl -w net.ipv6.conf.eth0.addr_gen_mode=1
ip -d link show dev eth0
sysctl -w net.ipv6.conf.eth0.mtu=1400
sysctl net.ipv6.conf.eth0.mtu
## invalid values
sysctl -w net.ipv6.conf.eth0.addr_gen_mode=9
sysctl -w net.ipv6.conf.eth0.addr_gen_mode=-1
sysctl -w net.ipv6.conf.eth0.mtu=100
sysctl -w net.ipv6.conf.eth0.mtu=1600
sysctl -w net.ipv6.conf.eth0.stable_secret=xyz
sysctl -w net.ipv6.conf.eth0.disable_ipv6=2
sysctl net.ipv6.conf.eth0.disable_ipv6
sysctl -w net.ipv4.conf.eth0.forwarding=5
sysctl net.ipv4.conf.eth0.forwarding
sysctl -w net.ipv4.conf.eth0.arp_ignore=99
sysctl -w net.ipv4.ip_forward=abc
sysctl -w net.ipv4.conf.nosuch.forwarding=1
## default vs all: default is copied into new devices and into existing devices whose value was never
## written; all.addr_gen_mode is pushed to every device and to default
sysctl -w net.ipv4.conf.default.rp_filter=2
sysctl -w net.ipv4.conf.default.arp_ignore=2
sysctl -w net.ipv4.conf.all.arp_ignore=1
sysctl -w net.ipv6.conf.default.accept_dad=2
sysctl -w net.ipv6.conf.default.addr_gen_mode=1
sysctl -w net.ipv6.conf.default.keep_addr_on_down=1
sysctl -w net.ipv6.conf.all.keep_addr_on_down=1
sysctl -w net.ipv6.conf.all.addr_gen_mode=1
ip link add dum1 type dummy
sysctl net.ipv4.conf.dum1.rp_filter net.ipv4.conf.dum1.arp_ignore net.ipv6.conf.dum1.accept_dad net.ipv6.conf.dum1.addr_gen_mode net.ipv6.conf.dum1.keep_addr_on_down
sysctl net.ipv4.conf.dum0.rp_filter net.ipv6.conf.dum0.addr_gen_mode net.ipv6.conf.dum0.keep_addr_on_down
ip -d link show dev dum1
## a new netns: IPv4 copies init_net's current defaults (devconf_inherit_init_net=0), IPv6 does not
ip netns add ns1
sysctl net.core.devconf_inherit_init_net
ip netns exec ns1 sysctl net.ipv4.ip_forward net.ipv4.conf.default.rp_filter net.ipv4.conf.all.arp_ignore net.ipv6.conf.default.addr_gen_mode net.ipv6.conf.default.keep_addr_on_down net.ipv6.conf.lo.mtu
## writing a device's addr_gen_mode (re)generates its link-local at once, even while the device is down
sysctl -w net.ipv6.conf.eth2.addr_gen_mode=0
ip -6 addr show dev eth2
ip link set eth2 up
## netconf
ip netconf show dev eth0
ip -6 netconf show dev eth0
ip netconf show dev dum1
ip -6 netconf show dev lo
ip netconf show dev nosuch
ip -j netconf show dev eth0
ip netconf show
ip -6 netconf show
