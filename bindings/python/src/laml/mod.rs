//! `mycpaas.laml`: the LaML builder, writer, parser and validator of `mycpaas-laml`, as Python classes.

pub(crate) mod attrs;
pub(crate) mod elements;
pub(crate) mod response;
pub(crate) mod ssml;
pub(crate) mod tables;
