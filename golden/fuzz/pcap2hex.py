#!/usr/bin/env python3
"""pcap2hex.py CAPTURE.pcap: the datagrams sent TO the kernel (pkttype PACKET_KERNEL = 7 in the
cooked header of LINKTYPE_NETLINK, as `nlsim run --capture` writes it) as hex, one per line, in
order of first appearance, duplicates removed."""
import struct
import sys

data = open(sys.argv[1], "rb").read()
pos, seen = 24, set()
while pos + 16 <= len(data):
    _, _, incl, _ = struct.unpack_from("<IIII", data, pos)
    rec = data[pos + 16 : pos + 16 + incl]
    pos += 16 + incl
    if len(rec) < 16 or struct.unpack_from(">H", rec, 0)[0] != 7:
        continue
    dgram = rec[16:].hex() or "-"
    if dgram not in seen:
        seen.add(dgram)
        print(dgram)
