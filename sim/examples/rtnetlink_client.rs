//! A stock `rtnetlink` client, dynamically linked against glibc, for `nlsim run`
//! (sim/tests/run_rust.rs runs it; it is an ordinary program, not nlsim-aware):
//! `rtnetlink::new_connection()` as any tool would open it, then a listing, a bridge, a veth
//! pair and a dummy, a port enslaved and brought up, and the listing again.
//!
//! Prints one line per link (`index name master=NAME|- up|down`); any error exits 1.

use futures::TryStreamExt;
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkMessage};
use rtnetlink::{Handle, LinkBridge, LinkDummy, LinkUnspec, LinkVeth};
use std::collections::BTreeMap;

type Error = Box<dyn std::error::Error>;

fn name_of(m: &LinkMessage) -> String {
    m.attributes
        .iter()
        .find_map(|a| match a {
            LinkAttribute::IfName(n) => Some(n.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

async fn links(h: &Handle) -> Result<Vec<LinkMessage>, Error> {
    Ok(h.link().get().execute().try_collect().await?)
}

async fn index_of(h: &Handle, name: &str) -> Result<u32, Error> {
    let l = h
        .link()
        .get()
        .match_name(name.to_string())
        .execute()
        .try_next()
        .await?
        .ok_or_else(|| format!("no link {name}"))?;
    Ok(l.header.index)
}

fn print(what: &str, ls: &[LinkMessage]) {
    let names: BTreeMap<u32, String> = ls.iter().map(|l| (l.header.index, name_of(l))).collect();
    for l in ls {
        let master = l
            .attributes
            .iter()
            .find_map(|a| match a {
                LinkAttribute::Controller(i) => names.get(i).cloned(),
                _ => None,
            })
            .unwrap_or_else(|| "-".into());
        let up = if l.header.flags.contains(LinkFlags::Up) {
            "up"
        } else {
            "down"
        };
        println!(
            "{what}: {} {} master={master} {up}",
            l.header.index,
            name_of(l)
        );
    }
}

async fn client() -> Result<(), Error> {
    let (conn, h, _) = rtnetlink::new_connection()?;
    tokio::spawn(conn);
    print("before", &links(&h).await?);
    h.link()
        .add(LinkBridge::new("br0").build())
        .execute()
        .await?;
    h.link()
        .add(LinkVeth::new("veth0", "veth1").build())
        .execute()
        .await?;
    h.link().add(LinkDummy::new("d0").build()).execute().await?;
    let br0 = index_of(&h, "br0").await?;
    for port in ["veth0", "eth0"] {
        let i = index_of(&h, port).await?;
        h.link()
            .set(LinkUnspec::new_with_index(i).controller(br0).up().build())
            .execute()
            .await?;
    }
    h.link()
        .set(LinkUnspec::new_with_index(br0).up().build())
        .execute()
        .await?;
    print("after", &links(&h).await?);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = client().await {
        println!("error: {e}");
        std::process::exit(1);
    }
}
