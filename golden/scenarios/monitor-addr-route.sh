# origin: new (issue 13 oracle). Notification order of "ip monitor all" (link, address, route, rule,
# neigh, nexthop, netconf) over address/route/rule/neigh/nexthop changes and sysctl writes, seen by
# ip monitor running in the background of the scenario shell. eth0's MAC is set so that its
# link-local is stable; router solicitations are off (their neighbour events come in wall time).
## setup (before the monitor starts)
ip link set eth0 address 02:00:00:00:00:e0
sysctl -w net.ipv6.conf.eth0.router_solicitations=0
ip link add dum0 address 02:00:00:00:00:d0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip -o monitor all > /tmp/monar.txt 2>&1 &
sleep 1
## eth0 up: link-local (tentative), prefix and multicast routes; DAD done within the sleep
ip link set eth0 up
sleep 3
## IPv4 address add/del (primary, secondary), route add/del
ip addr add 10.0.0.1/24 dev dum0
ip addr add 10.0.0.2/24 dev dum0
ip addr del 10.0.0.2/24 dev dum0
ip route add 192.0.2.0/24 via 10.0.0.254
ip route replace 192.0.2.0/24 via 10.0.0.253
ip route del 192.0.2.0/24
## rule, neigh, nexthop
ip rule add from 10.1.0.0/16 table 100
ip rule del from 10.1.0.0/16 table 100
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev dum0
ip neigh del 10.0.0.5 dev dum0
ip nexthop add id 1 via 10.0.0.254 dev dum0
ip route add 192.0.3.0/24 nhid 1
ip nexthop del id 1
## netconf: sysctl writes
sysctl -w net.ipv4.conf.eth0.forwarding=1
sysctl -w net.ipv4.conf.all.rp_filter=1
sysctl -w net.ipv6.conf.dum0.forwarding=1
sysctl -w net.ipv4.ip_forward=0
## IPv6 address on dum0 (its MLD report creates a neighbour entry from a work item: sleep)
ip -6 addr add 2001:db8::1/64 dev dum0
sleep 1
## primary delete with promote_secondaries
sysctl -w net.ipv4.conf.dum0.promote_secondaries=1
ip addr add 10.0.0.3/24 dev dum0
ip addr del 10.0.0.1/24 dev dum0
## dum0 down and delete
ip link set dum0 down
ip link del dum0
sleep 1
kill $!
wait
cat /tmp/monar.txt
