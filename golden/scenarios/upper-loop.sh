# origin: issue 11's fuzz findings (fuzz_rtnl), measured on the oracle: master links that would
# make a loop (__netdev_upper_dev_link), and altnames and names the netlink string rules cut.
## bond over a bridge over the same bond: the second link would be a loop
ip link add bond0 type bond
ip link add br0 type bridge
ip link set br0 master bond0
ip link set bond0 master br0
ip -o link show dev bond0
ip -o link show dev br0
## a vrf enslaving a bridge that is its own port's master
ip link add vrf0 type vrf table 10
ip link add br1 type bridge
ip link set br1 master vrf0
ip link set vrf0 master br1
ip -o link show dev vrf0
## team over a bond over the team
ip link add team0 type team
ip link add bond1 type bond
ip link set team0 master bond1
ip link set bond1 master team0
ip -o link show dev bond1
## a bond's port made the bond's master
ip link add bond2 type bond
ip link add bond3 type bond
ip link set bond3 master bond2
ip link set bond2 master bond3
ip -o link show dev bond2
bridge link show
## raw names (nlraw, golden/oracle/nlraw.c)
## IFLA_IFNAME "b\x0fz\0d0": nla_strscpy stops at the NUL (the device is "b\x0fz")
nlraw 3c000000100005060100000000000000000000000000000000000000000000000b000300620f7a0064300000100012000a00010064756d6d79000000
ip -o link show
ip link add d0 type dummy
## an empty altname (a lone NUL byte): NLA_STRING takes it, netdev_name_node_alt_create too
nlraw 340000006c00050602000000000000000000000000000000000000000000000007000300643000000c0034800500350000000000
ip -o link show dev d0
