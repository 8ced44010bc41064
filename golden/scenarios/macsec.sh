# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the macsec kind
# (drivers/net/macsec.c: macsec_validate_attr, macsec_newlink, macsec_changelink, macsec_change_mtu,
# macsec_notify); the link commands of the kernel selftest tools/testing/selftests/net/rtnetlink.sh
# (kci_test_macsec, kci_test_macsec_offload: the oracle's NICs are netdevsim ports, which implement
# MACsec offload) are included. Transcript golden/kernel/6.12/macsec.txt from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="macsec gcm ghash_generic"
## explicit lower MACs: the SCI is made of the macsec device's MAC, inherited from its lower
ip link set eth0 address 02:00:00:00:0e:00 && ip link set eth1 address 02:00:00:00:0e:01 && ip link set eth2 address 02:00:00:00:0e:02
## create (selftest kci_test_macsec), details, defaults
ip link add link eth0 test_macsec0 type macsec port 42 encrypt on
ip -d link show dev test_macsec0
ip link del dev test_macsec0
ip link add link eth0 macsec0 type macsec
ip -d link show dev macsec0
## the same SCI on the same lower
ip link add link eth0 macsec1 type macsec
ip link add link eth0 macsec1 type macsec port 2
ip link add link eth0 macsec2 type macsec sci 0102030405060708
ip link add link eth0 macsec3 type macsec sci 0102030405060708
ip link add link eth0 macsec3 type macsec address 02:00:00:00:00:01 port 1
ip -d link show dev macsec3
## options and their validation
ip link add link eth1 ms1 type macsec port 11 cipher gcm-aes-256 icvlen 16 encrypt on send_sci on end_station off scb off protect on replay on window 32 validate check encodingsa 3 offload off
ip -d link show dev ms1
ip link add link eth1 ms2 type macsec port 12 cipher gcm-aes-xpn-128
ip -d link show dev ms2
ip link add link eth1 ms3 type macsec port 13 icvlen 7
ip link add link eth1 ms3 type macsec port 13 icvlen 8
ip -o link show dev ms3
ip link add link eth1 ms4 type macsec port 14 end_station on scb on
ip link add link eth1 ms4 type macsec port 14 send_sci on end_station on
ip link add link eth1 ms4 type macsec sci 0102030405060709 send_sci off
ip link add link eth1 ms4 type macsec port 14 replay on
ip link add link eth1 ms4 type macsec port 14 end_station on
ip -d link show dev ms4
ip link add ms5 type macsec port 15
ip link add link lo ms5 type macsec port 15
ip link add link ms1 ms5 type macsec port 15
ip link add link eth2 ms6 type macsec port 16 offload phy
## changelink: SCI/port/cipher/icvlen fixed, the rest changeable
ip link set macsec0 type macsec encrypt on
ip link set macsec0 type macsec encrypt off validate disabled protect off send_sci on
ip -d link show dev macsec0
ip link set macsec0 type macsec port 5
ip link set macsec0 type macsec cipher gcm-aes-256
## MTU follows the lower; MAC address
ip -o link show dev macsec0
ip link set macsec0 mtu 1469
ip link set macsec0 mtu 1468
ip link set eth0 mtu 9000
ip -o link show dev macsec0
ip link set eth0 mtu 1400
ip -o link show dev macsec0
ip link set macsec0 address 02:00:00:00:00:02
ip link set macsec0 address 01:00:00:00:00:02
ip -d link show dev macsec0
## up/down and the lower's state
ip link set macsec0 up
ip -o link show dev macsec0
ip link set eth0 up
ip -o link show dev macsec0
## offload (selftest kci_test_macsec_offload): at most 3 offloaded SecYs per netdevsim port
ip link set eth2 up
ip link add link eth2 kci_macsec1 type macsec port 4 offload mac
ip link add link eth2 kci_macsec2 type macsec address aa:bb:cc:dd:ee:ff port 5 offload mac
ip link add link eth2 kci_macsec3 type macsec sci abbacdde01020304 offload mac
ip link add link eth2 kci_macsec4 type macsec port 8 offload mac
ip -d link show dev kci_macsec1
## deleting the lower deletes the macsec devices; netns move
ip link add va address 02:00:00:00:0a:0a type veth peer name vb
ip link add link va msv type macsec
ip netns add ns1
ip link set msv netns ns1
ip -n ns1 -d link show dev msv
ip link del va
ip -n ns1 -br link
ip -br link
