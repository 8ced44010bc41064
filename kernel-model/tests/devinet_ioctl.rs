//! `devinet_ioctl` (net/ipv4/devinet.c): ifconfig's address ioctls. Labels select the
//! address, SIOCSIFADDR makes a classful one, SIOCSIFNETMASK validates and re-inserts.

mod common;

use common::*;
use kernel_model::inet::devinet_ioctl::{cmd, InetIfreq, AF_INET};
use kernel_model::inet::ifaddr::ifa_f;
use kernel_model::inet::procfs::ProcNetFile;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkMsg, NetnsId};
use std::net::Ipv4Addr;

fn ifr(name: &str, addr: [u8; 4]) -> InetIfreq {
    InetIfreq {
        name: name.to_string(),
        family: AF_INET,
        addr: Ipv4Addr::from(addr),
        flags: AF_INET as i16,
    }
}

fn get(k: &mut Kernel, ns: NetnsId, c: u32, name: &str) -> Result<Ipv4Addr, i32> {
    match k.devinet_ioctl(ns, c, &ifr(name, [0; 4])) {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(0),
        Err(e) => Err(e.errno),
    }
}

fn set(k: &mut Kernel, ns: NetnsId, c: u32, name: &str, a: [u8; 4]) -> Result<(), i32> {
    k.devinet_ioctl(ns, c, &ifr(name, a))
        .map(|_| ())
        .map_err(|e| e.errno)
}

/// (label, local, prefixlen, broadcast, secondary) of a device's addresses.
fn addrs(k: &Kernel, ns: NetnsId, name: &str) -> Vec<(String, Ipv4Addr, u8, Ipv4Addr, bool)> {
    k.in_dev_addrs(dev(k, ns, name))
        .iter()
        .map(|a| {
            (
                a.label.clone(),
                a.local,
                a.prefixlen,
                a.broadcast,
                a.flags & ifa_f::SECONDARY != 0,
            )
        })
        .collect()
}

fn addr_events(k: &mut Kernel) -> Vec<(LinkMsg, bool)> {
    k.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Addr {
                msg, from_request, ..
            } => Some((msg, from_request)),
            _ => None,
        })
        .collect()
}

#[test]
fn set_addr_is_classful_and_labelled() {
    let mut k = boot();
    let ns = k.init_net();
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFADDR, "eth0"),
        Err(errno::EADDRNOTAVAIL)
    );
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [10, 1, 2, 3]).unwrap();
    // Announced without a requester (ioctls have no nlh).
    assert_eq!(addr_events(&mut k), vec![(LinkMsg::New, false)]);
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0:1", [172, 16, 0, 1]).unwrap();
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0:2", [192, 0, 2, 9]).unwrap();
    assert_eq!(
        addrs(&k, ns, "eth0"),
        vec![
            (
                "eth0".into(),
                [10, 1, 2, 3].into(),
                8,
                [10, 255, 255, 255].into(),
                false
            ),
            (
                "eth0:1".into(),
                [172, 16, 0, 1].into(),
                16,
                [172, 16, 255, 255].into(),
                false
            ),
            (
                "eth0:2".into(),
                [192, 0, 2, 9].into(),
                24,
                [192, 0, 2, 255].into(),
                false
            ),
        ]
    );
    let a = k.in_dev_addrs(dev(&k, ns, "eth0"))[0].clone();
    assert_ne!(a.flags & ifa_f::PERMANENT, 0);
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFADDR, "eth0:1"),
        Ok([172, 16, 0, 1].into())
    );
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFNETMASK, "eth0:2"),
        Ok([255, 255, 255, 0].into())
    );
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFBRDADDR, "eth0"),
        Ok([10, 255, 255, 255].into())
    );
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFDSTADDR, "eth0"),
        Ok([10, 1, 2, 3].into())
    );
    // A label nobody has; a device that does not exist.
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFADDR, "eth0:7"),
        Err(errno::EADDRNOTAVAIL)
    );
    assert_eq!(
        get(&mut k, ns, cmd::SIOCGIFADDR, "nope0"),
        Err(errno::ENODEV)
    );
    // Multicast is no class the kernel gives a length: EINVAL.
    assert_eq!(
        set(&mut k, ns, cmd::SIOCSIFADDR, "eth0:3", [224, 0, 0, 1]),
        Err(errno::EINVAL)
    );
    // gifconf: every address by label, in list order.
    let conf: Vec<String> = k
        .inet_gifconf(ns)
        .into_iter()
        .filter(|(l, _)| l.starts_with("eth0"))
        .map(|(l, a)| format!("{l} {a}"))
        .collect();
    assert_eq!(
        conf,
        vec!["eth0 10.1.2.3", "eth0:1 172.16.0.1", "eth0:2 192.0.2.9"]
    );
}

#[test]
fn replacing_and_netmask() {
    let mut k = boot();
    let ns = k.init_net();
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [192, 0, 2, 1]).unwrap();
    k.take_events();
    // The same address again: nothing happens.
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [192, 0, 2, 1]).unwrap();
    assert_eq!(addr_events(&mut k), vec![]);
    // Another: the old one deleted, the new one inserted (classful again).
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [10, 0, 0, 1]).unwrap();
    assert_eq!(
        addr_events(&mut k),
        vec![(LinkMsg::Del, false), (LinkMsg::New, false)]
    );
    assert_eq!(addrs(&k, ns, "eth0")[0].2, 8);
    // A mask with a hole: EINVAL; a good one re-inserts and moves the broadcast along.
    assert_eq!(
        set(&mut k, ns, cmd::SIOCSIFNETMASK, "eth0", [255, 0, 255, 0]),
        Err(errno::EINVAL)
    );
    set(&mut k, ns, cmd::SIOCSIFNETMASK, "eth0", [255, 255, 255, 0]).unwrap();
    assert_eq!(
        addrs(&k, ns, "eth0"),
        vec![(
            "eth0".into(),
            [10, 0, 0, 1].into(),
            24,
            [10, 0, 0, 255].into(),
            false
        )]
    );
    assert_eq!(
        addr_events(&mut k),
        vec![(LinkMsg::Del, false), (LinkMsg::New, false)]
    );
    // A broadcast of the user's own is kept by later netmask changes.
    set(&mut k, ns, cmd::SIOCSIFBRDADDR, "eth0", [10, 0, 0, 7]).unwrap();
    set(&mut k, ns, cmd::SIOCSIFNETMASK, "eth0", [255, 255, 0, 0]).unwrap();
    assert_eq!(addrs(&k, ns, "eth0")[0].3, Ipv4Addr::new(10, 0, 0, 7));
    // SET calls on a label without an address.
    assert_eq!(
        set(&mut k, ns, cmd::SIOCSIFNETMASK, "eth0:9", [255, 0, 0, 0]),
        Err(errno::EADDRNOTAVAIL)
    );
    // A family other than AF_INET.
    let mut r = ifr("eth0", [1, 2, 3, 4]);
    r.family = 10;
    assert_eq!(
        k.devinet_ioctl(ns, cmd::SIOCSIFADDR, &r)
            .map_err(|e| e.errno),
        Err(errno::EINVAL)
    );
    // 0.0.0.0 deletes the address (__inet_insert_ifa drops an address without a local).
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [0, 0, 0, 0]).unwrap();
    assert_eq!(addrs(&k, ns, "eth0"), vec![]);
}

#[test]
fn alias_down_deletes_only_it() {
    let mut k = boot();
    let ns = k.init_net();
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [192, 0, 2, 1]).unwrap();
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0:1", [192, 0, 2, 2]).unwrap();
    // Same classful subnet: a secondary.
    assert!(addrs(&k, ns, "eth0")[1].4);
    let mut r = ifr("eth0:1", [0; 4]);
    r.flags = 0;
    k.devinet_ioctl(ns, cmd::SIOCSIFFLAGS, &r).unwrap();
    assert_eq!(addrs(&k, ns, "eth0").len(), 1);
    // A label without an address.
    assert_eq!(
        k.devinet_ioctl(ns, cmd::SIOCSIFFLAGS, &r)
            .map_err(|e| e.errno),
        Err(errno::EADDRNOTAVAIL)
    );
    // Without a label: the device's flags.
    r.name = "eth0".into();
    r.flags = iff::UP as i16;
    k.devinet_ioctl(ns, cmd::SIOCSIFFLAGS, &r).unwrap();
    assert_ne!(k.dev(dev(&k, ns, "eth0")).flags & iff::UP, 0);
}

#[test]
fn proc_net_route_shows_the_main_table() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = ifr("eth0", [0; 4]);
    r.flags = iff::UP as i16;
    k.devinet_ioctl(ns, cmd::SIOCSIFFLAGS, &r).unwrap();
    set(&mut k, ns, cmd::SIOCSIFADDR, "eth0", [192, 0, 2, 1]).unwrap();
    let text = k.proc_net_read(ns, ProcNetFile::Route).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("Iface\tDestination\tGateway \tFlags\tRefCnt"));
    assert_eq!(lines[0].len(), 127);
    assert_eq!(
        lines[1].trim_end(),
        "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"
    );
    assert_eq!(lines[1].len(), 127);
    let arp = k.proc_net_read(ns, ProcNetFile::Arp).unwrap();
    assert!(arp.starts_with("IP address       HW type"));
}

#[test]
fn proc_net_inet6_files_for_loopback() {
    let mut k = boot();
    let ns = k.init_net();
    // No IPv6 route yet: each table's root shows fib6_null_entry.
    let null = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
    assert_eq!(
        k.proc_net_read(ns, ProcNetFile::Ipv6Route).unwrap(),
        format!("{null}{null}")
    );
    assert_eq!(k.proc_net_read(ns, ProcNetFile::IfInet6).unwrap(), "");
    // A fresh namespace has no IPv4 main table: not even the header.
    assert_eq!(k.proc_net_read(ns, ProcNetFile::Route).unwrap(), "");
    let mut r = ifr("lo", [0; 4]);
    r.flags = iff::UP as i16;
    k.devinet_ioctl(ns, cmd::SIOCSIFFLAGS, &r).unwrap();
    // if6_seq_show as a 6.x kernel prints ::1 (ifindex 1, /128, IFA_HOST, PERMANENT).
    assert_eq!(
        k.proc_net_read(ns, ProcNetFile::IfInet6).unwrap(),
        "00000000000000000000000000000001 01 80 10 80       lo\n"
    );
    // ::1's local route in table local, held by the address too (refcount 2).
    let v6 = k.proc_net_read(ns, ProcNetFile::Ipv6Route).unwrap();
    assert!(
        v6.contains(
            "00000000000000000000000000000001 80 00000000000000000000000000000000 00 \
00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n"
        ),
        "{v6}"
    );
    // lo's routes are all in table local: main shows only its header.
    let v4 = k.proc_net_read(ns, ProcNetFile::Route).unwrap();
    assert_eq!(v4.lines().count(), 1, "{v4}");
}
