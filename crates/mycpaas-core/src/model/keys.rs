//! The keys of a JSON object read field by field: the names a model knows, and everything else.
//!
//! The hand-written `Deserialize` impls of [`Call`](super::Call) and [`CallPage`](super::CallPage)
//! read their keys through [`Key`]: a known name becomes its field (no allocation), any other name
//! is kept as text for `extra`. The same names serve the lazy [`PageIndex`](super::PageIndex), so
//! both paths agree on which keys are modelled.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The fields of one model, by wire name.
pub(crate) trait FieldName: Sized + Copy {
    /// The field of `name`, or `None` for a name the model does not know.
    fn from_name(name: &str) -> Option<Self>;
    /// The wire name.
    fn name(self) -> &'static str;
    /// A distinct bit per field, to notice a field sent twice.
    fn bit(self) -> u64;
}

/// Declares the fields of a model: an enum with one variant per wire name, and its [`FieldName`].
macro_rules! field_names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum $name {
            $($variant,)*
        }

        impl crate::model::keys::FieldName for $name {
            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some($name::$variant),)*
                    _ => None,
                }
            }

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }

            fn bit(self) -> u64 {
                1 << (self as u32)
            }
        }
    };
}
pub(crate) use field_names;

/// One key of an object: a field the model knows, or another name (kept for `extra`).
pub(crate) enum Key<F> {
    /// A modelled field.
    Known(F),
    /// A name this version does not model.
    Other(String),
}

impl<'de, F: FieldName> Deserialize<'de> for Key<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor(PhantomData))
    }
}

struct KeyVisitor<F>(PhantomData<F>);

impl<F: FieldName> Visitor<'_> for KeyVisitor<F> {
    type Value = Key<F>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key<F>, E> {
        Ok(F::from_name(name).map_or_else(|| Key::Other(name.to_owned()), Key::Known))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Key<F>, E> {
        Ok(F::from_name(&name).map_or(Key::Other(name), Key::Known))
    }
}

/// The fields already read from one object, to refuse a field sent twice (as a derived
/// `Deserialize` does).
#[derive(Default)]
pub(crate) struct Seen(u64);

impl Seen {
    /// Records `field`; an error if it was already there.
    pub(crate) fn first<F: FieldName, E: de::Error>(&mut self, field: F) -> Result<(), E> {
        if self.0 & field.bit() != 0 {
            return Err(E::duplicate_field(field.name()));
        }
        self.0 |= field.bit();
        Ok(())
    }

    /// Whether `field` was read.
    pub(crate) fn has<F: FieldName>(&self, field: F) -> bool {
        self.0 & field.bit() != 0
    }
}
