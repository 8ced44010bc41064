//! Compiles the receive fast path's preload library (preload/nlsim_recv.c) with the system C
//! compiler; `src/preload.rs` embeds it.

use std::path::PathBuf;
use std::process::Command;

/// Where the library maps its trampoline page (and the table page after it): the same
/// constant as `preload::TRAMP_ADDR`, which checks it at compile time.
const TRAMP_ADDR: &str = "0x6e6c00000000UL";

fn main() {
    let src = "preload/nlsim_recv.c";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-env-changed=CC");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("nlsim_recv.so");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror"])
        .arg(format!("-DNLSIM_TRAMP_ADDR={TRAMP_ADDR}"))
        .arg("-o")
        .arg(&out)
        .arg(src)
        .arg("-ldl")
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("{cc} failed ({s}) compiling {src}"),
        Err(e) => panic!("nlsim-launcher needs a C compiler to build its preload library: install gcc (apt-get install gcc) or set CC ({cc}: {e})"),
    }
}
