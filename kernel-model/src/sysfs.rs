//! `/sys/class/net/<dev>/<attr>` reads (net/core/net-sysfs.c and the drivers' attribute groups):
//! the start of a sysfs view of the model. Only the attributes below are produced; every other
//! one is reported as not modelled by the caller.

use crate::device::NetnsId;
use crate::kernel::Kernel;
use crate::link_ops::Kind;

/// What reading one attribute file gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SysfsRead {
    /// The file's content.
    Text(String),
    /// No such device in the namespace: the directory does not exist (ENOENT).
    NoDevice,
    /// The device exists but the model does not produce this attribute.
    NotModelled,
}

/// `fmt_hex` ("%#x\n"): C prints 0 without the 0x prefix.
fn fmt_hex(v: u32) -> String {
    if v == 0 {
        "0\n".to_string()
    } else {
        format!("{v:#x}\n")
    }
}

/// The registered driver directory `/proc/net/<dir>` that `path` names, if any.
fn driver_proc_dir(path: &str) -> Option<&'static str> {
    let dir = path.strip_prefix("/proc/net/")?;
    Kind::all().find_map(|k| k.ops().proc_net_dir().filter(|d| *d == dir))
}

impl Kernel {
    /// The content of `/sys/class/net/<dev>/<attr>` in namespace `ns`.
    pub fn sysfs_read(&self, ns: NetnsId, dev: &str, attr: &str) -> SysfsRead {
        let Some(id) = self.dev_by_name(ns, dev) else {
            return SysfsRead::NoDevice;
        };
        // The directory is named after the device's name, not its altnames.
        let d = self.dev(id);
        if d.name != dev {
            return SysfsRead::NoDevice;
        }
        let text = match attr {
            // NETDEVICE_SHOW_RO(ifindex / type / addr_len / addr_assign_type / link_mode, fmt_dec)
            "ifindex" => format!("{}\n", d.ifindex),
            "type" => format!("{}\n", d.dev_type),
            "addr_len" => format!("{}\n", d.addr.len()),
            "addr_assign_type" => format!("{}\n", d.addr_assign_type),
            "link_mode" => format!("{}\n", d.link_mode),
            // NETDEVICE_SHOW_RW(mtu / tx_queue_len, fmt_dec), NETDEVICE_SHOW_RW(flags, fmt_hex)
            "mtu" => format!("{}\n", d.mtu),
            "tx_queue_len" => format!("{}\n", d.tx_queue_len),
            "flags" => fmt_hex(d.flags),
            // operstate_show: "down" whenever the device is not running.
            "operstate" => {
                const OPERSTATES: [&str; 7] = [
                    "unknown",
                    "notpresent",
                    "down",
                    "lowerlayerdown",
                    "testing",
                    "dormant",
                    "up",
                ];
                let op = d.reported_operstate() as usize;
                format!("{}\n", OPERSTATES.get(op).unwrap_or(&"unknown"))
            }
            // phys_port_name_show / phys_switch_id_show (netdevsim ports; other drivers fail
            // the read itself, which a file's content cannot express).
            "phys_port_name" | "phys_switch_id" => {
                let (port, switch, _) = d.kind.ops().phys_info(d);
                match (attr, port, switch) {
                    ("phys_port_name", Some(p), _) => format!("{p}\n"),
                    ("phys_switch_id", _, Some(sw)) => {
                        let hex: String = sw.iter().map(|b| format!("{b:02x}")).collect();
                        format!("{hex}\n")
                    }
                    _ => return SysfsRead::NotModelled,
                }
            }
            // This device's lines of /proc/net/dev_mcast, which the launcher joins in device
            // order (dev_mc_seq_show: "%-4d %-15s %-5d %-5d %*phN\n" per dev->mc entry: ifindex,
            // name, ha->refcount, ha->global_use, address).
            "/proc/net/dev_mcast" => {
                d.mc.iter()
                    .map(|e| {
                        let mut hex: String = e.addr.iter().map(|b| format!("{b:02x}")).collect();
                        // %*phN prints addr_len bytes of ha->addr (MAX_ADDR_LEN, zero-filled).
                        for _ in e.addr.len()..d.addr.len() {
                            hex.push_str("00");
                        }
                        hex.truncate(2 * d.addr.len());
                        format!(
                            "{:<4} {:<15} {:<5} {:<5} {hex}\n",
                            d.ifindex,
                            d.name,
                            e.refs,
                            u8::from(e.global)
                        )
                    })
                    .collect()
            }
            // /proc/net/<dir>/<dev> of a driver, routed here by the launcher
            // (/proc/net/bonding: bond_info_seq_show); other devices have no file there.
            a if driver_proc_dir(a).is_some() => {
                if d.kind.ops().proc_net_dir() != driver_proc_dir(a) {
                    return SysfsRead::NoDevice;
                }
                match d.kind.ops().proc_net_file(self, id) {
                    Some(t) => t,
                    None => return SysfsRead::NotModelled,
                }
            }
            // The driver's attribute groups (tun_attr_group, bonding_attr_group).
            a => match d.kind.ops().sysfs_attr(self, id, a) {
                Some(Some(t)) => t,
                _ => return SysfsRead::NotModelled,
            },
        };
        SysfsRead::Text(text)
    }
}
