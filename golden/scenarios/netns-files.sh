# origin: written for nlsim (issue 18): what stat, statfs and readlink show of network namespace
# files (nsfs inodes, one per namespace; /run/netns a tmpfs directory); launcher/src/nsfs.rs.
## init_net: its nsfs inode through the /proc magic link
readlink /proc/self/ns/net
stat -L -c '%d %i %f %h %u %g %s' /proc/self/ns/net
stat -f -c '%t %s %S %b %f %a %c %d %l' /proc/self/ns/net
stat -f -L -c '%t' /proc/thread-self/ns/net
## named namespaces: one inode each, through every path
ip netns add a
ip netns add b
stat -c '%d %i %f %h %u %g %s' /run/netns/a
stat -L -c '%d %i' /var/run/netns/b
stat -f -c '%t %s %l' /run/netns/a
stat -f -c '%t' /run/netns
stat -c '%f' /run/netns
readlink /run/netns/a
ip netns exec a readlink /proc/self/ns/net
ip netns exec b sh -c 'stat -L -c "%d %i" /proc/$$/ns/net'
## identify and pids compare (st_dev, st_ino)
ip netns identify
ip netns exec b ip netns identify
ip netns pids a
## a freed namespace's inode number is the next one's (proc_alloc_inum: lowest free)
ip netns del a
ip netns add c
stat -c '%d %i' /run/netns/c
ip netns add d
stat -c '%d %i' /run/netns/d
ip netns list
