# origin: new (issue 13). AF_INET6 link messages: the RTM_GETLINK dump of family AF_INET6
# (inet6_dump_ifinfo: one message per device that has an inet6_dev; nlraw prints one line per
# message) and its doit (no PF_INET6 doit: rtnl_getlink answers), `ip token` (RTM_SETLINK with
# IFLA_AF_SPEC/AF_INET6/IFLA_INET6_TOKEN, inet6_set_iftoken: only the low 64 bits are kept; the
# loopback, NOARP, accept_ra and router_solicitations checks, in that order).
ip -6 link show
ip token list
nlraw 200000001200010301000000000000000a000000000000000000000000000000
nlraw 200000001200050002000000000000000a000000010000000000000000000000
ip token get dev eth0
ip token set ::1:2:3:4 dev eth0
ip token get dev eth0
ip token set 1:2:3:4:5:6:7:8 dev eth0
ip token get dev eth0
ip token list
ip token set ::5 dev lo
ip link add d0 type dummy
ip token set ::5 dev d0
nlraw 200000001200010303000000000000000a000000000000000000000000000000
sysctl -w net.ipv6.conf.eth1.accept_ra=0
ip token set ::5 dev eth1
sysctl -w net.ipv6.conf.eth1.accept_ra=2
sysctl -w net.ipv6.conf.eth1.forwarding=1
ip token set ::5 dev eth1
sysctl -w net.ipv6.conf.eth1.accept_ra=1
ip token set ::6 dev eth1
sysctl -w net.ipv6.conf.eth1.forwarding=0
sysctl -w net.ipv6.conf.eth1.router_solicitations=0
ip token set ::7 dev eth1
ip token get dev eth1
ip token del ::1:2:3:4 dev eth0
ip token get dev eth0
ip link set eth0 up
sleep 3
ip token set ::9 dev eth0
ip token list
ip link add br0 type bridge
ip token set ::a dev br0
ip token get dev br0
sysctl -w net.ipv6.conf.eth2.disable_ipv6=1
ip token set ::b dev eth2
ip token get dev eth2
ip link set eth2 mtu 1200
ip token set ::c dev eth2
ip token set ::d dev nosuch
nlraw 200000001200010304000000000000000a000000000000000000000000000000
ip -6 link show dev br0
