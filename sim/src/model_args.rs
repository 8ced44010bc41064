//! The model options every command that starts a simulator takes (`--seed`, `--netdevsim`).

use nlsim::SimBuilder;

#[derive(clap::Args, Clone)]
pub struct ModelArgs {
    /// Seed for every random value (MAC addresses, port ids).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// netdevsim device ID with PORTS ports at start (`ID:PORTS`, repeatable): eth0, eth1, ...
    #[arg(long, value_parser = parse_nsim)]
    pub netdevsim: Vec<(u32, u32)>,
}

fn parse_nsim(s: &str) -> Result<(u32, u32), String> {
    let (id, ports) = s.split_once(':').ok_or("expected ID:PORTS")?;
    Ok((
        id.parse().map_err(|e| format!("ID: {e}"))?,
        ports.parse().map_err(|e| format!("PORTS: {e}"))?,
    ))
}

pub fn builder(m: &ModelArgs) -> SimBuilder {
    let mut b = SimBuilder::default().seed(m.seed);
    for (id, ports) in &m.netdevsim {
        b = b.netdevsim(*id, *ports);
    }
    b
}
