//! A stock `rtnetlink` client of addresses and routes, for `nlsim run` (sim/tests/run_rust.rs
//! runs it; an ordinary program, not nlsim-aware): a dummy brought up, `handle.address().add`
//! of an IPv4 and an IPv6 address, `handle.route().add` of an IPv4 and an IPv6 gateway route,
//! both listed back (`address().get()`, `route().get()` dumps), then deleted.
//!
//! Prints one line per step, address and route; an unexpected error exits 1.

use futures::TryStreamExt;
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteHeader, RouteMessage};
use rtnetlink::{Handle, LinkDummy, LinkUnspec, RouteMessageBuilder};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

type Error = Box<dyn std::error::Error>;

/// The errno of a refused request, or the error itself.
fn errno(r: Result<(), rtnetlink::Error>) -> Result<i32, Error> {
    match r {
        Err(rtnetlink::Error::NetlinkError(e)) => Ok(-e.raw_code()),
        Err(e) => Err(e.into()),
        Ok(()) => Err("succeeded".into()),
    }
}

async fn addresses(h: &Handle, index: u32) -> Result<Vec<AddressMessage>, Error> {
    Ok(h.address()
        .get()
        .set_link_index_filter(index)
        .execute()
        .try_collect()
        .await?)
}

fn print_address(a: &AddressMessage) {
    let mut addr = None;
    let (mut label, mut brd) = ("-".to_string(), "-".to_string());
    for attr in &a.attributes {
        match attr {
            AddressAttribute::Address(ip) => addr = Some(*ip),
            AddressAttribute::Label(l) => label = l.clone(),
            AddressAttribute::Broadcast(b) => brd = b.to_string(),
            _ => {}
        }
    }
    let addr = match addr {
        Some(IpAddr::V6(v6)) if v6.segments()[0] == 0xfe80 => "fe80::(link-local)".to_string(),
        Some(ip) => ip.to_string(),
        None => "?".to_string(),
    };
    println!(
        "addr {addr}/{} label={label} brd={brd} scope={:?}",
        a.header.prefix_len, a.header.scope
    );
}

async fn main_routes(h: &Handle, dump: RouteMessage) -> Result<(), Error> {
    let routes: Vec<RouteMessage> = h.route().get(dump).execute().try_collect().await?;
    for r in routes
        .iter()
        .filter(|r| r.header.table == RouteHeader::RT_TABLE_MAIN)
    {
        let (mut dst, mut gw) = ("default".to_string(), "-".to_string());
        for attr in &r.attributes {
            match attr {
                RouteAttribute::Destination(RouteAddress::Inet(a)) => dst = a.to_string(),
                RouteAttribute::Destination(RouteAddress::Inet6(a)) => dst = a.to_string(),
                RouteAttribute::Gateway(RouteAddress::Inet(a)) => gw = a.to_string(),
                RouteAttribute::Gateway(RouteAddress::Inet6(a)) => gw = a.to_string(),
                _ => {}
            }
        }
        println!(
            "route {dst}/{} gw={gw} proto={:?} scope={:?}",
            r.header.destination_prefix_length, r.header.protocol, r.header.scope
        );
    }
    Ok(())
}

async fn client() -> Result<(), Error> {
    let (conn, h, _) = rtnetlink::new_connection()?;
    tokio::spawn(conn);
    h.link().add(LinkDummy::new("d0").build()).execute().await?;
    let d0 = h
        .link()
        .get()
        .match_name("d0".to_string())
        .execute()
        .try_next()
        .await?
        .ok_or("no d0")?
        .header
        .index;
    h.link()
        .set(LinkUnspec::new_with_index(d0).up().build())
        .execute()
        .await?;

    let v4 = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    h.address().add(d0, v4, 24).execute().await?;
    let v6 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
    h.address().add(d0, v6, 64).execute().await?;
    let again = errno(h.address().add(d0, v4, 24).execute().await)?;
    println!("address again: errno {again}");
    for a in addresses(&h, d0).await? {
        print_address(&a);
    }

    let gw4 = RouteMessageBuilder::<Ipv4Addr>::new()
        .destination_prefix(Ipv4Addr::new(192, 0, 2, 0), 24)
        .gateway(Ipv4Addr::new(10, 0, 0, 254))
        .build();
    h.route().add(gw4.clone()).execute().await?;
    let gw6 = RouteMessageBuilder::<Ipv6Addr>::new()
        .destination_prefix(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), 48)
        .gateway(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xfe))
        .build();
    h.route().add(gw6).execute().await?;
    let again = errno(h.route().add(gw4.clone()).execute().await)?;
    println!("route again: errno {again}");
    main_routes(&h, RouteMessageBuilder::<Ipv4Addr>::new().build()).await?;
    main_routes(&h, RouteMessageBuilder::<Ipv6Addr>::new().build()).await?;

    h.route().del(gw4.clone()).execute().await?;
    let again = errno(h.route().del(gw4).execute().await)?;
    println!("route del again: errno {again}");
    let a4 = addresses(&h, d0)
        .await?
        .into_iter()
        .find(|a| a.attributes.contains(&AddressAttribute::Address(v4)))
        .ok_or("no 10.0.0.1")?;
    h.address().del(a4).execute().await?;
    println!("after del:");
    for a in addresses(&h, d0).await? {
        print_address(&a);
    }
    main_routes(&h, RouteMessageBuilder::<Ipv4Addr>::new().build()).await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = client().await {
        println!("error: {e}");
        std::process::exit(1);
    }
}
