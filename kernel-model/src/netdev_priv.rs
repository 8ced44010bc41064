//! What the generic code holds for a kind without knowing its types: a device's private state
//! (`netdev_priv`), a master's per-port state, IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA as the
//! netlink side decoded them, what `fill_info` / `fill_slave_info` answer, and a driver's open
//! character-device files. Each kind's own types live in its file and implement one of the
//! traits below (serialized through `typetag`, under the name given at the impl); the holder
//! is cloned, compared and printed through the trait and read back with `downcast_ref`.

use crate::device::DevId;
use crate::kernel::Kernel;
use crate::link_ops::Kind;
use crate::validate::Violation;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::Any;
use std::fmt::Debug;

/// Declares an object-safe value trait (serialized by `typetag`) and its helper trait, which
/// every `Clone + PartialEq` implementor gets for free: clone, compare, downcast.
macro_rules! value_trait {
    ($(#[$doc:meta])* $value:ident, $helper:ident { $($item:tt)* }) => {
        $(#[$doc])*
        #[typetag::serde]
        pub trait $value: $helper + Debug + Send + Sync + 'static {
            $($item)*
        }

        #[doc(hidden)]
        pub trait $helper {
            fn clone_box(&self) -> Box<dyn $value>;
            fn eq_dyn(&self, other: &dyn Any) -> bool;
            fn as_any(&self) -> &dyn Any;
            fn as_any_mut(&mut self) -> &mut dyn Any;
        }

        impl<T: $value + Clone + PartialEq> $helper for T {
            fn clone_box(&self) -> Box<dyn $value> {
                Box::new(self.clone())
            }
            fn eq_dyn(&self, other: &dyn Any) -> bool {
                other.downcast_ref::<T>() == Some(self)
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
            fn as_any_mut(&mut self) -> &mut dyn Any {
                self
            }
        }
    };
}

/// A type-erased holder of one value of a [`value_trait`]: `new`, `downcast_ref`,
/// `downcast_mut`, and Clone / PartialEq / Debug / serde through the trait.
macro_rules! erased_holder {
    ($(#[$doc:meta])* $holder:ident, $value:ident) => {
        $(#[$doc])*
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $holder(Box<dyn $value>);

        impl $holder {
            pub fn new<T: $value>(value: T) -> Self {
                $holder(Box::new(value))
            }

            pub fn boxed<T: $value>(value: Box<T>) -> Self {
                $holder(value)
            }

            pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
                self.0.as_any().downcast_ref()
            }

            pub fn downcast_mut<T: 'static>(&mut self) -> Option<&mut T> {
                self.0.as_any_mut().downcast_mut()
            }

            pub fn is<T: 'static>(&self) -> bool {
                self.0.as_any().is::<T>()
            }

            pub fn value(&self) -> &dyn $value {
                &*self.0
            }
        }

        impl Clone for $holder {
            fn clone(&self) -> Self {
                $holder(self.0.clone_box())
            }
        }

        impl PartialEq for $holder {
            fn eq(&self, other: &Self) -> bool {
                self.0.eq_dyn(other.0.as_any())
            }
        }

        impl Eq for $holder {}
    };
}

value_trait!(
    /// A kind's private state (`netdev_priv(dev)`).
    KindPriv, KindPrivDyn {}
);

value_trait!(
    /// What a master keeps about one of its ports (`net_bridge_port`, `slave`, ...).
    PortPriv, PortPrivDyn {
        /// The master that created this state (`br_add_if`, `bond_enslave`, ...) and its kind.
        fn master(&self) -> (DevId, Kind);
    }
);

value_trait!(
    /// IFLA_INFO_DATA of one kind, decoded by the netlink side.
    KindDataValue, KindDataValueDyn {}
);

value_trait!(
    /// IFLA_INFO_SLAVE_DATA for one master kind, decoded by the netlink side.
    PortDataValue, PortDataValueDyn {}
);

value_trait!(
    /// IFLA_INFO_DATA contents of one kind (`fill_info`).
    KindInfoValue, KindInfoValueDyn {}
);

value_trait!(
    /// IFLA_INFO_SLAVE_DATA contents of one master kind (`fill_slave_info`).
    PortInfoValue, PortInfoValueDyn {}
);

value_trait!(
    /// A driver's open character-device file (`struct tun_file` of `/dev/net/tun`).
    DriverFileValue, DriverFileValueDyn {
        /// The file's references name live namespaces and devices (loaded states).
        fn check(&self, k: &Kernel, id: u64) -> Result<(), Violation>;
    }
);

erased_holder!(
    /// Data a master keeps about this device as one of its ports.
    PortState, PortPriv
);

impl PortState {
    /// The master that created this state and its kind.
    pub fn master(&self) -> (DevId, Kind) {
        self.0.master()
    }
}

erased_holder!(
    /// IFLA_INFO_DATA decoded for a kind the netlink side knows:
    /// `KindData::new(BridgeData(opts))`, read back with `downcast_ref::<BridgeData>()`.
    KindData, KindDataValue
);

erased_holder!(
    /// IFLA_INFO_SLAVE_DATA decoded for a master kind the netlink side knows.
    PortData, PortDataValue
);

erased_holder!(
    /// IFLA_INFO_DATA contents (`fill_info`): `info.downcast_ref::<BridgeInfo>()`.
    KindInfo, KindInfoValue
);

erased_holder!(
    /// IFLA_INFO_SLAVE_DATA contents (`fill_slave_info`).
    PortInfo, PortInfoValue
);

erased_holder!(
    /// An open driver file (`Kernel::files`).
    DriverFile, DriverFileValue
);

impl DriverFile {
    pub fn check(&self, k: &Kernel, id: u64) -> Result<(), Violation> {
        self.0.check(k, id)
    }
}

/// IFLA_INFO_DATA of a kind whose attributes the netlink side does not decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpaqueData;

#[typetag::serde(name = "Opaque")]
impl KindDataValue for OpaqueData {}

#[typetag::serde(name = "Opaque")]
impl PortDataValue for OpaqueData {}

impl KindData {
    /// Data for a kind whose attributes the netlink side does not decode.
    pub fn opaque() -> Self {
        KindData::new(OpaqueData)
    }
}

impl PortData {
    /// Slave data for a master whose attributes the netlink side does not decode.
    pub fn opaque() -> Self {
        PortData::new(OpaqueData)
    }
}

/// A device's private state (`netdev_priv`): none for drivers without one (loopback, dummy,
/// ifb, nlmon), otherwise the kind's own struct. Serialized as "None" or `{"Bridge": {...}}`.
#[derive(Debug, Default)]
pub struct KindState(Option<Box<dyn KindPriv>>);

impl KindState {
    pub const NONE: KindState = KindState(None);

    pub fn new<T: KindPriv>(value: T) -> Self {
        KindState(Some(Box::new(value)))
    }

    pub fn boxed<T: KindPriv>(value: Box<T>) -> Self {
        KindState(Some(value))
    }

    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        self.0.as_ref()?.as_any().downcast_ref()
    }

    pub fn downcast_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.0.as_mut()?.as_any_mut().downcast_mut()
    }

    pub fn is<T: 'static>(&self) -> bool {
        self.downcast_ref::<T>().is_some()
    }
}

impl Clone for KindState {
    fn clone(&self) -> Self {
        KindState(self.0.as_ref().map(|b| b.clone_box()))
    }
}

impl PartialEq for KindState {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_dyn(b.as_any()),
            _ => false,
        }
    }
}

impl Eq for KindState {}

impl Serialize for KindState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            None => s.serialize_unit_variant("KindState", 0, "None"),
            Some(b) => b.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for KindState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KindState, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Tag(String),
            Priv(Box<dyn KindPriv>),
        }
        match Repr::deserialize(d)? {
            Repr::Tag(t) if t == "None" => Ok(KindState::NONE),
            Repr::Tag(t) => Err(serde::de::Error::custom(format!(
                "unknown device state {t:?}"
            ))),
            Repr::Priv(b) => Ok(KindState(Some(b))),
        }
    }
}
