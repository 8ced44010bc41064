# origin: ../shared/kernel-transcripts/scenarios/addr.sh (command lines copied; eth0..eth2 are netdevsim
# ports here: they are not NOARP, so IPv6 addresses go through DAD (tentative) unlike on dummies).
## IPv4/IPv6 address basics: duplicates, secondaries, prefix routes, link-local, down behaviour
ip addr add 192.0.2.1/24 dev eth0
ip addr add 192.0.2.1/24 dev eth0   # ADDR4-DUP
ip addr add 192.0.2.1/16 dev eth0   # ADDR4-SAMEIP-OTHERPREFIX
ip addr add 192.0.2.2/24 dev eth0   # ADDR4-SECONDARY
ip addr add 192.0.2.1/24 dev eth1   # ADDR4-OTHER-DEV
ip addr show dev eth0   # ADDR4-SAMEIP-OTHERPREFIX ADDR4-SECONDARY
ip route show table all   # ADDR4-LOCAL-ROUTE-DOWN
ip link set eth0 up   # ADDR4-PREFIX-ROUTE
ip route show table main   # ADDR4-PREFIX-ROUTE
ip -6 addr show dev eth0
ip addr del 192.0.2.1/24 dev eth0   # ADDR4-DEL-PRIMARY
ip addr show dev eth0   # ADDR4-DEL-PRIMARY
ip addr add 192.0.2.1/24 dev eth0
ip addr add 192.0.2.3/24 dev eth0
ip addr del 192.0.2.3/24 dev eth0
ip addr show dev eth0
ip addr del 192.0.2.9/24 dev eth0   # ADDR4-DEL-MISSING
ip addr add 192.0.2.300/24 dev eth0   # ADDR-PARSE
ip addr add 192.0.2.5/33 dev eth0   # ADDR-PARSE
ip addr add 192.0.2.5/32 dev eth0   # ADDR4-ODD
ip addr add 10.0.0.1/8 dev lo   # ADDR4-ODD
ip addr add 127.0.0.2/8 dev eth0   # ADDR4-ODD
ip addr add 0.0.0.0/0 dev eth0   # ADDR4-ODD ADDR4-ZERO
ip addr add 224.0.0.5/24 dev eth0   # ADDR4-ODD
ip addr add 192.0.2.6/24 dev nosuchdev
## IPv6
ip -6 addr add 2001:db8::1/64 dev eth1   # ADDR6-DOWN-ADD
ip -6 addr add 2001:db8::1/64 dev eth1   # ADDR6-DUP
ip -6 addr add 2001:db8::1/64 dev eth2   # ADDR6-OTHER-DEV
ip -6 addr add 2001:db8::1/128 dev eth1   # ADDR6-DUP
ip -6 addr show dev eth1   # ADDR6-DOWN-ADD
ip link set eth1 up   # ADDR6-LL-UP
ip -6 addr show dev eth1   # ADDR6-LL-UP
ip -6 route show table main   # ADDR6-LL-UP
ip -6 addr add fe80::1/64 dev eth2
ip -6 addr add ff02::1/64 dev eth2   # ADDR6-MCAST
ip -6 addr add ::1/128 dev eth2   # ADDR6-LOOPBACK
## going down: IPv6 addresses are flushed (keep_addr_on_down=0), IPv4 kept
ip link set eth1 down   # ADDR6-FLUSH-DOWN
ip addr show dev eth1   # ADDR6-FLUSH-DOWN
sysctl net.ipv6.conf.eth1.keep_addr_on_down net.ipv4.conf.all.promote_secondaries net.ipv6.conf.default.addr_gen_mode
## promote_secondaries
sysctl -w net.ipv4.conf.eth0.promote_secondaries=1   # ADDR4-PROMOTE
ip addr add 192.0.2.7/24 dev eth0   # ADDR4-PROMOTE
ip addr del 192.0.2.1/24 dev eth0   # ADDR4-PROMOTE
ip addr show dev eth0   # ADDR4-PROMOTE
## addr_gen_mode none -> no link-local; NOARP devices do no DAD
ip link set eth2 addrgenmode none   # ADDR6-GENMODE-NONE
ip link set eth2 up   # ADDR6-GENMODE-NONE
ip -6 addr show dev eth2   # ADDR6-GENMODE-NONE
ip addr flush dev eth0   # ADDR-FLUSH
ip addr show dev eth0   # ADDR-FLUSH
