//! Unit enums written in files, reports and messages as their kebab-case names.
//!
//! Why not `#[derive(Serialize, Deserialize)]`: a derived `Deserialize` is a visitor of its own
//! per enum and per deserializer, about 3 KB of WebAssembly each, and the app's estate and import
//! messages have twenty such enums. Here every enum lists its names once ([`named_enum!`]) and
//! all of them share one visitor ([`index_of_name`]). The names are exactly the ones serde's
//! `rename_all = "kebab-case"` gave (a test compares them with the variants' identifiers), so
//! every file written before reads the same, and the messages for a wrong name are serde's own:
//! "unknown variant `x`, expected one of `a`, `b`".

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// A unit enum with a fixed name per value.
pub trait Named: Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// The name of each value of [`Named::ALL`], in the same order.
    const NAMES: &'static [&'static str];

    /// The value's name in files.
    fn name(self) -> &'static str;

    /// The value a name stands for, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }
}

/// Reads a string and returns its position in `names`, or serde's unknown-variant error.
pub fn index_of_name<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct NameVisitor(&'static [&'static str]);
    impl Visitor<'_> for NameVisitor {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "one of `{}`", self.0.join("`, `"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|n| *n == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }
    d.deserialize_str(NameVisitor(names))
}

/// Implements [`Named`], `Serialize` and `Deserialize` for a unit enum from its variants and
/// names: `named_enum!(RdsMode { PerUser => "per-user", PerDevice => "per-device" });`. The
/// `match` in `name` makes leaving out a variant a compile error.
macro_rules! named_enum {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $crate::named::Named for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];
            fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::named::Named::name(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let i = $crate::named::index_of_name(d, <Self as $crate::named::Named>::NAMES)?;
                Ok(<Self as $crate::named::Named>::ALL[i])
            }
        }
    };
}
pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::estate::*;
    use crate::import::{columns, dates, decode, devices, directory};
    use crate::report::{BreakEvenKind, FindingKind, Severity};

    /// serde's `rename_all = "kebab-case"`: a dash before every capital but the first.
    fn kebab(ident: &str) -> String {
        let mut out = String::new();
        for (i, c) in ident.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[track_caller]
    fn names_are_the_derived_ones<T>()
    where
        T: Named + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned,
    {
        assert_eq!(T::ALL.len(), T::NAMES.len());
        for (&v, &name) in T::ALL.iter().zip(T::NAMES) {
            assert_eq!(name, kebab(&format!("{v:?}")));
            assert_eq!(v.name(), name);
            assert_eq!(T::from_name(name), Some(v));
            let json = serde_json::to_string(&v).unwrap_or_default();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(v));
        }
        let mut unique = T::NAMES.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), T::NAMES.len(), "a name is listed twice");
        assert_eq!(T::from_name("no-such-name"), None);
    }

    #[test]
    fn every_named_enum_keeps_the_names_serde_derived_for_it() {
        names_are_the_derived_ones::<PurchaseChannel>();
        names_are_the_derived_ones::<ExternalConnectorScope>();
        names_are_the_derived_ones::<M365Equivalency>();
        names_are_the_derived_ones::<ExternalAdditiveBase>();
        names_are_the_derived_ones::<M365E3Rights>();
        names_are_the_derived_ones::<M365Printers>();
        names_are_the_derived_ones::<AdditiveBase>();
        names_are_the_derived_ones::<NetworkEquipment>();
        names_are_the_derived_ones::<PersonKind>();
        names_are_the_derived_ones::<M365Plan>();
        names_are_the_derived_ones::<ServerProduct>();
        names_are_the_derived_ones::<Edition>();
        names_are_the_derived_ones::<SqlLicensing>();
        names_are_the_derived_ones::<RdsMode>();
        names_are_the_derived_ones::<Feature>();
        names_are_the_derived_ones::<CalProduct>();
        names_are_the_derived_ones::<LicenceKind>();
        names_are_the_derived_ones::<Severity>();
        names_are_the_derived_ones::<FindingKind>();
        names_are_the_derived_ones::<BreakEvenKind>();
        names_are_the_derived_ones::<devices::DeviceStatus>();
        names_are_the_derived_ones::<decode::TextEncoding>();
        names_are_the_derived_ones::<directory::Status>();
        names_are_the_derived_ones::<directory::KindWhy>();
        names_are_the_derived_ones::<columns::FileKind>();
        names_are_the_derived_ones::<columns::Field>();
        names_are_the_derived_ones::<dates::DateOrder>();
    }

    #[test]
    fn a_wrong_name_gets_serdes_unknown_variant_message() {
        let err = serde_json::from_str::<RdsMode>("\"per-seat\"")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unknown variant `per-seat`, expected `per-user` or `per-device` at line 1 column 10")
        );
        let err = serde_json::from_str::<RdsMode>("3")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid type: integer `3`, expected one of `per-user`, `per-device` at line 1 column 1")
        );
    }

    #[test]
    fn names_work_as_map_keys() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(CalProduct::SharePointEnterprise, 3u32);
        let json = serde_json::to_string(&m).unwrap_or_default();
        assert_eq!(json, r#"{"share-point-enterprise":3}"#);
        let back: std::collections::BTreeMap<CalProduct, u32> =
            serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, m);
    }
}
