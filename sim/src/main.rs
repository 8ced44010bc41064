//! The `nlsim` command line.

use clap::{Parser, Subcommand};
use nlsim::control::{ControlReply, ControlRequest};
use nlsim::unix_socket::ControlClient;
use std::io::{self, Write};
use std::path::PathBuf;

mod clock_cmd;
mod daemon_socket;
mod model_args;
mod run;

use model_args::{builder, ModelArgs};

#[derive(Parser)]
#[command(
    name = "nlsim",
    version,
    about = "A userspace simulator of Linux rtnetlink (NETLINK_ROUTE)"
)]
struct Cli {
    /// More logging (-v: debug, -vv: trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    cmd: Command,
}

/// What `nlsim bench` measures besides the link figures.
#[derive(Subcommand)]
enum BenchWhat {
    /// The IPv4 FIB at scale: N routes via one gateway loaded through RTM_NEWROUTE, then
    /// dumped; time per route and resident bytes per route (build with --release).
    Routes {
        #[arg(long, default_value_t = 100_000)]
        routes: usize,
        /// Fresh processes to run (the median is reported, with min and max).
        #[arg(long, default_value_t = 5)]
        reps: usize,
        /// Internal: one run of N routes in this fresh process.
        #[arg(long, hide = true)]
        child: Option<usize>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve a simulator on a unix socket (created mode 0600).
    Daemon {
        #[arg(long)]
        socket: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
        /// Write what an up nlmon device captures to FILE (pcap, LINKTYPE_NETLINK).
        #[arg(long, value_name = "FILE")]
        capture: Option<PathBuf>,
    },
    /// Measure the core engine: round trip vs a bare SEQPACKET echo, bulk create and dump,
    /// memory per link (build with --release).
    Bench {
        #[command(subcommand)]
        what: Option<BenchWhat>,
        /// Links to create for the bulk figures.
        #[arg(long, default_value_t = 100_000)]
        links: usize,
        /// Repetitions per figure (the median is reported).
        #[arg(long, default_value_t = 5)]
        reps: usize,
        /// Internal: measure resident memory for N links in this fresh process.
        #[arg(long, hide = true)]
        memory_child: Option<usize>,
        /// Internal: measure a never-reading client's cost (KIND:N) in this fresh process.
        #[arg(long, hide = true)]
        backlog_child: Option<String>,
    },
    /// Soak a daemon: CLIENTS concurrent clients x OPS mixed link operations (creates,
    /// deletes, enslaves, moves between namespaces, dumps) with a fast and a slow subscriber;
    /// checks the model's invariants after every batch and the notifications against a final
    /// dump, and reports throughput and the daemon's memory (build with --release).
    Soak {
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 10_000)]
        ops: usize,
        /// Operations per client between two invariant checks.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Compare nlsim with the real-kernel transcripts: every scenario of golden/scenarios run
    /// under `nlsim run --netdevsim 1:3` with the oracle's runner, command by command.
    Crosscheck {
        /// Scenario files (default: golden/scenarios/*.sh).
        scenarios: Vec<PathBuf>,
        /// Where the kernel transcripts are.
        #[arg(long, default_value = "golden/kernel/6.12")]
        kernel_dir: PathBuf,
        /// Known gaps: fail on a difference not listed, and on a listed item that now matches.
        #[arg(long)]
        gaps: Option<PathBuf>,
        /// Write the current differences as a known-gaps file.
        #[arg(long)]
        write_gaps: Option<PathBuf>,
        /// Machine-readable summary.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Keep nlsim's raw transcripts in this directory.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// The simulators' clock: `manual` (deterministic; the runner's `sleep`s advance it)
        /// or `real`.
        #[arg(long, value_enum, default_value_t = nlsim::api::ClockMode::Manual)]
        clock: nlsim::api::ClockMode,
    },
    /// Print the model's state as JSON: a running daemon's (--connect) or a fresh one's.
    Dump {
        #[arg(long)]
        connect: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Run CMD (and its descendants) with their NETLINK_ROUTE sockets served by a simulator:
    /// `nlsim run [--netdevsim 1:2] [--state FILE | --connect PATH] -- CMD ARGS...`.
    /// Exits with CMD's status (128+N if killed by signal N).
    Run(run::RunArgs),
    /// The simulator's clock: `show`, or `advance DURATION` (timers falling due fire in
    /// order), on a running daemon (--connect PATH) or a state file (--state FILE).
    Clock {
        #[command(subcommand)]
        op: clock_cmd::ClockOp,
    },
}

fn main() {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        // netlink-packet-route warns about values the kernel judges itself (an unknown VLAN
        // protocol or macvlan mode in a request): not for the client's stderr.
        .unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(format!("{level},netlink_packet_route=error"))
        });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .init();
    let r = match cli.cmd {
        Command::Daemon {
            socket,
            model,
            capture,
        } => daemon_socket::listen(&socket).and_then(|l| {
            let mut b = builder(&model);
            if let Some(path) = capture {
                b = b.capture(path);
            }
            b.serve(l)
        }),
        Command::Bench {
            what:
                Some(BenchWhat::Routes {
                    routes,
                    reps,
                    child,
                }),
            ..
        } => match child {
            Some(n) => nlsim::bench::routes::child(n),
            None => nlsim::bench::routes::run(routes, reps),
        },
        Command::Bench {
            what: None,
            links,
            reps,
            memory_child,
            backlog_child,
        } => match (memory_child, backlog_child) {
            (Some(n), _) => nlsim::bench::memory_child(n),
            (None, Some(spec)) => nlsim::bench::backlog_child(&spec),
            (None, None) => nlsim::bench::run(&nlsim::bench::BenchOpts { links, reps }),
        },
        Command::Soak {
            clients,
            ops,
            batch,
            seed,
        } => nlsim::soak::run(&nlsim::soak::SoakOpts {
            clients,
            ops,
            batch,
            seed,
        }),
        Command::Crosscheck {
            scenarios,
            kernel_dir,
            gaps,
            write_gaps,
            json,
            keep,
            clock,
        } => (|| {
            let mut scenarios = scenarios;
            if scenarios.is_empty() {
                for e in std::fs::read_dir("golden/scenarios")? {
                    let p = e?.path();
                    if p.extension().is_some_and(|x| x == "sh") {
                        scenarios.push(p);
                    }
                }
                scenarios.sort();
            }
            let paths = nlsim::crosscheck::Paths {
                root: std::env::current_dir()?,
                nlsim: std::env::current_exe()?,
            };
            let has_gaps = gaps.is_some();
            let opts = nlsim::crosscheck::Options {
                scenarios,
                kernel_dir,
                gaps,
                write_gaps,
                json,
                keep_dir: keep,
                clock,
            };
            let report = nlsim::crosscheck::run(&paths, &opts)?;
            if has_gaps && (!report.unexpected.is_empty() || !report.fixed.is_empty()) {
                for u in &report.unexpected {
                    eprintln!("differs and is not a known gap: {u}");
                }
                for f in &report.fixed {
                    eprintln!("known gap now matches (remove it from the list): {f}");
                }
                return Err(io::Error::other(
                    "cross-check does not match the known gaps",
                ));
            }
            Ok(())
        })(),
        Command::Dump { connect, model } => (|| {
            let state = match connect {
                Some(path) => match ControlClient::open(&path, None)
                    .and_then(|c| c.request(&ControlRequest::DumpState))
                    .map_err(|e| {
                        io::Error::new(e.kind(), format!("daemon at {}: {e}", path.display()))
                    })? {
                    ControlReply::State { state } => state,
                    other => return Err(io::Error::other(format!("{other:?}"))),
                },
                None => builder(&model).start()?.dump_state()?,
            };
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &state)?;
            writeln!(out)
        })(),
        Command::Clock { op } => clock_cmd::run(op),
        Command::Run(args) => match run::run(args) {
            Ok(code) => std::process::exit(code),
            Err(e) => {
                eprintln!("nlsim: {e}");
                std::process::exit(1);
            }
        },
    };
    if let Err(e) = r {
        eprintln!("nlsim: {e}");
        std::process::exit(1);
    }
}
