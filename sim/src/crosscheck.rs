//! `nlsim crosscheck`: runs the scenario corpus (`golden/scenarios/*.sh`) against nlsim with the
//! very runner the real-kernel oracle uses (`golden/oracle/guest-runner.sh`, one persistent
//! `dash` under `nlsim run --netdevsim 1:3`), normalises both transcripts the same way
//! (`golden/oracle/normalize.py`: random MACs, switch ids, timers) and compares them command by
//! command (exit status, stdout, stderr) and final state by final state.
//!
//! Time: the simulator runs with a manual clock (`--clock manual`, the default here), so a
//! transcript does not depend on how fast the host is. The runner's `sleep`s (the scenarios'
//! own, and its settling before the final state: 0.3 s, then 0.2 s steps while an address is
//! tentative, at most 25) find a `sleep` in front of the real one that first advances the
//! simulator's clock by as long as it waits (`nlsim clock advance`, through the socket
//! `nlsim run --listen` serves): the model sees the time the kernel saw, every timer firing in
//! order, and the final state is the one the oracle's settling reached.
//!
//! Commands take time too: the oracle's guest (qemu TCG) spends about 100 ms of its clock on
//! each scenario command (fork, exec, the netlink round trips, the runner's output loop),
//! measured with `/proc/uptime` around 41 and 42 commands (4.24 s and 4.31 s,
//! golden/research/pace/clock-pace.sh; there a link-local stayed tentative for 10 commands
//! after `ip link set eth1 up`, about the 1-2 s its DAD takes). So before each command the
//! manual clock also advances by [`ORACLE_COMMAND_TIME`]: the runner announces a command with
//! `echo "CMD[n]| ..."`, and a shell function `echo` defined before the runner is sourced
//! (`write_command_clock`) steps the clock there, then runs the builtin `echo` unchanged.
//!
//! Known gaps live in one file (`golden/crosscheck/known-gaps.txt`), one line each:
//! `SCENARIO ITEM reason...`, ITEM being `CMD[n]` or `FINAL:<section>`. With `--gaps FILE` the
//! run fails when an item differs that is not listed, and when a listed item now matches (the
//! list may only shrink).

use crate::api::ClockMode;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cmd {
    pub line: String,
    pub out: Vec<String>,
    pub err: Vec<String>,
    pub rc: String,
}

/// A parsed transcript: commands by number and the FINAL sections by title.
#[derive(Debug, Default)]
pub struct Transcript {
    pub cmds: BTreeMap<usize, Cmd>,
    pub finals: BTreeMap<String, String>,
}

/// Parses the oracle's transcript format (golden/oracle/README.md).
pub fn parse(text: &str) -> Transcript {
    let mut t = Transcript::default();
    let mut cur: Option<usize> = None;
    let mut final_title: Option<String> = None;
    let mut final_body = String::new();
    let mut in_scenario = false;
    for line in text.lines() {
        if line == "=====SCENARIO-BEGIN=====" {
            in_scenario = true;
            continue;
        }
        if line == "=====SCENARIO-END=====" {
            in_scenario = false;
            continue;
        }
        if let Some(title) = line.strip_prefix("=== ") {
            if let Some(prev) = final_title.take() {
                t.finals.insert(prev, std::mem::take(&mut final_body));
            }
            if let Some(rest) = title.strip_prefix("FINAL ") {
                final_title = Some(rest.to_string());
            }
            continue;
        }
        if line.starts_with("=====ORACLE-END") {
            break;
        }
        if let Some(title) = &final_title {
            let _ = title;
            final_body.push_str(line);
            final_body.push('\n');
            continue;
        }
        if !in_scenario {
            continue;
        }
        if let Some(rest) = line.strip_prefix("CMD[") {
            if let Some((n, cmd)) = rest.split_once("]| ") {
                if let Ok(n) = n.parse::<usize>() {
                    t.cmds.insert(
                        n,
                        Cmd {
                            line: cmd.to_string(),
                            ..Cmd::default()
                        },
                    );
                    cur = Some(n);
                }
            }
            continue;
        }
        let Some(c) = cur.and_then(|n| t.cmds.get_mut(&n)) else {
            continue;
        };
        if let Some(v) = line
            .strip_prefix("OUT| ")
            .or_else(|| (line == "OUT|").then_some(""))
        {
            c.out.push(v.to_string());
        } else if let Some(v) = line
            .strip_prefix("ERR| ")
            .or_else(|| (line == "ERR|").then_some(""))
        {
            c.err.push(v.to_string());
        } else if let Some(v) = line.strip_prefix("RC| ") {
            c.rc = v.to_string();
        }
    }
    if let Some(prev) = final_title.take() {
        t.finals.insert(prev, final_body);
    }
    t
}

/// The first differing line of two outputs, as `kernel | nlsim`.
fn first_diff(kind: &str, a: &[String], b: &[String]) -> Option<String> {
    let n = a.len().max(b.len());
    (0..n).find_map(|i| {
        let (x, y) = (a.get(i), b.get(i));
        (x != y).then(|| {
            format!(
                "{kind} line {}: kernel {:?} / nlsim {:?}",
                i + 1,
                x.map_or("<none>", |s| s.as_str()),
                y.map_or("<none>", |s| s.as_str())
            )
        })
    })
}

/// Why one item differs, or None when identical.
fn cmd_diff(k: &Cmd, s: &Cmd) -> Option<String> {
    if k.line != s.line {
        return Some(format!("command text differs: {:?} / {:?}", k.line, s.line));
    }
    if k.rc != s.rc {
        let msg = s.err.first().map(|e| format!(" ({e})")).unwrap_or_default();
        return Some(format!("exit status kernel {} / nlsim {}{msg}", k.rc, s.rc));
    }
    first_diff("stderr", &k.err, &s.err).or_else(|| first_diff("stdout", &k.out, &s.out))
}

#[derive(Debug, Serialize)]
pub struct ItemResult {
    pub item: String,
    pub command: String,
    pub identical: bool,
    pub diff: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ScenarioResult {
    pub scenario: String,
    pub commands: usize,
    pub identical_commands: usize,
    pub finals: usize,
    pub identical_finals: usize,
    pub items: Vec<ItemResult>,
}

/// Compares a kernel transcript with an nlsim transcript (both normalised).
pub fn compare(scenario: &str, kernel: &Transcript, sim: &Transcript) -> ScenarioResult {
    let mut items = Vec::new();
    for (n, k) in &kernel.cmds {
        let diff = match sim.cmds.get(n) {
            Some(s) => cmd_diff(k, s),
            None => Some("missing on the nlsim side".into()),
        };
        items.push(ItemResult {
            item: format!("CMD[{n}]"),
            command: k.line.clone(),
            identical: diff.is_none(),
            diff,
        });
    }
    let mut finals = 0;
    let mut identical_finals = 0;
    for (title, body) in &kernel.finals {
        finals += 1;
        let ours = sim.finals.get(title);
        let diff = match ours {
            Some(o) if o == body => None,
            Some(o) => {
                let a: Vec<String> = body.lines().map(str::to_string).collect();
                let b: Vec<String> = o.lines().map(str::to_string).collect();
                first_diff("final", &a, &b)
            }
            None => Some("missing on the nlsim side".into()),
        };
        identical_finals += usize::from(diff.is_none());
        items.push(ItemResult {
            // Items are one word in the gaps file.
            item: format!("FINAL:{}", title.replace(' ', "_")),
            command: String::new(),
            identical: diff.is_none(),
            diff,
        });
    }
    let commands = kernel.cmds.len();
    let identical_commands = items
        .iter()
        .filter(|i| i.identical && i.item.starts_with("CMD"))
        .count();
    ScenarioResult {
        scenario: scenario.to_string(),
        commands,
        identical_commands,
        finals,
        identical_finals,
        items,
    }
}

/// `#@env ORACLE_NETDEVSIM="ID PORTS [QUEUES]"` in a scenario, default "1 3".
fn netdevsim_of(scenario_text: &str) -> Option<(u32, u32)> {
    let mut spec = "1 3".to_string();
    for l in scenario_text.lines() {
        if let Some(v) = l.strip_prefix("#@env ORACLE_NETDEVSIM=") {
            spec = v.trim_matches('"').to_string();
        }
    }
    let mut it = spec.split_whitespace();
    let id = it.next()?.parse().ok()?;
    let ports = it.next()?.parse().ok()?;
    Some((id, ports))
}

pub struct Paths {
    /// The repository root (holds golden/).
    pub root: PathBuf,
    /// The nlsim binary to run scenarios under.
    pub nlsim: PathBuf,
}

/// Runs one scenario under nlsim and returns its raw transcript.
pub fn run_nlsim(p: &Paths, scenario: &Path, clock: ClockMode) -> io::Result<String> {
    let text = std::fs::read_to_string(scenario)?;
    let name = scenario
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("scenario");
    let runner = p.root.join("golden/oracle/guest-runner.sh");
    // A private scratch directory: the runner keeps each command's output there, and other
    // cross-checks may run on the same host at the same time.
    let scratch = std::env::temp_dir().join(format!(
        "nlsim-xc-{}-{}",
        std::process::id(),
        fastrand_suffix()
    ));
    std::fs::create_dir_all(&scratch)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&scratch, std::fs::Permissions::from_mode(0o777))?;
    }
    let mut cmd = Command::new(&p.nlsim);
    cmd.arg("run").args(["--seed", "1"]);
    let mut extra_bin = None;
    let mut prelude = String::new();
    match clock {
        ClockMode::Real => {
            cmd.args(["--clock", "real"]);
        }
        ClockMode::Manual => {
            let sock = scratch.join("nlsim.sock");
            extra_bin = Some(write_sleep_shim(p, &scratch, &sock)?);
            prelude = format!(". {}; ", write_command_clock(p, &scratch, &sock)?);
            cmd.args(["--clock", "manual", "--listen"]).arg(&sock);
        }
    }
    let nsim = netdevsim_of(&text);
    if let Some((id, ports)) = nsim {
        cmd.arg("--netdevsim").arg(format!("{id}:{ports}"));
    }
    cmd.arg("--")
        .arg("dash")
        .arg("-c")
        .arg(format!("{prelude}. {}", runner.display()))
        .arg("sh")
        .arg(scenario)
        .arg(name)
        .env("ORACLE_PRELOAD", "1")
        .env("ORACLE_MODPARAMS", "1")
        .env(
            "ORACLE_NETDEVSIM",
            nsim.map(|(i, n)| format!("{i} {n}")).unwrap_or_default(),
        )
        .current_dir(&p.root);
    cmd.env("TMPDIR", &scratch);
    if text.contains("nlraw ") {
        // The malformed-request scenarios send raw bytes with the oracle's own client.
        extra_bin = Some(build_nlraw(p, &scratch)?);
    }
    if text.contains("netlink.test ") {
        // vishvananda/netlink's own test suite, the binary the oracle's guest has in /usr/bin.
        extra_bin = Some(build_netlink_test(&scratch)?);
    }
    if let Some(bin) = extra_bin {
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{path}", bin.display()));
    }
    let out = cmd.output();
    let _ = std::fs::remove_dir_all(&scratch);
    let out = out?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The oracle guest's clock time per scenario command, in seconds (see the module's
/// documentation).
pub const ORACLE_COMMAND_TIME: &str = "0.1";

/// Shell-quotes a path for the generated scripts (refuses one holding a quote).
fn sh_quote(path: &Path) -> io::Result<String> {
    let s = path
        .to_str()
        .filter(|s| !s.contains('\''))
        .ok_or_else(|| io::Error::other(format!("unusable path {}", path.display())))?;
    Ok(format!("'{s}'"))
}

/// Writes `scratch/command-clock.sh`, sourced before the runner: a function `echo` that
/// advances the manual clock by [`ORACLE_COMMAND_TIME`] when the runner announces a command
/// (`CMD[n]| ...`) and otherwise is the builtin (`command echo`), for the scenario's own
/// `echo`s too. Returns its quoted path.
fn write_command_clock(p: &Paths, scratch: &Path, sock: &Path) -> io::Result<String> {
    let file = scratch.join("command-clock.sh");
    std::fs::write(
        &file,
        format!(
            "# nlsim crosscheck: each scenario command costs the oracle's clock {t} s.\n\
             echo() {{\n\
             \tcase ${{1-}} in 'CMD['*) {nlsim} clock advance {t} --connect {sock} >/dev/null ;; esac\n\
             \tcommand echo \"$@\"\n\
             }}\n",
            t = ORACLE_COMMAND_TIME,
            nlsim = sh_quote(&p.nlsim)?,
            sock = sh_quote(sock)?,
        ),
    )?;
    sh_quote(&file)
}

/// Writes `scratch/bin/sleep`: advances the simulator's manual clock (served at `sock`) by
/// each argument, then waits as the real `sleep` does (background clients such as
/// `ip monitor` get their time to run).
fn write_sleep_shim(p: &Paths, scratch: &Path, sock: &Path) -> io::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let real = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join("sleep"))
        .find(|f| f.is_file())
        .ok_or_else(|| io::Error::other("no `sleep` on PATH (coreutils)"))?;
    let quote = sh_quote;
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin)?;
    let shim = bin.join("sleep");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\n\
             # nlsim crosscheck: the simulator's manual clock runs for as long as sleep waits.\n\
             for __d in \"$@\"; do {nlsim} clock advance \"$__d\" --connect {sock} >/dev/null || exit 1; done\n\
             exec {real} \"$@\"\n",
            nlsim = quote(&p.nlsim)?,
            sock = quote(sock)?,
            real = quote(&real)?,
        ),
    )?;
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755))?;
    Ok(bin)
}

/// Compiles `golden/oracle/nlraw.c` (the raw-bytes client the oracle's guest has in /usr/bin)
/// into `scratch/bin`, which the scenario then finds first on its PATH.
fn build_nlraw(p: &Paths, scratch: &Path) -> io::Result<PathBuf> {
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin)?;
    let out = Command::new("cc")
        .arg("-O2")
        .arg("-o")
        .arg(bin.join("nlraw"))
        .arg(p.root.join("golden/oracle/nlraw.c"))
        .output()
        .map_err(|e| {
            io::Error::other(format!(
                "building nlraw needs a C compiler (apt-get install gcc): {e}"
            ))
        })?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "cc golden/oracle/nlraw.c failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(bin)
}

/// Where Debian's golang-github-vishvananda-netlink-dev puts the library's source and tests.
const VISHVANANDA_SRC: &str = "/usr/share/gocode/src/github.com/vishvananda/netlink";

/// Builds vishvananda/netlink's test suite (`go test -c`, static, as golden/oracle/build.sh does
/// for the guest) into `scratch/bin/netlink.test`, which the scenario then finds on its PATH.
fn build_netlink_test(scratch: &Path) -> io::Result<PathBuf> {
    const INSTALL: &str = "apt-get install golang-go golang-github-vishvananda-netlink-dev";
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin)?;
    if !Path::new(VISHVANANDA_SRC).join("link_test.go").is_file() {
        return Err(io::Error::other(format!(
            "netlink.test needs vishvananda/netlink's source in {VISHVANANDA_SRC} ({INSTALL})"
        )));
    }
    let out = Command::new("go")
        .args(["test", "-c", "-o"])
        .arg(bin.join("netlink.test"))
        .arg(".")
        .current_dir(VISHVANANDA_SRC)
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("CGO_ENABLED", "0")
        .env("GOFLAGS", "")
        // Go's build cache outlives the scratch directory: later runs link in a second.
        .env(
            "GOCACHE",
            std::env::temp_dir().join("nlsim-crosscheck-gocache"),
        )
        .output()
        .map_err(|e| {
            io::Error::other(format!("building netlink.test needs Go ({INSTALL}): {e}"))
        })?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "go test -c in {VISHVANANDA_SRC} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(bin)
}

/// `golden/oracle/normalize.py SCENARIO TRANSCRIPT`.
pub fn normalize(p: &Paths, scenario: &Path, transcript: &str) -> io::Result<String> {
    let tmp = std::env::temp_dir().join(format!(
        "nlsim-crosscheck-{}-{}.txt",
        std::process::id(),
        fastrand_suffix()
    ));
    std::fs::write(&tmp, transcript)?;
    let out = Command::new("python3")
        .arg(p.root.join("golden/oracle/normalize.py"))
        .arg(scenario)
        .arg(&tmp)
        .output();
    let _ = std::fs::remove_file(&tmp);
    let out = out?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "normalize.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn fastrand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Known gaps: (scenario, item) → reason.
pub fn read_gaps(path: &Path) -> io::Result<BTreeMap<(String, String), String>> {
    let mut m = BTreeMap::new();
    for line in std::fs::read_to_string(path)?.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut it = line.splitn(3, ' ');
        if let (Some(s), Some(i)) = (it.next(), it.next()) {
            m.insert(
                (s.to_string(), i.to_string()),
                it.next().unwrap_or("").to_string(),
            );
        }
    }
    Ok(m)
}

/// A reason for a gap, from what differs: nlsim's own refusal names what is not modelled.
fn gap_reason(item: &ItemResult, sim: &Transcript) -> String {
    if let Some(n) = item
        .item
        .strip_prefix("CMD[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        if let Some(c) = sim.cmds.get(&n) {
            if let Some(e) = c.err.iter().find(|e| e.contains("nlsim:")) {
                return format!("not modelled: {e}");
            }
        }
    }
    item.diff.clone().unwrap_or_default()
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub scenarios: Vec<ScenarioResult>,
    pub commands: usize,
    pub identical_commands: usize,
    pub finals: usize,
    pub identical_finals: usize,
    /// Items that differ and are not listed as known gaps (with --gaps).
    pub unexpected: Vec<String>,
    /// Listed gaps that now match: remove them from the list.
    pub fixed: Vec<String>,
}

pub struct Options {
    pub scenarios: Vec<PathBuf>,
    pub kernel_dir: PathBuf,
    pub gaps: Option<PathBuf>,
    pub write_gaps: Option<PathBuf>,
    pub json: Option<PathBuf>,
    pub keep_dir: Option<PathBuf>,
    /// The simulators' clock (see the module's documentation).
    pub clock: ClockMode,
}

pub fn run(p: &Paths, o: &Options) -> io::Result<Report> {
    let gaps = match &o.gaps {
        Some(g) => read_gaps(g)?,
        None => BTreeMap::new(),
    };
    let mut report = Report {
        scenarios: Vec::new(),
        commands: 0,
        identical_commands: 0,
        finals: 0,
        identical_finals: 0,
        unexpected: Vec::new(),
        fixed: Vec::new(),
    };
    let mut new_gaps = Vec::new();
    for scenario in &o.scenarios {
        let name = scenario
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let kpath = o.kernel_dir.join(format!("{name}.txt"));
        let Ok(kraw) = std::fs::read_to_string(&kpath) else {
            println!(
                "{name}: no kernel transcript at {} (skipped)",
                kpath.display()
            );
            continue;
        };
        let sraw = run_nlsim(p, scenario, o.clock)?;
        if let Some(dir) = &o.keep_dir {
            std::fs::create_dir_all(dir)?;
            std::fs::write(dir.join(format!("{name}.txt")), &sraw)?;
        }
        let k = parse(&normalize(p, scenario, &kraw)?);
        let s = parse(&normalize(p, scenario, &sraw)?);
        let r = compare(&name, &k, &s);
        println!(
            "{name}: {}/{} commands identical, {}/{} final states identical",
            r.identical_commands, r.commands, r.identical_finals, r.finals
        );
        for it in &r.items {
            let key = (name.clone(), it.item.clone());
            let listed = gaps.contains_key(&key);
            if !it.identical {
                println!(
                    "  {} `{}`: {}",
                    it.item,
                    it.command,
                    it.diff.as_deref().unwrap_or("")
                );
                new_gaps.push(format!("{name} {} {}", it.item, gap_reason(it, &s)));
                if o.gaps.is_some() && !listed {
                    report.unexpected.push(format!("{name} {}", it.item));
                }
            } else if listed {
                report.fixed.push(format!("{name} {}", it.item));
            }
        }
        report.commands += r.commands;
        report.identical_commands += r.identical_commands;
        report.finals += r.finals;
        report.identical_finals += r.identical_finals;
        report.scenarios.push(r);
    }
    println!(
        "TOTAL: {}/{} commands identical, {}/{} final states identical",
        report.identical_commands, report.commands, report.identical_finals, report.finals
    );
    if let Some(path) = &o.write_gaps {
        let mut text = String::from(
            "# Known gaps of the cross-check: SCENARIO ITEM reason (generated by `nlsim crosscheck \
             --write-gaps`, reasons from nlsim's refusal or the first difference).\n\
             # The list may only shrink: `cargo test` fails when an unlisted item differs or a \
             listed one matches.\n",
        );
        for g in &new_gaps {
            text.push_str(g);
            text.push('\n');
        }
        std::fs::write(path, text)?;
    }
    if let Some(path) = &o.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)?;
    }
    Ok(report)
}
