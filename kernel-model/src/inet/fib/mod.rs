//! The IPv4 FIB (net/ipv4/fib_*.c). `frontend.rs` holds the entry points the rest of the
//! model calls (the inetaddr and netdevice notifiers of fib_frontend.c).

pub mod frontend;
