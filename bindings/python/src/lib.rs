//! Python bindings of the mycpaas SDK.
#![forbid(unsafe_code)]
