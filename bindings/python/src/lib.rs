//! Python bindings of the mycpaas SDK: the extension module `mycpaas._mycpaas`.
//!
//! Everything here wraps the Rust crates; nothing is re-implemented. The Python package in `python/mycpaas`
//! re-exports these classes and defines the exception classes this module raises.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The extension module.
#[pyo3::pymodule]
#[pyo3(name = "_mycpaas")]
mod extension {
    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
