//! Interface names: `dev_valid_name` and the `%d` template allocation of `__dev_alloc_name`
//! (net/core/dev.c).

use crate::error::{err, KResult};
use crate::uapi::{errno, IFNAMSIZ};

/// `max_netdevices` in `__dev_alloc_name`: one page used as a bitmap.
const MAX_NETDEVICES: usize = 8 * 4096;

/// `dev_valid_name`: non-empty, shorter than IFNAMSIZ, not "." or "..", no '/', ':' or white
/// space (`isspace`).
pub fn dev_valid_name(name: &str) -> bool {
    if name.is_empty() || name.len() >= IFNAMSIZ || name == "." || name == ".." {
        return false;
    }
    !name.bytes().any(|c| {
        c == b'/' || c == b':' || matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
    })
}

/// A `printf`-style template with exactly one `%d` (anything else is EINVAL, as in
/// `__dev_alloc_name`).
pub struct NameTemplate<'a> {
    prefix: &'a str,
    suffix: &'a str,
}

impl<'a> NameTemplate<'a> {
    /// `None` if `name` has no '%' at all (a plain name).
    pub fn parse(name: &'a str) -> Option<KResult<Self>> {
        let p = name.find('%')?;
        let rest = &name[p + 1..];
        if !rest.starts_with('d') || rest[1..].contains('%') {
            return Some(err(errno::EINVAL));
        }
        Some(Ok(NameTemplate {
            prefix: &name[..p],
            suffix: &rest[1..],
        }))
    }

    /// The number `name` was made from, if `snprintf(template, i) == name` for some i in range
    /// (the kernel's sscanf + snprintf round trip).
    fn number_of(&self, name: &str) -> Option<usize> {
        let digits = name.strip_prefix(self.prefix)?.strip_suffix(self.suffix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        let i: usize = digits.parse().ok()?;
        (i < MAX_NETDEVICES).then_some(i)
    }

    /// `snprintf(res, IFNAMSIZ, template, i)`: truncated to IFNAMSIZ-1 bytes.
    pub fn format(&self, i: usize) -> String {
        let mut s = format!("{}{}{}", self.prefix, i, self.suffix);
        s.truncate(IFNAMSIZ - 1);
        s
    }

    /// `__dev_alloc_name`: the lowest number whose name no existing name (or altname) uses.
    pub fn alloc<'n>(&self, names_in_use: impl Iterator<Item = &'n str>) -> KResult<String> {
        let mut inuse = vec![false; MAX_NETDEVICES];
        for n in names_in_use {
            if let Some(i) = self.number_of(n) {
                inuse[i] = true;
            }
        }
        match inuse.iter().position(|used| !used) {
            Some(i) => Ok(self.format(i)),
            None => err(errno::ENFILE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        assert!(dev_valid_name("eth0"));
        assert!(dev_valid_name("abcdefghijklmno"));
        assert!(!dev_valid_name("abcdefghijklmnop"));
        for bad in ["", ".", "..", "a:b", "a/b", "a b"] {
            assert!(!dev_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn template_alloc_lowest_free() {
        let t = NameTemplate::parse("d%d").unwrap().unwrap();
        assert_eq!(
            t.alloc(["d0", "d1", "d3", "d01", "dx"].into_iter())
                .unwrap(),
            "d2"
        );
        assert!(NameTemplate::parse("x%dy%d").unwrap().is_err());
        assert!(NameTemplate::parse("x%s").unwrap().is_err());
        assert!(NameTemplate::parse("plain").is_none());
    }
}
