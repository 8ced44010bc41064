//! Profiling aid: fill + encode + emit of many dummy links, without sockets.
use kernel_model::{Kernel, LinkInfoRequest, LinkRequest};
fn main() {
    let mut k = Kernel::new(1);
    let ns = k.init_net();
    for i in 0..20000 {
        let req = LinkRequest {
            ifname: Some(format!("d{i}")),
            nlm: kernel_model::NewLinkFlags {
                create: true,
                excl: true,
                replace: false,
            },
            linkinfo: Some(LinkInfoRequest {
                kind: Some("dummy".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        k.newlink(ns, &req).unwrap();
    }
    k.take_events();
    let ids: Vec<_> = k.devices_from(ns, 0).map(|d| d.id).collect();
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..5 {
        for id in &ids {
            let v = k.fill(*id);
            let m = nlsim::rtnl::link::encode_link_message(&v, 0, 0);
            let b = nlsim::rtnl::link::emit(
                netlink_packet_route::RouteNetlinkMessage::NewLink(m),
                2,
                1,
                1,
            );
            total += b.len();
        }
    }
    let per = t.elapsed().as_secs_f64() / (5.0 * ids.len() as f64);
    println!(
        "{:.2} us per link, {} bytes each",
        per * 1e6,
        total / (5 * ids.len())
    );
    let t = std::time::Instant::now();
    for id in &ids {
        std::hint::black_box(k.fill(*id));
    }
    println!(
        "fill only: {:.2} us",
        t.elapsed().as_secs_f64() / ids.len() as f64 * 1e6
    );
    let views: Vec<_> = ids.iter().map(|id| k.fill(*id)).collect();
    let t = std::time::Instant::now();
    for v in &views {
        std::hint::black_box(nlsim::rtnl::link::encode_link_message(v, 0, 0));
    }
    println!(
        "build LinkMessage only: {:.2} us",
        t.elapsed().as_secs_f64() / ids.len() as f64 * 1e6
    );
    let msgs: Vec<_> = views
        .iter()
        .map(|v| nlsim::rtnl::link::encode_link_message(v, 0, 0))
        .collect();
    let t = std::time::Instant::now();
    let mut out = Vec::with_capacity(1 << 20);
    for m in msgs {
        out.clear();
        nlsim::rtnl::link::emit_into(
            &mut out,
            netlink_packet_route::RouteNetlinkMessage::NewLink(m),
            2,
            1,
            1,
        );
    }
    println!(
        "emit only: {:.2} us",
        t.elapsed().as_secs_f64() / ids.len() as f64 * 1e6
    );
}
