//! The model options every command that starts a simulator takes (`--seed`, `--netdevsim`,
//! `--clock`).

use nlsim::api::ClockMode;
use nlsim::SimBuilder;

#[derive(clap::Args, Clone)]
pub struct ModelArgs {
    /// Seed for every random value (MAC addresses, port ids).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// netdevsim device ID with PORTS ports at start (`ID:PORTS`, repeatable): eth0, eth1, ...
    #[arg(long, value_parser = parse_nsim)]
    pub netdevsim: Vec<(u32, u32)>,
    /// How the model's time moves: `real` follows the host's clock from the start (DAD and
    /// lifetimes run on their own, as in the kernel); `manual` moves only by
    /// `nlsim clock advance` (deterministic). A loaded state resumes at its saved time.
    #[arg(long, value_enum, default_value_t = ClockMode::Real)]
    pub clock: ClockMode,
}

fn parse_nsim(s: &str) -> Result<(u32, u32), String> {
    let (id, ports) = s.split_once(':').ok_or("expected ID:PORTS")?;
    Ok((
        id.parse().map_err(|e| format!("ID: {e}"))?,
        ports.parse().map_err(|e| format!("PORTS: {e}"))?,
    ))
}

pub fn builder(m: &ModelArgs) -> SimBuilder {
    let mut b = SimBuilder::default().seed(m.seed).clock(m.clock);
    for (id, ports) in &m.netdevsim {
        b = b.netdevsim(*id, *ports);
    }
    b
}
