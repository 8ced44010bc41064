//! [`ControlRequest::Sysctl`](crate::control::ControlRequest::Sysctl): the launcher's
//! `/proc/sys/net` operations on the model (`kernel_model::sysctl_net`).

use crate::control::{SysctlAnswer, SysctlEntry, SysctlRequest};
use kernel_model::sysctl_net::SysctlNode;
use kernel_model::{KResult, Kernel, NetnsId};

fn entry(name: String, node: SysctlNode) -> SysctlEntry {
    match node {
        SysctlNode::Dir => SysctlEntry {
            name,
            dir: true,
            mode: 0o555,
        },
        SysctlNode::File { mode } => SysctlEntry {
            name,
            dir: false,
            mode,
        },
    }
}

/// One sysctl operation in namespace `ns`.
pub(super) fn handle(
    kernel: &mut Kernel,
    ns: NetnsId,
    req: SysctlRequest,
) -> KResult<SysctlAnswer> {
    Ok(match req {
        SysctlRequest::Stat { path } => SysctlAnswer::Entries {
            entries: vec![entry(String::new(), kernel.sysctl_lookup(ns, &path)?)],
        },
        SysctlRequest::List { path } => SysctlAnswer::Entries {
            entries: kernel
                .sysctl_list(ns, &path)?
                .into_iter()
                .map(|(name, node)| entry(name, node))
                .collect(),
        },
        SysctlRequest::Read { path } => SysctlAnswer::Text {
            text: kernel.sysctl_read(ns, &path)?,
        },
        SysctlRequest::OpenWrite { path } => {
            kernel.sysctl_may_write(ns, &path)?;
            SysctlAnswer::Done
        }
        SysctlRequest::Write { path, data, pos } => SysctlAnswer::Count {
            count: kernel.sysctl_write(ns, &path, &data, pos)? as u64,
        },
    })
}
