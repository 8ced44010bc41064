# Measures how far the oracle guest's clock moves per scenario command (research, not a
# cross-check scenario): /proc/uptime around 40 commands of the kinds scenarios run, and
# how many commands after `ip link set eth1 up` its link-local stays tentative.
cat /proc/uptime
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
ip -6 addr show dev eth0
ip link show dev eth0
ip route show table all
sysctl net.ipv4.ip_forward
cat /proc/uptime
ip link set eth1 up
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
ip -6 -o addr show dev eth1 tentative
cat /proc/uptime
