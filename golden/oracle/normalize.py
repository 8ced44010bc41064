#!/usr/bin/env python3
"""normalize.py SCENARIO.sh TRANSCRIPT.txt > normalized

Replaces what is random on the kernel side of an oracle transcript, so two boots of the same
scenario compare equal:
  * MAC addresses the scenario did not write itself (eth_hw_addr_random: netdevsim ports, bridge,
    veth, ...) -> <mac1>, <mac2>, ... in order of first appearance; the EUI-64 interface id derived
    from such a MAC inside IPv6 addresses -> <eui1>, ... ; 00:00:00:00:00:00, ff:ff:ff:ff:ff:ff and
    every MAC written in the scenario file are kept.
  * the random permanent address of ip6gre devices (`eth_random_addr` into a 16-byte perm_addr,
    printed as an IPv6 address such as "permaddr eaf4:9506:2fb9::") is taken as the MAC it is and
    numbered with the MACs.
  * link-local interface ids of addrconf_ifid_eui48 with a dev_id (ipvlan: MAC bytes 0-2, the
    dev_id, MAC bytes 3-5) of such a MAC -> <euiN-idD>.
  * netdevsim switch ids (random per netdevsim device) -> <switchid1>, ...
  * random veth names of the CNI plugins (bridge, ptp: ip.RandomVethName, "veth" + 8 random hex
    digits) -> <veth1>, ... in order of first appearance, unless the scenario file writes the name.
  * bridge timers, which run in wall time (gc_timer, hello_timer, ..._timer) -> <timer>.
  * KLOG| lines are dropped (the kernel log is informative: e.g. netdevsim's udp-tunnel offload
    messages come from a workqueue, their position varies).
  * the JSON arrays of the FINAL route sections are sorted (the kernel dumps IPv6 routes in address
    order, and link-local addresses derive from random MACs).
Everything else (ifindex, names, errors, exit codes, flags, MTUs, ...) is compared verbatim.
"""
import ipaddress
import json
import re
import sys

# 1-2 hex digits per group: iproute2 prints bridge ids unpadded ("8000.56:a:2f:52:c9:76")
MAC = re.compile(r"(?<![0-9a-fA-F:])([0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5})(?![0-9a-fA-F:])")
SWITCHID_TEXT = re.compile(r"(switchid )([0-9a-f]{8,})")
SWITCHID_JSON = re.compile(r'("phys_switch_id": ?")([0-9a-f]{8,})(")')
EUI = re.compile(r"(?<=:)([0-9a-f]{1,4}:[0-9a-f]{0,2}ff:fe[0-9a-f]{1,2}:[0-9a-f]{1,4})(?![0-9a-f:])")
PERMADDR6 = re.compile(r'(permaddr |"permaddr": ?")([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){1,7})')
DEVID_EUI = re.compile(r"(?<![0-9a-f:])fe80::([0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3})(?![0-9a-f:])")
RANDOM_VETH = re.compile(r"(?<![0-9A-Za-z_-])(veth[0-9a-f]{8})(?![0-9A-Za-z_-])")
TIMER_JSON = re.compile(r'("[a-z_]*_timer": ?)[0-9.]+')
TIMER_TEXT = re.compile(r"\b([a-z_]*_timer) +[0-9.]+")


def eui64(mac):
    b = [int(x, 16) for x in mac.split(":")]
    b = [b[0] ^ 0x02, b[1], b[2], 0xFF, 0xFE, b[3], b[4], b[5]]
    return ":".join("%x" % (b[i] << 8 | b[i + 1]) for i in range(0, 8, 2))


def permaddr6_as_mac(m):
    """ip6gre's perm_addr: 6 random bytes, 10 zero bytes, shown by inet_ntop."""
    try:
        b = ipaddress.IPv6Address(m.group(2)).packed
    except ValueError:
        return m.group(0)
    if any(b[6:]):
        return m.group(0)
    return m.group(1) + ":".join("%02x" % x for x in b[:6])


def numbered(seen, fmt, keep):
    """A re.sub callback: group 1 kept when keep(value), else its number by first appearance."""

    def token(m):
        value = m.group(1)
        if keep(value):
            return value
        if value not in seen:
            seen[value] = fmt % (len(seen) + 1)
        return seen[value]

    return token


def canon_mac(mac):
    return ":".join("%02x" % int(x, 16) for x in mac.split(":"))


def sort_final_routes(text):
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if line.startswith("=== FINAL ") and " route show" in line:
            block = []
            while i < len(lines) and not lines[i].startswith("==="):
                block.append(lines[i])
                i += 1
            body = "\n".join(block).strip()
            try:
                routes = json.loads(body)
                routes.sort(key=lambda r: json.dumps(r, sort_keys=True))
                out.append(json.dumps(routes, indent=4, sort_keys=True))
                out.append("")
            except ValueError:
                out.extend(block)
    return "\n".join(out)


def main():
    scenario, transcript = sys.argv[1], sys.argv[2]
    keep = {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"}
    keep.update(canon_mac(m) for m in MAC.findall(open(scenario).read().lower()))
    text = "".join(l for l in open(transcript) if not l.startswith("KLOG|"))

    macs, euis, switchids, veths = {}, {}, {}, {}

    def mac_token(m):
        mac = canon_mac(m.group(1))
        if mac in keep:
            return mac
        if mac not in macs:
            macs[mac] = "<mac%d>" % (len(macs) + 1)
            euis[eui64(mac)] = "<eui%d>" % len(macs)
        return macs[mac]

    def sw(m, n):
        sid = m.group(n)
        if sid not in switchids:
            switchids[sid] = "<switchid%d>" % (len(switchids) + 1)
        return switchids[sid]

    text = PERMADDR6.sub(permaddr6_as_mac, text)
    # first pass collects MACs in order of appearance, replacing them
    text = MAC.sub(mac_token, text)
    for iid, tok in euis.items():
        text = re.sub(r"(?<=[:])" + re.escape(iid) + r"(?![0-9a-f])", tok, text)
    # addrconf_ifid_eui48 with a dev_id (ipvlan slaves share their lower's MAC): MAC bytes 0-2,
    # the dev_id, MAC bytes 3-5, u/l bit unflipped -> <euiN-idD>
    by_bytes = {bytes(int(x, 16) for x in mac.split(":")): tok[1:-1] for mac, tok in macs.items()}

    def devid_token(m):
        try:
            iid = ipaddress.IPv6Address("::" + m.group(1)).packed[8:]
        except ValueError:
            return m.group(0)
        tok = by_bytes.get(iid[:3] + iid[5:])
        if tok is None or iid[3:5] == b"\xff\xfe":
            return m.group(0)
        return "<eui%s-id%d>" % (tok[3:], int.from_bytes(iid[3:5], "big"))

    text = DEVID_EUI.sub(lambda m: "fe80::" + devid_token(m), text)
    # EUI-64 ids of MACs that are no longer visible anywhere (a bridge's link-local keeps the random
    # MAC it had when it came up, before it took a port's MAC)
    kept_euis = {eui64(m) for m in keep}
    text = EUI.sub(numbered(euis, "<eui-x%d>", kept_euis.__contains__), text)
    # random veth names the scenario did not write
    text = RANDOM_VETH.sub(numbered(veths, "<veth%d>", open(scenario).read().__contains__), text)
    text = SWITCHID_TEXT.sub(lambda m: m.group(1) + sw(m, 2), text)
    text = SWITCHID_JSON.sub(lambda m: m.group(1) + sw(m, 2) + m.group(3), text)
    text = TIMER_JSON.sub(lambda m: m.group(1) + '"<timer>"', text)
    text = TIMER_TEXT.sub(lambda m: m.group(1) + " <timer>", text)
    text = sort_final_routes(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
