//! A saved state (`nlsim run --state`) goes through serde JSON with the kinds' private state
//! type-erased: the JSON keeps the shape it had with the closed enums (`"state": "None"` or
//! `{"Bridge": {...}}`, a port as `{"Bridge": {...}}`), kinds are written by id, and a state
//! written with the old kind names still loads.

// Not every helper is used here.
mod common;
use common::{boot, dev, CREATE};
use kernel_model::kinds::bridge::BridgeState;
use kernel_model::kinds::tun::TunCred;
use kernel_model::kinds::veth::VethData;
use kernel_model::{Kernel, KindData, LinkInfoRequest, LinkRequest};
use serde_json::{json, Value};

fn add(k: &mut Kernel, name: &str, kind: &str, data: Option<KindData>) {
    let init = k.init_net();
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.into()),
            data,
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(init, &req)
        .unwrap_or_else(|e| panic!("add {name}: {e:?}"));
}

fn built() -> Kernel {
    let mut k = boot();
    let init = k.init_net();
    add(&mut k, "br0", "bridge", None);
    let peer = LinkRequest {
        ifname: Some("v1".into()),
        ..Default::default()
    };
    add(
        &mut k,
        "v0",
        "veth",
        Some(KindData::new(VethData {
            peer: Some(Box::new(peer)),
        })),
    );
    let br0 = k.dev(dev(&k, init, "br0")).ifindex;
    let set = LinkRequest {
        ifname: Some("v0".into()),
        master: Some(br0),
        ..Default::default()
    };
    k.setlink(init, &set).expect("enslave v0");
    let f = k.tun_open(init);
    let admin = TunCred {
        net_admin: true,
        ..TunCred::default()
    };
    k.tun_set_iff(f, "tap0", 0x0002, &admin).expect("TUNSETIFF");
    k.take_events();
    k
}

fn device<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["devices"]
        .as_object()
        .and_then(|m| m.values().find(|d| d["name"] == name))
        .unwrap_or_else(|| panic!("{name} in the JSON"))
}

#[test]
fn private_state_keeps_its_json_shape_and_round_trips() {
    let k = built();
    assert_eq!(k.validate(), Ok(()));
    let v = serde_json::to_value(&k).expect("serialize");
    assert_eq!(device(&v, "lo")["state"], json!("None"));
    assert_eq!(device(&v, "lo")["kind"], json!("loopback"));
    assert_eq!(device(&v, "br0")["kind"], json!("bridge"));
    assert!(device(&v, "br0")["state"]["Bridge"].is_object());
    assert!(device(&v, "v0")["port"]["Bridge"].is_object());
    assert!(device(&v, "v1")["state"]["Veth"]["peer"].is_number());
    assert_eq!(device(&v, "tap0")["kind"], json!("tap"));
    assert!(device(&v, "tap0")["state"]["Tun"].is_object());
    let files = v["files"].as_object().expect("files");
    assert!(files.values().all(|f| f["TunFile"].is_object()));

    let back: Kernel = serde_json::from_value(v.clone()).expect("deserialize");
    assert_eq!(back.validate(), Ok(()));
    assert_eq!(serde_json::to_value(&back).expect("serialize again"), v);
    let init = back.init_net();
    let br0 = back.dev(dev(&back, init, "br0"));
    assert!(br0.is_kind("bridge"));
    assert!(br0.state.downcast_ref::<BridgeState>().is_some());
    assert_eq!(back.fill(br0.id), k.fill(br0.id));
}

#[test]
fn old_kind_names_and_file_fields_still_load() {
    let mut v = serde_json::to_value(built()).expect("serialize");
    for d in v["devices"].as_object_mut().expect("devices").values_mut() {
        let old = match d["kind"].as_str() {
            Some("bridge") => "Bridge",
            Some("tap") => "Tap",
            Some("netdevsim") => "Netdevsim",
            Some("loopback") => "Loopback",
            Some("veth") => "Veth",
            _ => continue,
        };
        d["kind"] = json!(old);
    }
    let obj = v.as_object_mut().expect("state");
    let files = obj.remove("files").expect("files");
    let next = obj.remove("next_file").expect("next_file");
    obj.insert("tun_files".into(), files);
    obj.insert("next_tun_file".into(), next);
    let k: Kernel = serde_json::from_value(v).expect("old names load");
    assert_eq!(k.validate(), Ok(()));
    let init = k.init_net();
    assert!(k.dev(dev(&k, init, "br0")).is_kind("bridge"));
    assert!(k.dev(dev(&k, init, "tap0")).is_kind("tap"));
}

#[test]
fn an_unknown_kind_or_state_is_a_load_error() {
    let mut v = serde_json::to_value(boot()).expect("serialize");
    v["devices"]["2"]["kind"] = json!("warp-drive");
    let e = serde_json::from_value::<Kernel>(v).expect_err("unknown kind");
    assert!(e.to_string().contains("unknown device kind"), "{e}");
    let mut v = serde_json::to_value(boot()).expect("serialize");
    v["devices"]["2"]["state"] = json!("Nothing");
    assert!(serde_json::from_value::<Kernel>(v).is_err());
}
