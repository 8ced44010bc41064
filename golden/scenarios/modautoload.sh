# origin: ../shared/kernel-transcripts/scenarios/modautoload.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## module auto-load (request_module) with DEFAULT module parameters and no stand-ins: side-effect devices
#@env ORACLE_PRELOAD=0
#@env ORACLE_NETDEVSIM=
#@env ORACLE_FB_TUNNELS=0
#@env ORACLE_MODPARAMS=0
ip -br link show
ip link add bond0 type bond   # MOD-BOND-AUTOLOAD
ip -br link show   # MOD-BOND-AUTOLOAD
ip link add bond1 type bond
ip link add dummy0 type dummy   # MOD-DUMMY-AUTOLOAD
ip -br link show   # MOD-DUMMY-AUTOLOAD
ip link add gre1 type gre remote 192.0.2.1   # MOD-GRE-FB
ip -br link show   # MOD-GRE-FB
ip link add ifb0 type ifb   # MOD-IFB-AUTOLOAD
ip -br link show   # MOD-IFB-AUTOLOAD
ip link add team0 type team   # MOD-TEAM
lsmod   # MOD-TEAM
