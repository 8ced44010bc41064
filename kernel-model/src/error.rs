//! Errors as the kernel returns them: an errno, and the extended-ACK message and attribute that
//! `NL_SET_ERR_MSG*` would have attached.

use std::borrow::Cow;
use std::fmt;

/// A path of attribute numbers from the top of the request down to the offending attribute,
/// e.g. `[IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_BR_STP_STATE]`. The netlink side turns it into
/// NLMSGERR_ATTR_OFFS; the model never sees bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct AttrPath(pub Vec<u16>);

impl AttrPath {
    pub fn top(kind: u16) -> Self {
        AttrPath(vec![kind])
    }
    pub fn nested(path: &[u16]) -> Self {
        AttrPath(path.to_vec())
    }
    /// IFLA_LINKINFO / IFLA_INFO_DATA / `attr`: a kind's own attribute.
    pub fn info_data(attr: u16) -> Self {
        AttrPath(vec![
            crate::uapi::ifla::LINKINFO,
            crate::uapi::ifla::INFO_DATA,
            attr,
        ])
    }
}

/// A failed kernel operation: `-errno`, plus what the kernel's extack would carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KernelError {
    /// Positive errno (`EINVAL`, ...).
    pub errno: i32,
    /// The extack message (NLMSGERR_ATTR_MSG), verbatim, without a trailing NUL.
    pub msg: Option<Cow<'static, str>>,
    /// The attribute the extack points at (NLMSGERR_ATTR_OFFS).
    pub attr: Option<AttrPath>,
}

impl KernelError {
    pub fn new(errno: i32) -> Self {
        KernelError {
            errno,
            msg: None,
            attr: None,
        }
    }
    /// `NL_SET_ERR_MSG(extack, msg)`.
    pub fn msg(mut self, msg: impl Into<Cow<'static, str>>) -> Self {
        self.msg = Some(msg.into());
        self
    }
    /// `NL_SET_BAD_ATTR(extack, attr)`.
    pub fn attr(mut self, path: AttrPath) -> Self {
        self.attr = Some(path);
        self
    }
    /// Something nlsim does not model: refused loudly, never silently accepted.
    pub fn not_modelled(what: impl fmt::Display) -> Self {
        KernelError::new(crate::uapi::errno::EOPNOTSUPP).msg(format!("nlsim: {what} not modelled"))
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errno {}", self.errno)?;
        if let Some(m) = &self.msg {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

pub type KResult<T> = Result<T, KernelError>;

/// Shorthand for `Err(KernelError::new(errno))`.
pub fn err<T>(errno: i32) -> KResult<T> {
    Err(KernelError::new(errno))
}
