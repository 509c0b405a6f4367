//! `recordings.download(recording, destination, format=...)` in both clients: a recording's
//! audio streamed to a path or to a binary file object as it arrives (the Rust clients'
//! `recordings().download`), so a long recording never sits in memory.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use mycpaas_core::media::AudioFormat;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::aio::spawn;
use crate::errors;
use crate::generated::{PyAsyncRecordings, PyRecordings};
use crate::interrupt::run;

/// Where the audio goes: a file path, or an object with a `write(bytes)` method.
enum Destination {
    Path(PathBuf),
    Writer(PyWriter),
}

impl Destination {
    fn of(destination: &Bound<'_, PyAny>) -> PyResult<Destination> {
        if let Ok(path) = destination.extract::<PathBuf>() {
            return Ok(Destination::Path(path));
        }
        if destination.hasattr("write")? {
            return Ok(Destination::Writer(PyWriter(destination.clone().unbind())));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(
            "destination must be a path or a binary file object (with write(bytes))",
        ))
    }
}

/// A Python binary file object as a Rust writer: each chunk is one `write(bytes)` call.
struct PyWriter(Py<PyAny>);

impl io::Write for PyWriter {
    fn write(&mut self, chunk: &[u8]) -> io::Result<usize> {
        Python::attach(|py| {
            self.0
                .bind(py)
                .call_method1("write", (PyBytes::new(py, chunk),))
                .map(|_| chunk.len())
                .map_err(|error| io::Error::other(error.to_string()))
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Python::attach(|py| {
            let writer = self.0.bind(py);
            if writer.hasattr("flush").unwrap_or(false) {
                writer
                    .call_method0("flush")
                    .map_err(|error| io::Error::other(error.to_string()))?;
            }
            Ok(())
        })
    }
}

impl tokio::io::AsyncWrite for PyWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        chunk: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(io::Write::write(self.get_mut(), chunk))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(io::Write::flush(self.get_mut()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn format_of(py: Python<'_>, format: &str) -> PyResult<AudioFormat> {
    format.parse().map_err(|e| errors::from_core(py, &e))
}

#[pymethods]
impl PyRecordings {
    /// Writes the audio of `recording` (a SID, or a webhook's `RecordingUrl`) to `destination`
    /// (a path, or a binary file object) as it arrives, and returns how many bytes it wrote.
    /// `format` is "wav" or "mp3". Credentials go only to the configured API's origin; a failed
    /// download to a path leaves no file behind.
    #[pyo3(signature = (recording, destination, *, format = "wav"))]
    fn download(
        &self,
        py: Python<'_>,
        recording: String,
        destination: &Bound<'_, PyAny>,
        format: &str,
    ) -> PyResult<u64> {
        let format = format_of(py, format)?;
        let destination = Destination::of(destination)?;
        let client = self.client.clone();
        let downloaded = run(py, move || match destination {
            Destination::Path(path) => client
                .recordings()
                .download_to_file(&recording, format, path),
            Destination::Writer(mut writer) => {
                client
                    .recordings()
                    .download(&recording, format, &mut writer)
            }
        })?;
        Ok(downloaded.bytes)
    }
}

#[pymethods]
impl PyAsyncRecordings {
    /// Writes the audio of `recording` to `destination` as it arrives (see
    /// `Recordings.download`); resolves to how many bytes it wrote.
    #[pyo3(signature = (recording, destination, *, format = "wav"))]
    fn download<'py>(
        &self,
        py: Python<'py>,
        recording: String,
        destination: &Bound<'py, PyAny>,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = format_of(py, format)?;
        let destination = Destination::of(destination)?;
        let client = self.slot.get(py)?;
        spawn(
            py,
            async move {
                let recordings = client.recordings();
                let downloaded = match destination {
                    Destination::Path(path) => {
                        recordings.download_to_file(&recording, format, path).await
                    }
                    Destination::Writer(mut writer) => {
                        recordings.download(&recording, format, &mut writer).await
                    }
                };
                downloaded.map(|d| d.bytes)
            },
            |py, bytes| Ok(bytes.into_pyobject(py)?.into_any().unbind()),
        )
    }
}
