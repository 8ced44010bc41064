//! Where the model's time comes from: the host's monotonic clock since the simulator started
//! ([`ClockMode::Real`]), or only explicit advances ([`ClockMode::Manual`]). The model never
//! reads the host's clock itself; the server sets its time (`Kernel::advance_to`) from here
//! before it handles anything, and sleeps in `epoll_wait` only until the next timer is due.

use crate::control::ClockMode;
use kernel_model::time::{Nanos, NSEC_PER_MSEC};
use std::time::Instant;

pub(crate) struct SimClock {
    mode: ClockMode,
    /// When the simulator started (real mode's zero).
    started: Instant,
    /// The model's time at the start: a loaded state resumes where it was saved.
    base: Nanos,
    /// What explicit advances added.
    offset: Nanos,
}

impl SimClock {
    /// A clock starting at the model's current time `base`.
    pub fn new(mode: ClockMode, base: Nanos) -> Self {
        SimClock {
            mode,
            started: Instant::now(),
            base,
            offset: 0,
        }
    }

    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    /// The time the model should be at now.
    pub fn now(&self) -> Nanos {
        let elapsed = match self.mode {
            ClockMode::Real => u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX),
            ClockMode::Manual => 0,
        };
        self.base
            .saturating_add(elapsed)
            .saturating_add(self.offset)
    }

    /// An explicit advance: time jumps `d` forward (and, in real mode, runs on from there).
    pub fn advance(&mut self, d: Nanos) {
        self.offset = self.offset.saturating_add(d);
    }

    /// How long `epoll_wait` may sleep (-1: until something happens) before the timer due at
    /// `next` must fire: 0 when it is already due, rounded up to whole milliseconds so the
    /// wake-up is never early. Manual time does not move while the server waits.
    pub fn poll_timeout_ms(&self, next: Option<Nanos>) -> i32 {
        let Some(at) = next else {
            return -1;
        };
        let now = self.now();
        if at <= now {
            return 0;
        }
        match self.mode {
            ClockMode::Manual => -1,
            ClockMode::Real => {
                let ms = (at - now).div_ceil(NSEC_PER_MSEC);
                i32::try_from(ms).unwrap_or(i32::MAX)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_model::time::NSEC_PER_SEC;

    #[test]
    fn manual_time_moves_only_by_advances() {
        let mut c = SimClock::new(ClockMode::Manual, 5);
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(c.now(), 5);
        c.advance(NSEC_PER_SEC);
        assert_eq!(c.now(), NSEC_PER_SEC + 5);
        assert_eq!(c.poll_timeout_ms(Some(2 * NSEC_PER_SEC)), -1);
        assert_eq!(c.poll_timeout_ms(Some(NSEC_PER_SEC)), 0);
        assert_eq!(c.poll_timeout_ms(None), -1);
    }

    #[test]
    fn real_time_follows_the_host_plus_advances() {
        let mut c = SimClock::new(ClockMode::Real, NSEC_PER_SEC);
        let t0 = c.now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let t1 = c.now();
        assert!(t1 >= t0 + 2 * NSEC_PER_MSEC, "{t0} {t1}");
        c.advance(10 * NSEC_PER_SEC);
        assert!(c.now() >= t1 + 10 * NSEC_PER_SEC);
        let wait = c.poll_timeout_ms(Some(c.now() + 1500 * NSEC_PER_MSEC));
        assert!((1..=1500).contains(&wait), "{wait}");
        assert_eq!(c.poll_timeout_ms(Some(u64::MAX)), i32::MAX);
    }

    #[test]
    fn a_saved_time_near_the_end_saturates() {
        let c = SimClock::new(ClockMode::Real, u64::MAX - 1);
        std::thread::sleep(std::time::Duration::from_millis(1));
        assert_eq!(c.now(), u64::MAX);
    }
}
