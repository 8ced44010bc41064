//! The simulated clock and the timer queue: the kernel's monotonic time / `jiffies` and its
//! timer wheel (`mod_timer`, `del_timer`, delayed work), reduced to an ordered queue.
//!
//! The model never reads the host's clock: `sim/` moves time forward with
//! [`Kernel::advance_to`] (following the host's monotonic clock, or only when told to), and
//! every timer that falls due fires in (expiry, arming order). What a timer does is a
//! [`Timer`] variant whose handler is a `Kernel` method, dispatched by `run_timer`.

use crate::kernel::Kernel;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Nanoseconds since the simulated boot (the kernel's monotonic clock / jiffies source).
pub type Nanos = u64;
pub const NSEC_PER_SEC: Nanos = 1_000_000_000;
pub const NSEC_PER_MSEC: Nanos = 1_000_000;

/// `CONFIG_HZ` of Debian's 6.12 amd64 kernel (`CONFIG_HZ_250=y`): jiffies per second.
pub const HZ: u64 = 250;
/// One jiffy in nanoseconds.
pub const NSEC_PER_JIFFY: Nanos = NSEC_PER_SEC / HZ;

/// A pending timer's identity: (expiry, insertion sequence) — timers with equal expiry fire in
/// insertion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimerKey {
    pub at: Nanos,
    pub seq: u64,
}

/// What a timer does when it fires. Subsystems add variants (addrconf DAD, address lifetimes,
/// neighbour timers); each variant's handler is a `Kernel` method called from `run_timer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timer {
    /// An IPv6 address's `dad_work` (net/ipv6/addrconf.c `addrconf_dad_work`).
    AddrconfDad {
        dev: crate::device::DevId,
        addr: std::net::Ipv6Addr,
    },
    /// `check_lifetime_work` (net/ipv4/devinet.c `check_lifetime`).
    InetCheckLifetime,
    /// `addr_chk_work` (net/ipv6/addrconf.c `addrconf_verify_work`).
    AddrconfVerify,
    /// Unit tests' timer: records that it fired (see `tests` below).
    #[cfg(test)]
    Probe(u64),
    /// `neigh->timer` of the entry (`family`, `dev`, `key`) of `netns`
    /// (`neigh_timer_handler`).
    Neigh {
        netns: crate::device::NetnsId,
        family: crate::neigh::Family,
        dev: crate::device::DevId,
        key: crate::neigh::Key,
    },
    /// `net->ipv6.ip6_fib_timer` of a namespace: the fib6 garbage collector that removes
    /// expired routes (`fib6_gc_timer_cb`, inet/ip6_fib.rs).
    Fib6Gc(crate::device::NetnsId),
}

/// The clock and the timer queue (`Kernel::clock`, serialised with the state so a state file
/// resumes where it stopped).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(into = "ClockState", try_from = "ClockState")]
pub struct Clock {
    now: Nanos,
    timers: BTreeMap<TimerKey, Timer>,
    next_seq: u64,
    /// What the unit tests' probes saw: (probe id, `now` while it ran).
    #[cfg(test)]
    fired: Vec<(u64, Nanos)>,
}

/// The saved form of [`Clock`]: JSON map keys must be strings, so the queue is a list of
/// (key, timer) pairs in firing order.
#[derive(Serialize, Deserialize)]
struct ClockState {
    now: Nanos,
    #[serde(default)]
    timers: Vec<(TimerKey, Timer)>,
    next_seq: u64,
}

impl From<Clock> for ClockState {
    fn from(c: Clock) -> Self {
        ClockState {
            now: c.now,
            timers: c.timers.into_iter().collect(),
            next_seq: c.next_seq,
        }
    }
}

impl TryFrom<ClockState> for Clock {
    type Error = String;

    /// A loaded queue must be one `timer_add` could have built: distinct keys, each sequence
    /// number already handed out (so new timers still sort after the loaded ones), and a
    /// sequence number left to hand out.
    fn try_from(s: ClockState) -> Result<Self, String> {
        if s.next_seq == u64::MAX {
            return Err("clock: next_seq at its maximum, no sequence number left".into());
        }
        let mut timers = BTreeMap::new();
        for (key, t) in s.timers {
            if key.seq >= s.next_seq {
                return Err(format!(
                    "clock: timer seq {} is not below next_seq {}",
                    key.seq, s.next_seq
                ));
            }
            if timers.insert(key, t).is_some() {
                return Err(format!(
                    "clock: two timers with key (at {}, seq {})",
                    key.at, key.seq
                ));
            }
        }
        Ok(Clock {
            now: s.now,
            timers,
            next_seq: s.next_seq,
            #[cfg(test)]
            fired: Vec::new(),
        })
    }
}

impl Kernel {
    /// The model's current time.
    pub fn now(&self) -> Nanos {
        self.clock.now
    }

    /// `jiffies` since boot (`jiffies - INITIAL_JIFFIES`): whole ticks of 1/HZ s.
    pub fn jiffies(&self) -> u64 {
        self.clock.now / NSEC_PER_JIFFY
    }

    /// `jiffies`-style hundredths of a second since boot, as `ifa_cacheinfo` cstamp/tstamp
    /// report them: `cstamp_delta` (net/ipv4/devinet.c, net/ipv6/addrconf.c) is
    /// `(t - INITIAL_JIFFIES) * 100 / HZ`, truncated to u32; nlsim's boot is t = 0. Counted
    /// from whole jiffies as the kernel does, so a 4 ms tick shows.
    pub fn now_centisecs(&self) -> u32 {
        (self.jiffies().wrapping_mul(100) / HZ) as u32
    }

    /// Arms a timer (`mod_timer` / `queue_delayed_work`). An expiry not after `now` fires at the
    /// next [`Kernel::advance_to`] (as an expired timer runs at the next tick).
    pub fn timer_add(&mut self, at: Nanos, t: Timer) -> TimerKey {
        let key = TimerKey {
            at,
            seq: self.clock.next_seq,
        };
        // Below u64::MAX (a loaded clock at the maximum is refused): 2^64 timers never happen.
        self.clock.next_seq += 1;
        self.clock.timers.insert(key, t);
        key
    }

    /// Cancels one (`del_timer`): whether it was pending.
    pub fn timer_del(&mut self, key: TimerKey) -> bool {
        self.clock.timers.remove(&key).is_some()
    }

    /// Cancels every pending timer `f` selects (a device's timers on unregister) — returns how
    /// many.
    pub fn timer_del_where(&mut self, mut f: impl FnMut(&Timer) -> bool) -> usize {
        let before = self.clock.timers.len();
        self.clock.timers.retain(|_, t| !f(t));
        before - self.clock.timers.len()
    }

    /// The earliest pending expiry.
    pub fn next_timer(&self) -> Option<Nanos> {
        self.clock.timers.first_key_value().map(|(k, _)| k.at)
    }

    /// The pending timers in firing order.
    pub fn timers(&self) -> impl Iterator<Item = (&TimerKey, &Timer)> + '_ {
        self.clock.timers.iter()
    }

    /// Moves time forward to `t` (never backwards: an earlier `t` is ignored), firing every timer
    /// with expiry <= t in (expiry, seq) order, with `now` set to each timer's expiry while it
    /// runs (a handler that re-arms a timer inside the window sees it fire in the same call).
    /// Events raised by handlers are collected in `Kernel::events` as for requests (the server
    /// delivers them). A handler must re-arm strictly after `now`, as a kernel timer re-armed
    /// for the current jiffy would spin.
    pub fn advance_to(&mut self, t: Nanos) {
        let target = t.max(self.clock.now);
        while let Some(entry) = self.clock.timers.first_entry() {
            if entry.key().at > target {
                break;
            }
            let (key, timer) = entry.remove_entry();
            // An overdue timer (armed for the past) runs at the current time, not earlier.
            self.clock.now = self.clock.now.max(key.at);
            self.run_timer(timer);
        }
        self.clock.now = target;
    }

    /// [`Kernel::advance_to`] `now + d`.
    pub fn advance_by(&mut self, d: Nanos) {
        self.advance_to(self.clock.now.saturating_add(d));
    }

    /// Whether something the oracle's guest waits for before taking the final state is still in
    /// progress (golden/oracle/guest-runner.sh polls until no address is `tentative`); the
    /// crosscheck advances the clock while this holds. False until the addrconf DAD helper makes
    /// it return true while an address is tentative (a DAD timer is pending).
    pub fn settling_pending(&self) -> bool {
        self.addrconf_dad_pending()
    }

    /// Runs one fired timer's handler (the timer's callback / work function).
    fn run_timer(&mut self, t: Timer) {
        match t {
            Timer::AddrconfDad { dev, addr } => self.addrconf_dad_work(dev, addr),
            Timer::InetCheckLifetime => self.check_lifetime(),
            Timer::AddrconfVerify => self.addrconf_verify_rtnl(),
            #[cfg(test)]
            Timer::Probe(id) => self.probe_fired(id),
            Timer::Neigh {
                netns,
                family,
                dev,
                key,
            } => self.neigh_timer_handler(netns, family, dev, key),
            Timer::Fib6Gc(ns) => self.fib6_gc_timer_cb(ns),
        }
    }

    /// The unit tests' handler: records (id, now); an id >= 1000 re-arms `id - 1000` 10 ms on.
    #[cfg(test)]
    fn probe_fired(&mut self, id: u64) {
        let now = self.clock.now;
        self.clock.fired.push((id, now));
        if id >= 1000 {
            self.timer_add(now + 10 * NSEC_PER_MSEC, Timer::Probe(id - 1000));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Nanos = NSEC_PER_MSEC;

    fn fired(k: &mut Kernel) -> Vec<(u64, Nanos)> {
        std::mem::take(&mut k.clock.fired)
    }

    #[test]
    fn timers_fire_by_expiry_then_arming_order() {
        let mut k = Kernel::new(1);
        k.timer_add(30 * MS, Timer::Probe(3));
        k.timer_add(10 * MS, Timer::Probe(1));
        k.timer_add(30 * MS, Timer::Probe(4));
        k.timer_add(20 * MS, Timer::Probe(2));
        assert_eq!(k.next_timer(), Some(10 * MS));
        k.advance_to(25 * MS);
        assert_eq!(fired(&mut k), vec![(1, 10 * MS), (2, 20 * MS)]);
        assert_eq!(k.now(), 25 * MS);
        k.advance_by(5 * MS);
        assert_eq!(fired(&mut k), vec![(3, 30 * MS), (4, 30 * MS)]);
        assert_eq!(k.next_timer(), None);
    }

    #[test]
    fn a_timer_rearmed_inside_the_window_fires_in_the_same_advance() {
        let mut k = Kernel::new(1);
        k.timer_add(5 * MS, Timer::Probe(2007));
        k.timer_add(12 * MS, Timer::Probe(9));
        k.advance_to(40 * MS);
        // 2007 at 5 re-arms 1007 at 15, which re-arms 7 at 25; 9 at 12 runs between.
        assert_eq!(
            fired(&mut k),
            vec![(2007, 5 * MS), (9, 12 * MS), (1007, 15 * MS), (7, 25 * MS)]
        );
        assert_eq!(k.now(), 40 * MS);
    }

    #[test]
    fn a_rearm_beyond_the_window_stays_pending() {
        let mut k = Kernel::new(1);
        k.timer_add(5 * MS, Timer::Probe(1001));
        k.advance_to(10 * MS);
        assert_eq!(fired(&mut k), vec![(1001, 5 * MS)]);
        assert_eq!(k.next_timer(), Some(15 * MS));
    }

    #[test]
    fn del_cancels_one_and_reports_whether_it_was_pending() {
        let mut k = Kernel::new(1);
        let a = k.timer_add(10 * MS, Timer::Probe(1));
        k.timer_add(20 * MS, Timer::Probe(2));
        assert!(k.timer_del(a));
        assert!(!k.timer_del(a));
        k.advance_to(30 * MS);
        assert_eq!(fired(&mut k), vec![(2, 20 * MS)]);
        // A fired timer is no longer pending either.
        let b = k.timer_add(40 * MS, Timer::Probe(3));
        k.advance_to(40 * MS);
        assert!(!k.timer_del(b));
    }

    #[test]
    fn del_where_cancels_the_selected_timers() {
        let mut k = Kernel::new(1);
        for id in 0..6 {
            k.timer_add((id + 1) * MS, Timer::Probe(id));
        }
        let n = k.timer_del_where(|t| matches!(t, Timer::Probe(id) if id % 2 == 0));
        assert_eq!(n, 3);
        k.advance_to(10 * MS);
        let ids: Vec<u64> = fired(&mut k).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, vec![1, 3, 5]);
        assert_eq!(k.timer_del_where(|_| true), 0);
    }

    #[test]
    fn time_never_moves_backwards() {
        let mut k = Kernel::new(1);
        k.advance_to(50 * MS);
        k.advance_to(20 * MS);
        assert_eq!(k.now(), 50 * MS);
        // A timer armed in the past fires at the next advance, at the current time.
        k.timer_add(10 * MS, Timer::Probe(1));
        k.advance_to(0);
        assert_eq!(fired(&mut k), vec![(1, 50 * MS)]);
        assert_eq!(k.now(), 50 * MS);
        k.advance_by(u64::MAX);
        assert_eq!(k.now(), u64::MAX);
    }

    #[test]
    fn centisecs_count_whole_jiffies() {
        let mut k = Kernel::new(1);
        assert_eq!(k.now_centisecs(), 0);
        // HZ 250: 10 ms is 2 jiffies, 2 * 100 / 250 = 0 hundredths.
        k.advance_to(10 * MS);
        assert_eq!((k.jiffies(), k.now_centisecs()), (2, 0));
        k.advance_to(12 * MS);
        assert_eq!((k.jiffies(), k.now_centisecs()), (3, 1));
        k.advance_to(3 * NSEC_PER_SEC + 999 * MS);
        assert_eq!(k.now_centisecs(), 399);
    }

    #[test]
    fn a_saved_kernel_keeps_its_time_and_pending_timers() {
        let mut k = Kernel::new(1);
        k.timer_add(30 * MS, Timer::Probe(3));
        k.timer_add(10 * MS, Timer::Probe(1));
        let gone = k.timer_add(20 * MS, Timer::Probe(2));
        k.timer_del(gone);
        k.advance_to(5 * MS);
        let json = serde_json::to_string(&k).expect("serialise");
        let mut back: Kernel = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back.now(), 5 * MS);
        let pending: Vec<_> = back.timers().map(|(key, t)| (*key, t.clone())).collect();
        let before: Vec<_> = k.timers().map(|(key, t)| (*key, t.clone())).collect();
        assert_eq!(pending, before);
        // A timer armed after loading sorts after the loaded ones of the same expiry.
        back.timer_add(10 * MS, Timer::Probe(4));
        back.advance_to(30 * MS);
        assert_eq!(
            fired(&mut back),
            vec![(1, 10 * MS), (4, 10 * MS), (3, 30 * MS)]
        );
    }

    #[test]
    fn a_state_without_a_clock_loads_at_boot_time() {
        let k = Kernel::new(1);
        let mut v = serde_json::to_value(&k).expect("serialise");
        if let Some(o) = v.as_object_mut() {
            o.remove("clock");
        }
        let back: Kernel = serde_json::from_value(v).expect("deserialise");
        assert_eq!((back.now(), back.next_timer()), (0, None));
    }

    #[test]
    fn a_loaded_queue_with_a_sequence_not_handed_out_is_refused() {
        let mut k = Kernel::new(1);
        k.timer_add(10 * MS, Timer::Probe(1));
        let mut v = serde_json::to_value(&k).expect("serialise");
        v["clock"]["next_seq"] = serde_json::json!(0);
        let e = serde_json::from_value::<Kernel>(v.clone()).expect_err("refused");
        assert!(e.to_string().contains("next_seq"), "{e}");
        v["clock"]["next_seq"] = serde_json::json!(u64::MAX);
        let e = serde_json::from_value::<Kernel>(v).expect_err("refused");
        assert!(e.to_string().contains("maximum"), "{e}");
    }
}
