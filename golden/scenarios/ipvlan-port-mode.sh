# origin: ../shared/kernel-transcripts/scenarios/ipvlan-port-mode.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## ipvlan: mode and flags are per lower device (port), not per ipvlan device
ip link add link eth0 name ipa type ipvlan mode l2 bridge
ip -d link show dev ipa | grep -o 'ipvlan .*mode [a-z0-9]* [a-z]*'
ip link add link eth0 name ipb type ipvlan mode l3 private   # IPVLAN-MODE-PER-PORT
ip -d link show dev ipa | grep -o 'ipvlan .*mode [a-z0-9]* [a-z]*'   # IPVLAN-MODE-PER-PORT
ip -d link show dev ipb | grep -o 'ipvlan .*mode [a-z0-9]* [a-z]*'   # IPVLAN-MODE-PER-PORT
ip -o link show dev ipa   # IPVLAN-MODE-PER-PORT IPVLAN-NOARP-QUIRK
ip -o link show dev ipb   # IPVLAN-MODE-PER-PORT IPVLAN-NOARP-QUIRK
ip link set ipa type ipvlan mode l3s   # IPVLAN-MODE-PER-PORT
ip -d link show dev ipb | grep -o 'ipvlan .*mode [a-z0-9]* [a-z]*'   # IPVLAN-MODE-PER-PORT
ip link set ipa type ipvlan mode l2
ip -o link show dev ipa
ip -o link show dev ipb
ip -d -j link show dev ipa
ip -d -j link show dev ipb
