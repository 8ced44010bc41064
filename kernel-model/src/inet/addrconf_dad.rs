//! Duplicate address detection (net/ipv6/addrconf.c: `addrconf_dad_start`, `_work`, `_begin`,
//! `_kick`, `_completed`, `_stop`, `_run`) on the model's clock, and the IPv6 lifetime work
//! (`addrconf_verify_rtnl`).
//!
//! nlsim has no other node on the link: DAD never fails. An address stays IFA_F_TENTATIVE from
//! `ipv6_add_addr` until its DAD work has run its course: the first run (queued with no delay)
//! joins the solicited-node group and either completes at once (IFF_NOARP / loopback devices,
//! accept_dad < 1, IFA_F_NODAD) or kicks a probe after a random delay below
//! rtr_solicit_delay; each of the dad_transmits probes then waits retrans_time (1 s).

use super::devinet::{round_jiffies_up, ADDRCONF_TIMER_FUZZ, ADDRCONF_TIMER_FUZZ_MAX};
use super::ifaddr::{ifa_f, Inet6State, INFINITY_LIFE_TIME};
use crate::device::DevId;
use crate::hwaddr::SeededRng;
use crate::kernel::{Kernel, LinkMsg};
use crate::time::{Nanos, Timer, HZ, NSEC_PER_JIFFY, NSEC_PER_SEC};
use std::net::Ipv6Addr;

/// `ADDR_CHECK_FREQUENCY` in jiffies.
const ADDR_CHECK_FREQUENCY: u64 = 120 * HZ;

impl Kernel {
    /// `addrconf_mod_dad_work(ifp, delay)`: (re)queues the address's DAD work.
    fn addrconf_mod_dad_work(&mut self, id: DevId, addr: Ipv6Addr, delay_jiffies: u64) {
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        if let Some(t) = self.in6_dev_addrs_mut(id)[i].dad_timer.take() {
            self.timer_del(t);
        }
        let at = self.now() + delay_jiffies * NSEC_PER_JIFFY;
        let key = self.timer_add(at, Timer::AddrconfDad { dev: id, addr });
        self.in6_dev_addrs_mut(id)[i].dad_timer = Some(key);
    }

    /// `addrconf_del_dad_work`.
    fn addrconf_del_dad_work(&mut self, id: DevId, addr: Ipv6Addr) {
        if let Some(i) = self.in6_find(id, &addr) {
            if let Some(t) = self.in6_dev_addrs_mut(id)[i].dad_timer.take() {
                self.timer_del(t);
            }
        }
    }

    /// `addrconf_dad_start`.
    pub(crate) fn addrconf_dad_start(&mut self, id: DevId, addr: Ipv6Addr) {
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        if self.in6_dev_addrs(id)[i].state == Inet6State::Dead {
            return;
        }
        self.in6_dev_addrs_mut(id)[i].state = Inet6State::PreDad;
        self.addrconf_mod_dad_work(id, addr, 0);
    }

    /// `addrconf_dad_work`: the DAD timer of (`id`, `addr`) fired.
    pub(crate) fn addrconf_dad_work(&mut self, id: DevId, addr: Ipv6Addr) {
        if !self.devices.contains_key(&id) {
            return;
        }
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        self.in6_dev_addrs_mut(id)[i].dad_timer = None;
        match self.in6_dev_addrs(id)[i].state {
            Inet6State::PreDad => {
                self.in6_dev_addrs_mut(id)[i].state = Inet6State::Dad;
                self.addrconf_dad_begin(id, addr);
                return;
            }
            Inet6State::ErrDad => {
                // DAD_ABORT: never reached, nlsim's DAD does not fail.
                self.in6_dev_addrs_mut(id)[i].state = Inet6State::PostDad;
                return;
            }
            _ => {}
        }
        let ifa = self.in6_dev_addrs(id)[i].clone();
        if ifa.dad_probes == 0 {
            // addrconf_dad_end: only from the DAD state.
            if ifa.state != Inet6State::Dad {
                return;
            }
            self.in6_dev_addrs_mut(id)[i].state = Inet6State::PostDad;
        }
        if !self.dev(id).inet.in6 || !self.dev(id).inet.if_ready {
            return;
        }
        if ifa.state == Inet6State::Dead {
            return;
        }
        if ifa.dad_probes == 0 {
            // "DAD was successful"
            let bump = ifa.flags & ifa_f::TENTATIVE != 0;
            self.in6_dev_addrs_mut(id)[i].flags &=
                !(ifa_f::TENTATIVE | ifa_f::OPTIMISTIC | ifa_f::DADFAILED);
            self.addrconf_dad_completed(id, addr, bump);
            return;
        }
        self.in6_dev_addrs_mut(id)[i].dad_probes -= 1;
        let retrans = self.addrconf_cnf(id).retrans_time.max(HZ / 100);
        self.addrconf_mod_dad_work(id, addr, retrans);
        // ndisc_send_ns: nothing on the wire in nlsim.
    }

    /// `addrconf_dad_begin`.
    fn addrconf_dad_begin(&mut self, id: DevId, addr: Ipv6Addr) {
        self.addrconf_join_solict(id, &addr);
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        let ifa = self.in6_dev_addrs(id)[i].clone();
        if ifa.state == Inet6State::Dead {
            return;
        }
        let cnf = self.addrconf_cnf(id);
        let flags = self.dev(id).flags;
        if flags & (crate::uapi::iff::NOARP | crate::uapi::iff::LOOPBACK) != 0
            || cnf.accept_dad < 1
            || ifa.flags & ifa_f::TENTATIVE == 0
            || ifa.flags & ifa_f::NODAD != 0
        {
            let bump = ifa.flags & ifa_f::TENTATIVE != 0;
            self.in6_dev_addrs_mut(id)[i].flags &=
                !(ifa_f::TENTATIVE | ifa_f::OPTIMISTIC | ifa_f::DADFAILED);
            self.addrconf_dad_completed(id, addr, bump);
            return;
        }
        if !self.dev(id).inet.if_ready {
            // addrconf_dad_stop(ifp, 0): a permanent address stays tentative (waits for the
            // link), any other goes.
            if ifa.flags & ifa_f::PERMANENT != 0 {
                self.addrconf_del_dad_work(id, addr);
                self.in6_dev_addrs_mut(id)[i].flags |= ifa_f::TENTATIVE;
            } else {
                self.ipv6_del_addr(id, addr);
            }
            return;
        }
        self.addrconf_dad_kick(id, addr);
    }

    /// `addrconf_dad_kick`: the first probe after a random delay below rtr_solicit_delay.
    fn addrconf_dad_kick(&mut self, id: DevId, addr: Ipv6Addr) {
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        let cnf = self.addrconf_cnf(id);
        let rand = if self.in6_dev_addrs(id)[i].flags & ifa_f::OPTIMISTIC != 0 {
            0
        } else {
            // get_random_u32_below(rtr_solicit_delay ?: 1), from a generator seeded by the
            // address and the time (the model's MAC sequence stays untouched).
            let seed = (u128::from(addr) as u64) ^ ((u128::from(addr) >> 64) as u64) ^ self.now();
            SeededRng::new(seed ^ id.0).next_u64() % cnf.rtr_solicit_delay.max(1)
        };
        self.in6_dev_addrs_mut(id)[i].dad_probes = cnf.dad_transmits;
        self.addrconf_mod_dad_work(id, addr, rand);
    }

    /// `addrconf_dad_completed`: the address is announced (RTM_NEWADDR, its local route).
    /// Router solicitation (IF_RS_SENT) is reported by the devconf view.
    fn addrconf_dad_completed(&mut self, id: DevId, addr: Ipv6Addr, _bump_id: bool) {
        self.addrconf_del_dad_work(id, addr);
        self.ipv6_ifa_notify(Some(LinkMsg::New), id, addr);
    }

    /// `addrconf_dad_run`: DAD restarts for the addresses waiting in the DAD state (or all,
    /// `restart`).
    pub(crate) fn addrconf_dad_run(&mut self, id: DevId, restart: bool) {
        let addrs: Vec<(Ipv6Addr, bool, Inet6State)> = self
            .in6_dev_addrs(id)
            .iter()
            .map(|a| (a.addr, a.flags & ifa_f::TENTATIVE != 0, a.state))
            .collect();
        for (addr, tentative, state) in addrs {
            if (tentative && state == Inet6State::Dad) || restart {
                if restart {
                    if let Some(i) = self.in6_find(id, &addr) {
                        self.in6_dev_addrs_mut(id)[i].state = Inet6State::PreDad;
                    }
                }
                self.addrconf_dad_kick(id, addr);
            }
        }
    }

    /// Whether an IPv6 address is waiting for its DAD timer (the oracle's guest waits until
    /// no address is tentative before taking the final state).
    pub(crate) fn addrconf_dad_pending(&self) -> bool {
        self.devices.values().any(|d| {
            d.ifaddrs.as_deref().is_some_and(|a| {
                a.v6.iter()
                    .any(|x| x.flags & ifa_f::TENTATIVE != 0 && x.dad_timer.is_some())
            })
        })
    }

    /// `addrconf_verify_rtnl` queued now (`mod_delayed_work(.., &net->ipv6.addr_chk_work, 0)`).
    pub(crate) fn addrconf_verify_queue_now(&mut self) {
        self.timer_del_where(|t| matches!(t, Timer::AddrconfVerify));
        let now = self.now();
        self.timer_add(now, Timer::AddrconfVerify);
    }

    /// `addrconf_verify_rtnl`: expired addresses deleted, addresses past their preferred
    /// lifetime marked IFA_F_DEPRECATED and announced; re-queued for the next deadline.
    pub(crate) fn addrconf_verify_rtnl(&mut self) {
        let now = self.jiffies();
        let mut next = round_jiffies_up(now + ADDR_CHECK_FREQUENCY);
        let ids: Vec<DevId> = self
            .devices
            .iter()
            .filter(|(_, d)| d.ifaddrs.as_deref().is_some_and(|a| !a.v6.is_empty()))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            let addrs: Vec<Ipv6Addr> = self.in6_dev_addrs(id).iter().map(|a| a.addr).collect();
            for addr in addrs {
                let Some(i) = self.in6_find(id, &addr) else {
                    continue;
                };
                let ifa = self.in6_dev_addrs(id)[i].clone();
                if ifa.flags & ifa_f::PERMANENT != 0 {
                    continue;
                }
                let tstamp = ifa.tstamp / NSEC_PER_JIFFY;
                let age =
                    (now.saturating_sub(tstamp) + super::devinet::ADDRCONF_TIMER_FUZZ_MINUS) / HZ;
                let valid = u64::from(ifa.valid_lft);
                let pref = u64::from(ifa.prefered_lft);
                if ifa.valid_lft != INFINITY_LIFE_TIME && age >= valid {
                    self.ipv6_del_addr(id, addr);
                    continue;
                }
                if ifa.prefered_lft == INFINITY_LIFE_TIME {
                    continue;
                }
                if age >= pref {
                    if ifa.valid_lft != INFINITY_LIFE_TIME {
                        next = next.min(tstamp + valid * HZ);
                    }
                    if ifa.flags & ifa_f::DEPRECATED == 0 {
                        self.in6_dev_addrs_mut(id)[i].flags |= ifa_f::DEPRECATED;
                        self.ipv6_ifa_notify(None, id, addr);
                    }
                } else {
                    next = next.min(tstamp + pref * HZ);
                }
            }
        }
        let next_sec = round_jiffies_up(next);
        let mut next_sched = next;
        if next_sec < next + ADDRCONF_TIMER_FUZZ {
            next_sched = next_sec;
        }
        next_sched = next_sched.max(now + ADDRCONF_TIMER_FUZZ_MAX);
        let at: Nanos = next_sched * NSEC_PER_JIFFY;
        let _ = NSEC_PER_SEC;
        self.timer_add(at, Timer::AddrconfVerify);
    }
}
