# origin: written for nlsim's corpus (issue 6, tun/tap): ip tuntap through /dev/net/tun
# (drivers/net/tun.c: tun_set_iff, tun_net_initialize, tun_fill_info, tun_detach, tun_validate).
# uid/gid 4321/4322 are chosen to have no passwd/group entry on either side (ip prints names when
# getpwuid finds one).
## creation: persistent devices, detached after ip exits (no carrier)
ip -o monitor link > /tmp/mon.txt 2>&1 &
sleep 1
ip tuntap add dev tap1 mode tap   # TUN-CREATE-TAP
ip tuntap add dev tun1 mode tun   # TUN-CREATE-TUN
ip tuntap add mode tap   # TUN-NAME-TEMPLATE
ip tuntap add mode tun user 4321 group 4322   # TUN-OWNER
ip tuntap add dev tun2 mode tun multi_queue vnet_hdr pi   # TUN-MQ
ip tuntap add dev tap9 mode tap one_queue
ip tuntap show
ip -d link show dev tap1
ip -d link show dev tun1
ip -d link show dev tun0
ip -d link show dev tun2
ip -d link show dev tap9
ip link show
## attaching to an existing device: IFF_TUN_EXCL, type and multi_queue must match
ip tuntap add dev tap1 mode tap   # TUN-EXCL
ip tuntap add dev eth0 mode tap   # TUN-EXCL
ip tuntap del dev eth0 mode tap   # TUN-ATTACH-TYPE
ip tuntap del dev tap1 mode tun   # TUN-ATTACH-TYPE
ip tuntap del dev tun1 mode tap   # TUN-ATTACH-TYPE
ip tuntap del dev tun2 mode tun   # TUN-ATTACH-MQ
ip tuntap del dev tun2 mode tun multi_queue
## rtnetlink: no creation, deletion works, carrier needs a queue
ip link add foo type tun   # TUN-RTNL-CREATE
ip link add foo type tun mode tap
ip link set tap1 up
ip link show dev tap1   # TUN-NO-CARRIER
ip link set tap1 carrier on   # TUN-CARRIER
ip link set tap1 carrier off
ip link set tun1 mtu 65535   # TUN-MTU
ip link set tun1 mtu 65536
ip link set tun1 mtu 67
ip link set tap1 mtu 65521
ip link set tap1 mtu 65522
ip -d link show dev tun1
ip link set tun1 up
ip link show dev tun1
ip link del tun1
## attaching turns the carrier on; whether linkwatch runs before the next ioctl is timing, so the
## device is down when ip tuntap del attaches to it
ip link set tap1 down
ip tuntap del dev tap1 mode tap   # TUN-DEL
## del of a name that does not exist creates a non-persistent device, gone at close
ip tuntap del dev nosuch mode tap   # TUN-NONPERSIST
ip tuntap show
sleep 1
kill $!
wait
cat /tmp/mon.txt
