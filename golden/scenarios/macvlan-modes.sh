# origin: ../shared/kernel-transcripts/scenarios/macvlan-modes.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## macvlan: modes, passthru exclusivity, source mode, lower checks, macvlan-on-macvlan
ip link set eth0 address 02:00:00:00:00:0a
ip link add link eth0 name mv0 type macvlan   # MACVLAN-DEFAULT
ip -d link show dev mv0   # MACVLAN-DEFAULT
ip link add link eth0 name mv1 type macvlan mode bridge   # MACVLAN-MODES-MIX
ip link add link eth0 name mv2 type macvlan mode private   # MACVLAN-MODES-MIX
ip link add link eth0 name mv3 type macvlan mode vepa   # MACVLAN-MODES-MIX
ip link add link eth0 name mv4 type macvlan mode source   # MACVLAN-MODES-MIX
ip -d link show | grep -o 'macvlan mode [^ ]*'   # MACVLAN-MODES-MIX
ip link add link eth0 name mvp type macvlan mode passthru   # MACVLAN-PASSTHRU-EXCL
ip link add link eth1 name mvp1 type macvlan mode passthru
ip link add link eth1 name mvp2 type macvlan mode passthru   # MACVLAN-PASSTHRU-TWO
ip link add link eth1 name mvb type macvlan mode bridge   # MACVLAN-PASSTHRU-TWO
ip -o link show dev mvp1   # MACVLAN-PASSTHRU-MAC
ip -o link show dev eth1   # MACVLAN-PASSTHRU-MAC
ip link set mvp1 up
ip -o link show dev eth1
## macvlan on macvlan: attaches to the real lower device
ip link add link mv0 name mvmv type macvlan   # MACVLAN-ON-MACVLAN
ip -o link show dev mvmv   # MACVLAN-ON-MACVLAN
## lower checks
ip link add link lo name mvlo type macvlan   # MACVLAN-LO NONETHER
ip link add nl0 type nlmon
ip link add link nl0 name mvnl type macvlan   # MACVLAN-LO NONETHER
ip link add name mvnolink type macvlan   # MACVLAN-NOLINK
## change mode
ip link set mv0 type macvlan mode private   # MACVLAN-MODE-CHANGE
ip link set mv0 type macvlan mode passthru   # MACVLAN-MODE-CHANGE
ip link set mvp1 type macvlan mode bridge   # MACVLAN-MODE-CHANGE
ip -d link show dev mv0 | grep -o 'macvlan mode [^ ]*'
## source mode MAC list
ip link set mv4 type macvlan macaddr add 02:00:00:00:00:51   # MACVLAN-SOURCE-MACS
ip link set mv4 type macvlan macaddr add 02:00:00:00:00:52   # MACVLAN-SOURCE-MACS
ip link set mv1 type macvlan macaddr add 02:00:00:00:00:53   # MACVLAN-MACADDR-NONSOURCE
ip -d link show dev mv4   # MACVLAN-SOURCE-MACS
## MAC address clashes (checked when the device is opened / address set)
ip link add link eth0 name mvdup address 02:00:00:00:00:0a type macvlan   # MACVLAN-ADDR-LOWER
ip link set eth0 up   # MACVLAN-ADDR-LOWER
ip link set mvdup up   # MACVLAN-ADDR-LOWER
ip link set mv1 address 02:00:00:00:00:11   # MACVLAN-ADDR-DUP
ip link set mv2 address 02:00:00:00:00:11   # MACVLAN-ADDR-DUP
ip link set mv1 up   # MACVLAN-ADDR-DUP
ip link set mv2 up   # MACVLAN-ADDR-DUP
ip link set mv2 down   # MACVLAN-ADDR-DUP
ip link set mv2 address 02:00:00:00:00:11   # MACVLAN-ADDR-DUP
ip link set mv2 up   # MACVLAN-ADDR-DUP
