//! Python bindings of the mycpaas SDK: the extension module `mycpaas._mycpaas`.
//!
//! Everything here wraps the Rust crates; nothing is re-implemented. The Python package in `python/mycpaas`
//! re-exports these classes under their public modules (`mycpaas.laml`, `mycpaas.webhooks`, ...) and
//! defines the exception classes this module raises.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod aio;
mod args;
mod client;
mod convert;
mod errors;
mod generated;
mod info;
mod interrupt;
mod laml;
mod media;
mod output;
mod reconcile;
mod repeats;
mod resource;
mod signed_url;
mod sim;
mod wait;
mod webhooks;

/// The extension module.
#[pyo3::pymodule]
#[pyo3(name = "_mycpaas")]
mod extension {
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::laml::elements::{
        PyConnect, PyDial, PyEcho, PyEnqueue, PyGather, PyHangup, PyLeave, PyNumber, PyPause,
        PyPlay, PyRecord, PyRedirect, PyRefer, PyReject, PyRoom, PySay, PySip, PySms, PyStart,
        PyStop, PyStream,
    };
    #[pymodule_export]
    use crate::laml::response::{Diagnostic, PyResponse, parse};

    #[pymodule_export]
    use crate::webhooks::{
        ConferenceStatusCallback, DialResult, GatherResult, QueueRequest, RecordResult,
        RecordingStatusCallback, StatusCallback, TranscriptionCallback, VoiceRequest, body_sha256,
        compute_signature, parse_conference_status_callback, parse_dial_result,
        parse_gather_result, parse_queue_request, parse_record_result,
        parse_recording_status_callback, parse_status_callback, parse_transcription_callback,
        parse_voice_request, validate_body_signature, validate_signature,
    };

    #[pymodule_export]
    use crate::repeats::PyRepeats;
    #[pymodule_export]
    use crate::signed_url::PySignedUrl;

    #[pymodule_export]
    use crate::aio::{Completer, PyAsyncClient, PyRequest};
    #[pymodule_export]
    use crate::client::PyClient;
    #[pymodule_export]
    use crate::info::PyResponseInfo;
    #[pymodule_export]
    use crate::sim::{PySimulator, PyTimeline};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        // The classes of every resource, model, page and stream of the description.
        crate::generated::add_classes(m)?;
        // The LaML nouns `<Conference>` and `<Queue>` share their names with resources: the
        // module holds them as `LamlConference` and `LamlQueue`, and `mycpaas.laml` gives them
        // their elements' names again.
        m.add(
            "LamlConference",
            m.py().get_type::<crate::laml::elements::PyConference>(),
        )?;
        m.add(
            "LamlQueue",
            m.py().get_type::<crate::laml::elements::PyQueue>(),
        )?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

/// The extension's own allocator. A request made from Python's main thread runs on a worker
/// thread (see `interrupt`), so what the worker allocates (a page of calls) is freed in another
/// thread; mimalloc does that without the cross-arena cost of the system allocator, and is faster
/// for the many small strings of a decoded call. Python's own objects keep Python's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
