# Alternative interface names (RTM_NEWLINKPROP / RTM_DELLINKPROP, IFLA_PROP_LIST): add/del, the
# name namespace names and altnames share, lengths, validity, lookups by altname, renames,
# namespaces. eth0..eth2 are netdevsim ports.
## add, show, order of several altnames
ip link add d0 type dummy
ip link property add dev d0 altname a1
ip link property add dev d0 altname a0 altname a2
ip -d -o link show dev d0
ip -o link show dev a2
ip link property del dev d0 altname a0
ip -o link show dev d0
## clashes: names and altnames share one namespace
ip link property add dev eth0 altname a1
ip link property add dev eth0 altname d0
ip link property add dev d0 altname a1
ip link property add dev d0 altname d0
ip link add a2 type dummy
ip link set eth0 name a1
ip link set d0 name a1
## lengths and validity (altnames are not checked by dev_valid_name)
ip link property add dev d0 altname 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde
ip link property add dev d0 altname 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ip -o link show dev 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde
ip link property del dev d0 altname 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde
ip link property add dev d0 altname "a b"
ip link property add dev d0 altname x/y
ip link property add dev d0 altname x:y
ip link property add dev d0 altname .
ip -o link show dev d0
ip link property del dev d0 altname "a b"
ip link property del dev d0 altname x/y
ip link property del dev d0 altname x:y
ip link property del dev d0 altname .
## deleting: a missing altname, the primary name, another device's altname or name
ip link property del dev d0 altname nosuch
ip link property del dev d0 altname d0
ip link property add dev eth1 altname e1
ip link property del dev d0 altname e1
ip link property del dev d0 altname eth1
ip link property add dev nosuch altname zz
ip link property del dev nosuch altname zz
## lookups by altname: show, set, rename, master, delete
ip link set dev a1 up
ip -o link show dev d0
ip link set dev a1 mtu 1400
ip link set dev a1 name d9
ip -o link show dev a1
ip link add br0 type bridge
ip link property add dev br0 altname bridge0
ip link set dev d9 master bridge0
ip -o link show master br0
ip link set dev e1 name a2
ip link set dev eth1 name e1
ip link add dev a1 type dummy
ip link del dev a1
ip -o link show dev a2
ip link del dev bridge0
ip -br link show
## namespaces: altnames move with the device; a clash in the target refuses the move
ip netns add n1
ip link add dx type dummy
ip link property add dev dx altname ax
ip link set dx netns n1
ip -n n1 -o link show dev ax
ip link add name dy type dummy
ip link property add dev dy altname ax
ip -n n1 link set dx netns 1
ip -n n1 link property add dev dx altname ay
ip -n n1 link set dx netns 1
ip -o link show dev ay
