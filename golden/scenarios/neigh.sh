# origin: new (issue 13 oracle). Neighbour entries (net/core/neighbour.c neigh_add/neigh_delete/
# neigh_get, arp/ndisc constructors): states, flags, proxy entries, errors, filters, flush on device
# down/delete, ntable. eth0/eth1 are netdevsim ports (ARP/ND), dum0 a dummy (NOARP). No traffic flows,
# so the states set here stay put for the few seconds of the scenario (base_reachable_time is raised
# so that REACHABLE cannot age into STALE on a slow machine) (no incomplete/delay/probe:
# their timers move them within seconds); the "ip -s" ages are masked. Dumps walk a hash table with a random
# seed: listings of several entries are piped through sort.
sysctl -w net.ipv4.neigh.eth0.base_reachable_time_ms=600000
sysctl -w net.ipv6.neigh.eth0.base_reachable_time_ms=600000
ip link set eth0 addrgenmode none
ip link set eth0 up
ip addr add 10.0.0.1/24 dev eth0
ip -6 addr add 2001:db8::1/64 dev eth0 nodad
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip addr add 10.1.0.1/24 dev dum0
ip addr add 10.2.0.1/24 dev eth1
## add in each state
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0
ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev eth0 nud reachable
ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev eth0 nud stale
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev eth0 nud noarp
ip neigh add 10.0.0.6 dev eth0 nud failed
ip neigh add 10.0.0.7 dev eth0 nud none
ip neigh add 10.0.0.9 dev eth0
ip -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:12 dev eth0 router
ip -6 neigh add fe80::2 lladdr 02:00:00:00:00:13 dev eth0 nud reachable
ip neigh show dev eth0 | sort
ip -6 neigh show dev eth0 | sort
ip -j neigh show 10.0.0.4 dev eth0
ip -s neigh show 10.0.0.3 dev eth0 | sed 's|used [0-9]*/[0-9]*/[0-9]*|used N/N/N|'
## duplicates, replace, change
ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:22 dev eth0
ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:22 dev eth0 nud reachable
ip neigh show 10.0.0.2 dev eth0
ip neigh change 10.0.0.3 lladdr 02:00:00:00:00:33 dev eth0
ip neigh show 10.0.0.3 dev eth0
ip neigh change 10.0.0.99 lladdr 02:00:00:00:00:99 dev eth0
ip neigh replace 10.0.0.20 lladdr 02:00:00:00:00:20 dev eth0
ip neigh show 10.0.0.20 dev eth0
## errors: no device, unknown device, down device, NOARP device, wrong family, lladdr length, extern_learn
ip neigh add 10.0.0.30 lladdr 02:00:00:00:00:30
ip neigh add 10.0.0.30 lladdr 02:00:00:00:00:30 dev nosuch
ip neigh add 10.2.0.2 lladdr 02:00:00:00:00:30 dev eth1
ip neigh show dev eth1 | sort
ip neigh add 10.1.0.2 lladdr 02:00:00:00:00:31 dev dum0
ip neigh add 10.1.0.3 dev dum0
ip neigh show dev dum0 | sort
ip neigh add 10.0.0.31 lladdr 02:00:00:00:00:31:44 dev eth0
ip neigh add 10.0.0.32 lladdr 02:00:00:00:00:32 dev eth0 extern_learn
ip neigh add 10.0.0.33 lladdr 02:00:00:00:00:33 dev eth0 nud permanent extern_learn
ip neigh show 10.0.0.32 dev eth0
ip neigh add 192.0.2.1 lladdr 02:00:00:00:00:34 dev eth0
## proxy entries
ip neigh add proxy 10.0.0.40 dev eth0
ip neigh add proxy 10.0.0.40 dev eth0
ip -6 neigh add proxy 2001:db8::40 dev eth0
ip neigh add proxy 10.0.0.41
ip neigh show proxy | sort
ip -6 neigh show proxy | sort
ip neigh del proxy 10.0.0.40 dev eth0
ip neigh del proxy 10.0.0.40 dev eth0
## get
ip neigh get 10.0.0.2 dev eth0
ip neigh get 10.0.0.99 dev eth0
ip -6 neigh get 2001:db8::2 dev eth0
ip neigh get proxy 2001:db8::40 dev eth0
## filters
ip neigh show nud permanent | sort
ip neigh show nud stale | sort
ip neigh show nud failed | sort
ip neigh show nud all dev eth0 | sort
ip neigh show to 10.0.0.0/29 dev eth0 | sort
## delete
ip neigh del 10.0.0.2 dev eth0
ip neigh del 10.0.0.2 dev eth0
ip neigh del 10.0.0.4
ip -6 neigh del fe80::2 dev eth0
## flush
ip neigh flush dev eth0 nud stale
ip neigh show dev eth0 | sort
ip neigh flush dev eth0
ip neigh show dev eth0 | sort
ip neigh show nud all dev eth0 | sort
## device down / delete flush the device's entries, permanent ones included
ip neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev eth0 nud permanent
ip neigh add 10.0.0.51 lladdr 02:00:00:00:00:51 dev eth0 nud stale
ip neigh add 10.1.0.50 lladdr 02:00:00:00:00:50 dev dum0 nud permanent
ip link set eth0 down
ip neigh show nud all dev eth0 | sort
ip link del dum0
ip neigh show nud all | sort
## neighbour tables
ip ntable show name arp_cache dev eth0 | sed 's/ reachable [0-9]*//'
ip ntable change name arp_cache dev eth0 queue 8
ip ntable show name arp_cache dev eth0 | sed 's/ reachable [0-9]*//'
ip ntable change name arp_cache dev nosuch queue 8
