//! `nlsim clock show|advance DURATION (--connect PATH | --state FILE)`: the simulator's clock,
//! on a running daemon (or `nlsim run --listen`), or on a saved state (loaded, advanced with
//! its timers fired in order, saved back).

use crate::run::{load_state, save_state};
use nlsim::control::{ControlReply, ControlRequest};
use nlsim::kernel_model::time::{Nanos, NSEC_PER_SEC};
use nlsim::unix_socket::ControlClient;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum ClockOp {
    /// Print the model's time, its clock mode (a daemon's) and its pending timers.
    Show {
        #[command(flatten)]
        target: Target,
    },
    /// Move the model's time forward by DURATION (`3s`, `250ms`, `0.3`: seconds as `sleep`
    /// takes them; also `us`, `ns`, `m`, `h`, `d`): every timer that falls due fires in order and
    /// its notifications go out. On a real-time daemon, time jumps and runs on from there.
    Advance {
        #[arg(value_parser = parse_duration)]
        duration: Nanos,
        #[command(flatten)]
        target: Target,
    },
}

/// Which simulator: exactly one of them.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct Target {
    /// A running `nlsim daemon` (or `nlsim run --listen`) at PATH.
    #[arg(long, value_name = "PATH")]
    connect: Option<PathBuf>,
    /// A state file as `nlsim run --state` keeps it.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

/// What `show` prints, one `key value` per line; times in seconds since the simulated boot.
struct Shown {
    now: Nanos,
    mode: Option<&'static str>,
    timers: usize,
    next_timer: Option<Nanos>,
}

fn secs(t: Nanos) -> String {
    format!("{}.{:09}", t / NSEC_PER_SEC, t % NSEC_PER_SEC)
}

impl Shown {
    fn print(&self) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "now {}", secs(self.now))?;
        if let Some(m) = self.mode {
            writeln!(out, "mode {m}")?;
        }
        writeln!(out, "timers {}", self.timers)?;
        if let Some(t) = self.next_timer {
            writeln!(out, "next_timer {}", secs(t))?;
        }
        Ok(())
    }
}

pub fn run(op: ClockOp) -> io::Result<()> {
    let (target, advance) = match op {
        ClockOp::Show { target } => (target, None),
        ClockOp::Advance { duration, target } => (target, Some(duration)),
    };
    let shown = match (&target.connect, &target.state) {
        (Some(path), _) => on_daemon(path, advance)?,
        (None, Some(file)) => on_state_file(file, advance)?,
        (None, None) => return Err(io::Error::other("--connect PATH or --state FILE")),
    };
    shown.print()
}

fn on_daemon(path: &Path, advance: Option<Nanos>) -> io::Result<Shown> {
    let req = match advance {
        Some(nanos) => ControlRequest::ClockAdvance { nanos },
        None => ControlRequest::ClockShow,
    };
    let reply = ControlClient::open(path, None)
        .and_then(|c| c.request(&req))
        .map_err(|e| io::Error::new(e.kind(), format!("daemon at {}: {e}", path.display())))?;
    match reply {
        ControlReply::Clock {
            now,
            mode,
            next_timer,
            timers,
        } => Ok(Shown {
            now,
            mode: Some(match mode {
                nlsim::api::ClockMode::Real => "real",
                nlsim::api::ClockMode::Manual => "manual",
            }),
            timers,
            next_timer,
        }),
        ControlReply::Err { errno, msg } => Err(io::Error::other(format!(
            "daemon at {}: {}",
            path.display(),
            msg.unwrap_or_else(|| io::Error::from_raw_os_error(errno).to_string())
        ))),
        other => Err(io::Error::other(format!("unexpected reply {other:?}"))),
    }
}

fn on_state_file(file: &Path, advance: Option<Nanos>) -> io::Result<Shown> {
    let mut k = load_state(file).map_err(io::Error::other)?.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("state file {}: no such file", file.display()),
        )
    })?;
    if let Some(d) = advance {
        k.advance_by(d);
        // Nobody listens to a state file: the timers' notifications go nowhere.
        k.take_events();
        let state = serde_json::to_value(&k).map_err(io::Error::other)?;
        save_state(file, &state).map_err(io::Error::other)?;
    }
    Ok(Shown {
        now: k.now(),
        mode: None,
        timers: k.timers().count(),
        next_timer: k.next_timer(),
    })
}

/// `3s`, `250ms`, `1.5`, `2m`: a number (decimals allowed) and a unit (`ns`, `us`, `ms`, `s`,
/// `m`, `h`, `d`; none: seconds, as `sleep` reads it), exact to the nanosecond.
pub fn parse_duration(text: &str) -> Result<Nanos, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale: Nanos = match unit {
        "ns" => 1,
        "us" => 1_000,
        "ms" => 1_000_000,
        "" | "s" => NSEC_PER_SEC,
        "m" => 60 * NSEC_PER_SEC,
        "h" => 3600 * NSEC_PER_SEC,
        "d" => 86400 * NSEC_PER_SEC,
        _ => return Err(format!("unknown unit {unit:?} (ns, us, ms, s, m, h, d)")),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() {
        return Err(format!(
            "{text:?}: expected a number with a unit, as 3s or 250ms"
        ));
    }
    let too_long = || format!("{text:?}: too long");
    let whole: Nanos = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|e| format!("{text:?}: {e}"))?
    };
    let mut nanos = whole.checked_mul(scale).ok_or_else(too_long)?;
    // Each decimal digit is worth a tenth of the previous one; below a nanosecond it is cut.
    let mut place = scale;
    for d in frac.chars() {
        let digit = d
            .to_digit(10)
            .ok_or_else(|| format!("{text:?}: not a number"))?;
        place /= 10;
        nanos = nanos
            .checked_add(Nanos::from(digit) * place)
            .ok_or_else(too_long)?;
    }
    Ok(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_exactly() {
        assert_eq!(parse_duration("3s"), Ok(3_000_000_000));
        assert_eq!(parse_duration("0.3"), Ok(300_000_000));
        assert_eq!(parse_duration(".2"), Ok(200_000_000));
        assert_eq!(parse_duration("250ms"), Ok(250_000_000));
        assert_eq!(parse_duration("1.5m"), Ok(90_000_000_000));
        assert_eq!(parse_duration("7ns"), Ok(7));
        assert_eq!(parse_duration("1.0000000009"), Ok(1_000_000_000));
        assert_eq!(parse_duration("2h"), Ok(7_200_000_000_000));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("s").is_err());
        assert_eq!(parse_duration("1d"), Ok(86_400_000_000_000));
        assert!(parse_duration("3y").is_err());
        assert!(parse_duration("1.2.3").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }
}
