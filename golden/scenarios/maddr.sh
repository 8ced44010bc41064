# origin: new (issue 13 oracle). Multicast and anycast memberships: `ip maddr` (it reads
# /proc/net/dev_mcast, igmp and igmp6), /proc/net/anycast6, the all-routers groups and the
# subnet-router anycast addresses IPv6 forwarding joins, `ip maddr add/del`, and the
# RTM_GETMULTICAST / RTM_GETANYCAST dumps (nlraw prints one line per message). eth0's MAC is
# fixed so that its groups are stable; router solicitations are off; addresses are nodad.
ip link set eth0 address 02:00:00:00:00:e0
sysctl -w net.ipv6.conf.eth0.router_solicitations=0
ip maddr show dev eth0
grep eth0 /proc/net/igmp6
ip link set eth0 up
sleep 3
ip maddr show dev eth0
ip -6 addr add 2001:db8::e0/64 dev eth0 nodad
ip -6 addr add 2001:db8:1::e0/64 dev eth0 nodad
ip -6 maddr show dev eth0
ip -4 maddr show dev eth0
grep eth0 /proc/net/igmp6
cat /proc/net/anycast6
## forwarding: ff01::2, ff02::2, ff05::2 and the subnet-router anycast of each non-tentative address
sysctl -w net.ipv6.conf.eth0.forwarding=1
ip -6 maddr show dev eth0
grep eth0 /proc/net/igmp6
cat /proc/net/anycast6
ip -6 route show table local dev eth0
ip -6 addr add 2001:db8:1::e1/64 dev eth0 nodad
ip -6 addr add 2001:db8:2::e0/127 dev eth0 nodad
cat /proc/net/anycast6
ip -6 addr del 2001:db8:1::e0/64 dev eth0
cat /proc/net/anycast6
grep eth0 /proc/net/igmp6
## IPv4 groups
ip addr add 192.0.2.1/24 dev eth0
ip addr add 224.1.1.1/32 dev eth0 autojoin
ip -4 maddr show dev eth0
cat /proc/net/igmp
## link-layer groups (SIOCADDMULTI / SIOCDELMULTI)
ip maddr add 01:00:5e:01:02:03 dev eth0
ip maddr add 33:33:00:00:01:02 dev eth0
ip maddr add 33:33:00:00:01:02 dev eth0
ip maddr show dev eth0
ip maddr del 33:33:00:00:01:02 dev eth0
ip maddr del 33:33:00:00:09:09 dev eth0
ip maddr show dev eth0
## RTM_GETMULTICAST / RTM_GETANYCAST dumps: AF_INET6, AF_INET, AF_UNSPEC
nlraw 180000003a00010301000000000000000a00000000000000
nlraw 180000003a00010301000000000000000200000000000000
nlraw 180000003a00010301000000000000000000000000000000
nlraw 180000003e00010301000000000000000a00000000000000
nlraw 180000003e00010301000000000000000200000000000000
## forwarding off, down, up
sysctl -w net.ipv6.conf.eth0.forwarding=0
cat /proc/net/anycast6
ip -6 maddr show dev eth0
ip link set eth0 down
ip maddr show dev eth0
grep eth0 /proc/net/igmp6
cat /proc/net/igmp
ip link set eth0 up
ip maddr show dev eth0
cat /proc/net/igmp
