# origin: new (issue 13 oracle). The loopback device of a fresh netns: addresses and routes before and
# after up, down again, deleting and re-adding 127.0.0.1/8 and ::1, extra addresses, MTU change.
ip netns add ns1
ip -n ns1 addr
ip -n ns1 route show table all
ip -n ns1 -6 route show table all
ip -n ns1 link set lo up
ip -n ns1 addr
ip -n ns1 route show table all
ip -n ns1 -6 route show table all
## down again: IPv4 kept, ::1 kept (lo keeps its addresses), routes withdrawn
ip -n ns1 link set lo down
ip -n ns1 addr
ip -n ns1 route show table all
ip -n ns1 -6 route show table all
ip -n ns1 link set lo up
ip -n ns1 addr show dev lo
ip -n ns1 -6 route show table all
## delete and re-add 127.0.0.1/8 and ::1
ip -n ns1 addr del 127.0.0.1/8 dev lo
ip -n ns1 addr show dev lo
ip -n ns1 route show table all
ip -n ns1 addr add 127.0.0.1/8 dev lo
ip -n ns1 addr show dev lo
ip -n ns1 route show table all
ip -n ns1 -6 addr del ::1/128 dev lo
ip -n ns1 -6 addr show dev lo
ip -n ns1 -6 route show table all
ip -n ns1 -6 addr add ::1/128 dev lo
ip -n ns1 -6 addr show dev lo
ip -n ns1 -6 route show table all
## extra addresses on lo
ip -n ns1 addr add 10.255.0.1/32 dev lo
ip -n ns1 addr add 127.0.0.2/8 dev lo
ip -n ns1 addr add 127.1.0.1/16 dev lo
ip -n ns1 -6 addr add 2001:db8::1/128 dev lo
ip -n ns1 -6 addr add 2001:db8:1::1/64 dev lo
ip -n ns1 addr show dev lo
ip -n ns1 route show table all
ip -n ns1 -6 route show table all
## lo MTU: below 1280 drops IPv6, below 68 drops IPv4; the defaults come back on the next up
ip -n ns1 link set lo mtu 1000
ip -n ns1 addr show dev lo
ip -n ns1 link set lo mtu 60
ip -n ns1 addr show dev lo
ip -n ns1 link set lo mtu 65536
ip -n ns1 addr show dev lo
ip -n ns1 route show table all
ip -n ns1 -6 route show table all
ip -n ns1 link set lo down
ip -n ns1 link set lo up
ip -n ns1 addr show dev lo
ip -n ns1 route show table all
## lo of init_net: down at boot
ip addr show dev lo
ip route show table local
ip link set lo up
ip addr show dev lo
ip route show table local
ip -6 route show table local
