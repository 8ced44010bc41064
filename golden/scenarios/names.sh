# origin: ../shared/kernel-transcripts/scenarios/dummy-nlmon-names.sh (command lines copied; eth0..eth2
# are netdevsim ports here, not dummies) + a last section (netdevsim) that is new.
## dummy / nlmon basics; name, address, index and mtu validation at creation
ip link add d0 type dummy
ip -d link show dev d0
ip link set d0 up   # DUMMY-STATE
ip -o link show dev d0   # DUMMY-STATE OPER-UNKNOWN
ip link add nl0 type nlmon   # NLMON-CREATE
ip -d link show dev nl0   # NLMON-CREATE
ip link set nl0 up
ip -o link show dev nl0   # NLMON-CREATE OPER-UNKNOWN
ip link set nl0 address 02:00:00:00:00:01   # NLMON-MAC
ip link set nl0 mtu 100
ip addr add 192.0.2.1/24 dev nl0   # NLMON-ADDR
ip link add d1 address 00:00:00:00:00:00 type dummy   # CREATE-MAC-INVALID
ip link add d2 address 01:00:00:00:00:01 type dummy   # CREATE-MAC-INVALID
ip link add d3 address 02:00:00:00:00:01 type dummy
## options placed AFTER "type dummy" are silently ignored by iproute2 6.1 (dummy has no option parser)
ip link add d3b type dummy address 02:00:00:00:00:02 mtu 1000   # IPROUTE2-OPTS-AFTER-TYPE
ip -o link show dev d3b   # IPROUTE2-OPTS-AFTER-TYPE
ip link add d4 mtu 67 type dummy   # DUMMY-MTU-ANY
ip link add d5 mtu 68 type dummy   # DUMMY-MTU-ANY
ip link add d6 mtu 65535 type dummy   # DUMMY-MTU-ANY
ip link add d7 mtu 65536 type dummy   # DUMMY-MTU-ANY
ip -o link show dev d7   # DUMMY-MTU-ANY
ip link add lo type dummy   # NAME-EXISTS
ip link add eth0 type dummy   # NAME-EXISTS
ip link add a/b type dummy   # NAME-INVALID-U
ip link add a:b type dummy   # NAME-INVALID-K
ip link add "a b" type dummy   # NAME-INVALID-U
ip link add . type dummy   # NAME-INVALID-K
ip link add .. type dummy   # NAME-INVALID-K
ip link add 0123456789abcde type dummy   # NAME-LEN
ip link add 0123456789abcdef type dummy   # NAME-LEN
ip link add d%d type dummy   # NAME-PATTERN
ip link add d%d type dummy   # NAME-PATTERN
ip link add x%dy%d type dummy   # NAME-INVALID-K
ip link add d20 index 100 type dummy   # INDEX-REQ
ip link add d21 index 100 type dummy   # INDEX-REQ
ip link add d22 index -1 type dummy
ip link add d23 numtxqueues 0 type dummy   # TXQ-ZERO
ip link add d24 numtxqueues 4 numrxqueues 2 type dummy
ip link add d25 txqueuelen 0 type dummy
ip link add d26 group 5 type dummy
ip link add d27 type dummy
ip link add d27 type dummy   # NAME-EXISTS
ip link add d27 type bridge   # NAME-EXISTS
ip link add d28 type nosuchkind   # KIND-UNKNOWN
ip link add type dummy   # NAME-PATTERN
ip -br link show
## netdevsim: the name "eth%d" pattern continues after the netdevsim ports; a netdevsim name clash
ip link add eth%d type dummy
ip link add eth1 type bridge   # NAME-EXISTS
ip -d link show dev d24
ip -d link show dev d25
ip -d link show dev d26
ip -br link show
