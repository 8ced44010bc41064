//! `fuzz_rtnl`: a mutational fuzzer for the rtnetlink request path, on stable Rust and
//! deterministic from its seed (issue 11). Each execution feeds one mutated datagram to a
//! long-lived in-process model through the entry point the server uses (`split_messages` +
//! `rtnl::handle`, dumps driven to their end), then checks the reply framing and
//! `Kernel::check_invariants`. A panic or a violation saves every datagram since the model's
//! last reset (replaying them on a fresh model reproduces it) under the crash directory.
//!
//!   cargo run --release -p nlsim --example fuzz_rtnl -- [--seconds S] [--execs N] [--seed N]
//!       [--corpus DIR] [--crashes DIR] [--reset-every N]
//!   cargo run --release -p nlsim --example fuzz_rtnl -- --replay FILE
//!
//! Exit status 1 when anything was found. The corpus is `*.hex` files, one datagram per line
//! (golden/fuzz/corpus, see its README).

mod mutate;
mod rng;

use nlsim::kernel_model::{Kernel, NetnsId};
use nlsim::rtnl::{self, Outcome, SockCtx};
use nlsim::wire::ack::SockAckFlags;
use nlsim::wire::raw::{split_messages, NlHeader};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    seconds: Option<u64>,
    execs: Option<u64>,
    seed: u64,
    corpus: PathBuf,
    crashes: PathBuf,
    reset_every: u64,
    replay: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seconds: None,
        execs: None,
        seed: 1,
        corpus: PathBuf::from("golden/fuzz/corpus"),
        crashes: PathBuf::from("target/fuzz-crashes"),
        reset_every: 256,
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        let num = |v: String| v.parse::<u64>().map_err(|e| format!("{v}: {e}"));
        match flag.as_str() {
            "--seconds" => a.seconds = Some(num(val()?)?),
            "--execs" => a.execs = Some(num(val()?)?),
            "--seed" => a.seed = num(val()?)?,
            "--corpus" => a.corpus = PathBuf::from(val()?),
            "--crashes" => a.crashes = PathBuf::from(val()?),
            "--reset-every" => a.reset_every = num(val()?)?.max(1),
            "--replay" => a.replay = Some(PathBuf::from(val()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.seconds.is_none() && a.execs.is_none() && a.replay.is_none() {
        a.seconds = Some(60);
    }
    Ok(a)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s == "-" {
        return Some(Vec::new());
    }
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Datagrams of a `.hex` file: one per line, `#` comments.
fn read_hex_lines(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(unhex(line).ok_or(format!("{}:{}: bad hex", path.display(), n + 1))?);
    }
    Ok(out)
}

fn load_corpus(dir: &Path) -> Result<Vec<Vec<u8>>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("corpus {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "hex"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.extend(read_hex_lines(&f)?);
    }
    if out.is_empty() {
        return Err(format!("corpus {}: no datagrams", dir.display()));
    }
    Ok(out)
}

/// The fd the scenario corpus passes as IFLA_NET_NS_FD (`ip netns exec`/`ip link set netns`
/// under `nlsim run` open the namespace file as fd 5): here it names a second namespace.
const NETNS_FD: i32 = 5;

/// A stand-in namespace file at fd NETNS_FD, as the launcher hands one out (one end of a socket
/// pair whose inode the model knows, see `netns_ref`); its inode, or None if it cannot be made.
fn netns_stand_in() -> Option<u64> {
    use std::os::fd::AsRawFd;
    let (a, b) = std::os::unix::net::UnixStream::pair().ok()?;
    // SAFETY: dup2 onto a fixed fd number of this process; both ends live until exit.
    if unsafe { libc::dup2(a.as_raw_fd(), NETNS_FD) } < 0 {
        return None;
    }
    std::mem::forget((a, b));
    let link = std::fs::read_link(format!("/proc/self/fd/{NETNS_FD}")).ok()?;
    nlsim_launcher::netns::socket_ino(link.as_os_str().as_encoded_bytes())
}

/// The model every run starts from: lo and three netdevsim ports, like `nlsim run --netdevsim
/// 1:3`, and a second namespace (held by the stand-in at fd NETNS_FD) for moves and for sockets
/// that live in it.
fn fresh_kernel(netns_ino: Option<u64>) -> Kernel {
    let mut k = Kernel::new(1);
    let ns = k.init_net();
    if let Err(e) = k.netdevsim_new_device(ns, 1, 3) {
        eprintln!("fuzz_rtnl: netdevsim 1:3: {e}");
    }
    let ns2 = k.netns_new();
    if let Some(ino) = netns_ino {
        if let Err(e) = k.ns_file_hold(ino, ns2) {
            eprintln!("fuzz_rtnl: namespace stand-in: {e}");
        }
    }
    k
}

/// The second namespace of `fresh_kernel`, when it still exists.
fn second_netns(k: &Kernel) -> Option<NetnsId> {
    k.netns_ids().nth(1)
}

/// How the executions were answered (the errno of each ACK, 0 for success), to show that the
/// mutations reach past the framing checks into the handlers.
type Answers = std::collections::BTreeMap<i32, u64>;

fn tally(answers: &mut Answers, replies: &[Vec<u8>]) {
    for r in replies {
        if r.len() >= 20 && u16::from_ne_bytes([r[4], r[5]]) == 2 {
            let e = i32::from_ne_bytes([r[16], r[17], r[18], r[19]]);
            *answers.entry(e).or_default() += 1;
        }
    }
}

thread_local! {
    static ANSWERS: std::cell::RefCell<Answers> = const { std::cell::RefCell::new(Answers::new()) };
}

/// One datagram through the server's path. Err = an invariant the reply or the model broke.
fn execute(k: &mut Kernel, ctx: &SockCtx, datagram: &[u8]) -> Result<(), String> {
    for msg in split_messages(datagram) {
        let mut replies = Vec::new();
        match rtnl::handle(k, ctx, &msg, false) {
            Outcome::Reply(d) => replies.extend(d),
            Outcome::Dump(mut d) => {
                let mut rounds = 0;
                while let Some(chunk) = d.next_chunk(k, ctx) {
                    replies.push(chunk);
                    rounds += 1;
                    if rounds > 100_000 {
                        return Err("dump does not end".into());
                    }
                }
            }
            Outcome::Nothing => {}
        }
        // Notifications are not delivered anywhere here; the model's queue must not grow.
        drop(k.take_events());
        for r in &replies {
            check_reply_framing(r, msg.header.seq)?;
        }
        ANSWERS.with(|a| tally(&mut a.borrow_mut(), &replies));
    }
    k.check_invariants()
}

/// Every reply datagram is whole messages whose nlmsg_len fits, answering the request's seq.
fn check_reply_framing(d: &[u8], seq: u32) -> Result<(), String> {
    let mut pos = 0;
    while pos < d.len() {
        let h = NlHeader::parse(&d[pos..]).ok_or("reply: truncated header")?;
        let len = h.len as usize;
        if len < 16 || pos + len > d.len() {
            return Err(format!("reply: nlmsg_len {len} at {pos} of {}", d.len()));
        }
        if h.seq != seq {
            return Err(format!("reply: seq {} for request seq {seq}", h.seq));
        }
        pos += (len + 3) & !3;
    }
    Ok(())
}

fn sock_ctx(k: &Kernel, strict: bool, cap_ack: bool, in_second: bool) -> SockCtx {
    let netns = if in_second {
        second_netns(k).unwrap_or_else(|| k.init_net())
    } else {
        k.init_net()
    };
    SockCtx {
        portid: 4242,
        ack: SockAckFlags {
            ext_ack: true,
            cap_ack,
        },
        strict_chk: strict,
        netns,
        pid: std::process::id(),
        max_recvmsg_len: 32768,
    }
}

type PanicMsg = Arc<Mutex<Option<String>>>;

/// One execution: the socket's flags and namespace, and the datagram.
struct Exec {
    strict: bool,
    cap_ack: bool,
    second_netns: bool,
    datagram: Vec<u8>,
}

/// A quiet panic hook that keeps the message (and where) for the report.
fn install_panic_hook() -> PanicMsg {
    let slot: PanicMsg = Arc::new(Mutex::new(None));
    let s = slot.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut g) = s.lock() {
            *g = Some(info.to_string());
        }
    }));
    slot
}

/// Runs `history` on a fresh model; Some(what) when it panics or breaks an invariant.
fn run_history(history: &[Exec], netns_ino: Option<u64>, panic_msg: &PanicMsg) -> Option<String> {
    let mut k = fresh_kernel(netns_ino);
    for (i, e) in history.iter().enumerate() {
        let ctx = sock_ctx(&k, e.strict, e.cap_ack, e.second_netns);
        match catch_unwind(AssertUnwindSafe(|| execute(&mut k, &ctx, &e.datagram))) {
            Ok(Ok(())) => {}
            Ok(Err(v)) => return Some(format!("datagram {}: invariant: {v}", i + 1)),
            Err(_) => {
                let m = panic_msg.lock().ok().and_then(|mut g| g.take());
                return Some(format!(
                    "datagram {}: panic: {}",
                    i + 1,
                    m.unwrap_or_default()
                ));
            }
        }
    }
    None
}

fn save_finding(dir: &Path, n: u64, what: &str, history: &[Exec]) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("finding-{n}.hex"));
    let mut text = format!(
        "# {}\n# replay: fuzz_rtnl --replay {}\n",
        what.replace('\n', " "),
        path.display()
    );
    for e in history {
        text.push_str(&format!(
            "# strict_chk={} cap_ack={} second_netns={}\n{}\n",
            e.strict,
            e.cap_ack,
            e.second_netns,
            hex(&e.datagram)
        ));
    }
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("fuzz_rtnl: cannot save {}: {e}", path.display());
    }
    path
}

/// `--replay FILE`: the socket of each datagram comes from the comment line before it.
fn replay(path: &Path, netns_ino: Option<u64>, panic_msg: &PanicMsg) -> Result<bool, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut flags = (false, false, false);
    let mut history = Vec::new();
    for line in text.lines() {
        if line.starts_with("# strict_chk=") {
            flags = (
                line.contains("strict_chk=true"),
                line.contains("cap_ack=true"),
                line.contains("second_netns=true"),
            );
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            history.push(Exec {
                strict: flags.0,
                cap_ack: flags.1,
                second_netns: flags.2,
                datagram: unhex(line).ok_or("bad hex")?,
            });
        }
    }
    match run_history(&history, netns_ino, panic_msg) {
        Some(what) => {
            println!("reproduced: {what}");
            Ok(true)
        }
        None => {
            println!("no finding ({} datagrams)", history.len());
            Ok(false)
        }
    }
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fuzz_rtnl: {e}");
            std::process::exit(2);
        }
    };
    let panic_msg = install_panic_hook();
    let netns_ino = netns_stand_in();
    if netns_ino.is_none() {
        eprintln!(
            "fuzz_rtnl: no namespace stand-in at fd {NETNS_FD}: IFLA_NET_NS_FD moves untested"
        );
    }
    if let Some(p) = &args.replay {
        match replay(p, netns_ino, &panic_msg) {
            Ok(found) => std::process::exit(i32::from(found)),
            Err(e) => {
                eprintln!("fuzz_rtnl: {e}");
                std::process::exit(2);
            }
        }
    }
    let corpus = match load_corpus(&args.corpus) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fuzz_rtnl: {e}");
            std::process::exit(2);
        }
    };
    let mut rng = rng::Rng::new(args.seed);
    let start = Instant::now();
    let deadline = args.seconds.map(|s| start + Duration::from_secs(s));
    let template = fresh_kernel(netns_ino);
    let mut k = template.clone();
    let mut history: Vec<Exec> = Vec::new();
    let (mut execs, mut crashes, mut violations) = (0u64, 0u64, 0u64);
    // Executions after which the second namespace held more than its lo: moves were reached.
    let mut second_ns_busy = 0u64;
    let mut last_report = Instant::now();
    loop {
        if args.execs.is_some_and(|n| execs >= n) {
            break;
        }
        // The clock is read every 256 executions only; the inputs do not depend on it.
        if execs % 256 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        if execs % args.reset_every == 0 {
            k = template.clone();
            history.clear();
        }
        let base = corpus[rng.below(corpus.len())].clone();
        let other = &corpus[rng.below(corpus.len())];
        let mut input = base;
        // One in eight runs the seed unchanged: the model then moves on to states that the
        // corpus reaches (devices, bridges, namespaces) for later mutations to meet.
        if !rng.chance(8) {
            mutate::mutate(&mut rng, &mut input, other);
        }
        let e = Exec {
            strict: rng.chance(4),
            cap_ack: rng.chance(8),
            second_netns: rng.chance(8),
            datagram: input,
        };
        let ctx = sock_ctx(&k, e.strict, e.cap_ack, e.second_netns);
        history.push(e);
        let input = &history[history.len() - 1].datagram;
        let r = catch_unwind(AssertUnwindSafe(|| execute(&mut k, &ctx, input)));
        execs += 1;
        if second_netns(&k).is_some_and(|ns| k.devices_from(ns, 0).nth(1).is_some()) {
            second_ns_busy += 1;
        }
        let finding = match r {
            Ok(Ok(())) => None,
            Ok(Err(v)) => {
                violations += 1;
                Some(format!("invariant: {v}"))
            }
            Err(_) => {
                crashes += 1;
                let m = panic_msg.lock().ok().and_then(|mut g| g.take());
                Some(format!("panic: {}", m.unwrap_or_default()))
            }
        };
        if let Some(what) = finding {
            let path = save_finding(&args.crashes, execs, &what, &history);
            eprintln!("fuzz_rtnl: execution {execs}: {what} -> {}", path.display());
            k = template.clone();
            history.clear();
        }
        if last_report.elapsed() >= Duration::from_secs(30) {
            last_report = Instant::now();
            let s = start.elapsed().as_secs_f64();
            eprintln!("fuzz_rtnl: {execs} executions, {:.0}/s, {crashes} crashes, {violations} invariant violations", execs as f64 / s);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "executions={execs} seconds={secs:.1} exec_per_s={:.0} crashes={crashes} invariant_violations={violations} seed={} corpus={}",
        execs as f64 / secs.max(1e-9),
        args.seed,
        corpus.len()
    );
    ANSWERS.with(|a| {
        let text: Vec<String> = a.borrow().iter().map(|(e, n)| format!("{e}:{n}")).collect();
        println!("acks by error (0 = success): {}", text.join(" "));
        println!("executions ending with devices in the second namespace: {second_ns_busy}");
    });
    std::process::exit(i32::from(crashes + violations > 0));
}
