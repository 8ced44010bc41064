//! nlsim: the netlink side of the simulator. `wire` holds byte formats the netlink crates do
//! not cover, `rtnl` turns requests into `kernel-model` operations and model state into
//! replies, `socket` keeps per-socket state, `server` owns the model and serves connections,
//! `control` is the protocol for what is not netlink bytes, `api` the in-process entry point.
pub mod api;
pub mod bench;
pub mod capture;
pub mod control;
pub mod crosscheck;
pub mod netns_ref;
pub mod rcvbuf;
pub mod rtnl;
pub mod server;
pub mod soak;
pub mod socket;
pub mod trace;
pub mod unix_socket;
pub mod wire;

pub use api::{Sim, SimBuilder, SimSocket};
pub use kernel_model;
