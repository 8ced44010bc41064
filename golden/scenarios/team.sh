# origin: ../shared/kernel-transcripts/scenarios/team.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## team (no teamd): creation, enslave rules
ip link add team0 type team
ip -d link show dev team0
ip link set eth0 master team0   # TEAM-PORT-OPENS
ip -o link show dev eth0   # TEAM-PORT-OPENS
ip link set eth1 up
ip link set eth1 master team0   # TEAM-PORT-UP
ip link set team0 master team0   # TEAM-SELF
ip link set lo master team0   # TEAM-LO
ip link add team1 type team
ip link set team1 master team0   # TEAM-OF-TEAMS
ip -o link show dev team1   # TEAM-OF-TEAMS
ip link add nl0 type nlmon
ip link set nl0 master team0   # TEAM-NONETHER
ip link add br0 type bridge
ip link set eth2 master br0
ip link set eth2 master team0   # TEAM-MOVE
ip -o link show dev eth2
ip link set team0 up
ip -o link show dev team0
ip link set team0 master br0
ip link set eth2 master team1
ip link del team0   # TEAM-DEL
ip -o link show dev eth0   # TEAM-DEL
ip -o link show dev team1   # TEAM-DEL
