//! Declarative macros that generate the repetitive parts of the model: element structs with
//! their attribute fields, setters, writer and parser hooks, and keyword enums. One mechanism
//! keeps every element consistent (alphabetical attribute order, lenient fallbacks, docs).

/// Defines an element struct: hand-written content fields, then generated `Option<..>`
/// attribute fields (listed in alphabetical order of their XML names), one setter per
/// attribute, the `unknown_attributes` field and the [`crate::attr::Attributes`] impl.
///
/// An attribute is declared `kind field: Type = "xmlName",` where `kind` is `into` (setter takes
/// `impl Into<Type>`) or `copy` (setter takes `Type` itself, so integer literals infer).
///
/// Between the struct and its attributes, a documented `new()` declares the constructor of the
/// default element, and `new(field)` the one that takes the text of that `String` field.
macro_rules! element {
    (
        $(#[$meta:meta])*
        pub struct $name:ident = $xml:literal {
            $($body:tt)*
        }
        $( $(#[$new_meta:meta])* new($($new_field:ident)?) )?
        attributes {
            $( $(#[$ameta:meta])* $kind:ident $field:ident : $ty:ty = $attr:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $($body)*
            $( $(#[$ameta])* pub $field: Option<$ty>, )*
            /// Attributes this crate does not know, and known attributes whose value it could
            /// not read, kept by lenient parsing so the document is written back unchanged.
            pub unknown_attributes: Vec<$crate::UnknownAttribute>,
        }

        impl $name {
            /// The element's name as written in a document.
            pub const ELEMENT_NAME: &'static str = $xml;

            $( $crate::macros::constructor!($(#[$new_meta])* $($new_field)?); )?

            $( $crate::macros::setter!($kind, $field, $ty, $attr); )*

            /// Adds an attribute this crate does not model (written after validation warns).
            pub fn unknown_attribute(
                mut self,
                name: impl Into<String>,
                value: impl Into<String>,
            ) -> Self {
                self.unknown_attributes
                    .push($crate::UnknownAttribute::new(name, value));
                self
            }
        }

        impl $crate::attr::Attributes for $name {
            const NAMES: &'static [&'static str] = &[$($attr),*];

            #[allow(unused_variables)] // elements without attributes
            fn write_attributes(&self, out: &mut $crate::write::AttrList<'_>) {
                $( if let Some(value) = &self.$field { out.push($attr, value); } )*
            }

            #[allow(unused_variables)] // elements without attributes
            fn set_attribute(&mut self, name: &str, raw: &str) -> $crate::attr::AttrOutcome {
                match name {
                    $( $attr => if self.$field.is_some() {
                        $crate::attr::AttrOutcome::Duplicate
                    } else {
                        match <$ty as $crate::attr::AttrValue>::parse_value(raw) {
                            Ok(value) => {
                                self.$field = Some(value);
                                $crate::attr::AttrOutcome::Known
                            }
                            Err(rule) => $crate::attr::AttrOutcome::Invalid(rule),
                        }
                    }, )*
                    _ => $crate::attr::AttrOutcome::Unknown,
                }
            }

            fn unknown_attributes(&self) -> &[$crate::UnknownAttribute] {
                &self.unknown_attributes
            }

            fn unknown_attributes_mut(&mut self) -> &mut Vec<$crate::UnknownAttribute> {
                &mut self.unknown_attributes
            }
        }
    };
}

/// The constructor `new` of an element; see [`element!`].
macro_rules! constructor {
    ($(#[$meta:meta])*) => {
        $(#[$meta])*
        pub fn new() -> Self {
            Self::default()
        }
    };
    ($(#[$meta:meta])* $field:ident) => {
        $(#[$meta])*
        pub fn new($field: impl Into<String>) -> Self {
            Self {
                $field: $field.into(),
                ..Self::default()
            }
        }
    };
}

/// One attribute setter; see [`element!`].
macro_rules! setter {
    (into, $field:ident, $ty:ty, $attr:literal) => {
        #[doc = concat!("Sets the `", $attr, "` attribute.")]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (copy, $field:ident, $ty:ty, $attr:literal) => {
        #[doc = concat!("Sets the `", $attr, "` attribute.")]
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
}

/// Defines an enum of keyword values: closed (`closed`) or open with an `Other(String)`
/// fallback (`open`), with `as_str`, `Display` and the attribute value conversions.
macro_rules! keywords {
    (
        $(#[$meta:meta])*
        closed enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in the order of the specification.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as written in a document.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::attr::ValueError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $text => Ok($name::$variant), )*
                    _ => Err($crate::attr::ValueError::new(concat!(
                        "expected one of:" $(, " ", $text)*
                    ))),
                }
            }
        }

        impl $crate::attr::AttrValue for $name {
            fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(self.as_str())
            }

            fn parse_value(raw: &str) -> Result<Self, $crate::attr::ValueError> {
                raw.parse()
            }
        }
    };
    (
        $(#[$meta:meta])*
        open enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value not listed here, written as is.
            Other(String),
        }

        impl $name {
            /// The value as written in a document.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(other) => other,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match $name::from(s.as_str()) {
                    $name::Other(_) => $name::Other(s),
                    known => known,
                }
            }
        }

        impl $crate::attr::AttrValue for $name {
            fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(self.as_str())
            }

            fn parse_value(raw: &str) -> Result<Self, $crate::attr::ValueError> {
                Ok($name::from(raw))
            }
        }
    };
}

/// `From<&str>` and `From<String>` for types made from one text, each `Type => build` where
/// `build` takes the `String` (a constructor or an enum variant).
macro_rules! from_text {
    ($($ty:ty => $build:path),* $(,)?) => {$(
        impl From<&str> for $ty {
            fn from(text: &str) -> Self {
                $build(text.to_owned())
            }
        }

        impl From<String> for $ty {
            fn from(text: String) -> Self {
                $build(text)
            }
        }
    )*};
}

/// Defines an enum of keyword values with one numeric form besides them (the SSML `prosody`
/// values): `enum Name { Variant = "text", ... } or { Variant(Type) = "form", write, read }`,
/// where `write` turns the number into its text and `read` reads it back (`None` when the text
/// is not one). A keyword variant is documented by its text; the refusal lists the keywords and
/// `form`. Only the attribute value conversions come with it.
macro_rules! keywords_or_number {
    (
        $(#[$meta:meta])*
        enum $name:ident {
            $first:ident = $first_text:literal,
            $( $variant:ident = $text:literal, )*
        } or {
            $(#[$nmeta:meta])* $number:ident($ty:ty) = $form:literal, $write:expr, $read:expr $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            #[doc = concat!("`", $first_text, "`")]
            $first,
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
            $(#[$nmeta])* $number($ty),
        }

        impl $crate::attr::AttrValue for $name {
            fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                let write: fn(&$ty) -> String = $write;
                match self {
                    $name::$first => f($first_text),
                    $( $name::$variant => f($text), )*
                    $name::$number(n) => f(&write(n)),
                }
            }

            fn parse_value(raw: &str) -> Result<Self, $crate::attr::ValueError> {
                let read: fn(&str) -> Option<$ty> = $read;
                Ok(match raw {
                    $first_text => $name::$first,
                    $( $text => $name::$variant, )*
                    _ => $name::$number(read(raw).ok_or_else(|| {
                        $crate::attr::ValueError::new(format!(
                            concat!("expected ", $first_text, $(", ", $text,)* " or ", $form, ", found \"{}\""),
                            raw
                        ))
                    })?),
                })
            }
        }
    };
}

pub(crate) use constructor;
pub(crate) use element;
pub(crate) use from_text;
pub(crate) use keywords;
pub(crate) use keywords_or_number;
pub(crate) use setter;
