# A subscriber that stops reading: `ip monitor link` is stopped (SIGSTOP) while 1500 dummies are
# created, so RTNLGRP_LINK notifications overrun its receive buffer (netlink_broadcast_deliver ->
# netlink_overrun: dropped, sk_err = ENOBUFS); after SIGCONT its next recvmsg fails with ENOBUFS
# (rtnl_listen prints it and goes on), then it reads what was queued and later events.
#@env ORACLE_NETDEVSIM=
cat /proc/sys/net/core/rmem_max /proc/sys/net/core/rmem_default
ip monitor link >/tmp/mon.out 2>/tmp/mon.err & echo $! >/tmp/mon.pid
sleep 1
kill -STOP $(cat /tmp/mon.pid)
for i in $(seq 1 1500); do echo "link add d$i type dummy"; done >/tmp/batch
ip -batch /tmp/batch
kill -CONT $(cat /tmp/mon.pid)
sleep 3
ip link add last0 type dummy
sleep 2
kill $(cat /tmp/mon.pid)
cat /tmp/mon.err
grep -c '^[0-9]*: ' /tmp/mon.out
head -1 /tmp/mon.out | cut -d' ' -f1-2
grep '^[0-9]*: ' /tmp/mon.out | tail -2 | cut -d' ' -f1-2
