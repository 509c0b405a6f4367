//! The Python classes every resource of the API has, one declarative macro per kind of class:
//!
//! - [`model_class!`]: a resource as the API returned it (`Call`, `Recording`), holding core's
//!   [`Row`]: one read from a list page is decoded on the first use of a field other than its
//!   `sid`, one fetched or created is decoded already. Its field attributes are generated.
//! - [`page_class!`]: one page of a list (`CallPage`), its items made into objects on first read.
//! - [`stream_class!`] and [`async_stream_class!`]: the lazy walks of `stream()` in `Client` and
//!   `AsyncClient`.
//! - [`resource_class!`]: the resource (`Calls`, `AsyncCalls`) whose generated methods send the
//!   operations.
//!
//! The generated code (`generated/`) invokes them once per resource and model of the
//! description; what is not the same for every resource (a field, an operation) is generated
//! there, and what only one resource has (`calls.wait`) is written by hand next to it.

use std::borrow::Cow;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use futures::stream::Peekable;
use futures::{FutureExt, StreamExt};
use mycpaas_core::model::{Identified, Listed, Row};
use mycpaas_core::ops::ListOperation;
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::aio::spawn;
use crate::errors;
use crate::interrupt::run;
use crate::output::IntoPython;

/// `decimal.Decimal` and `json.loads`, imported once.
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A price or another decimal text as `decimal.Decimal`.
pub(crate) fn decimal(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    class.bind(py).call1((text,)).map(Bound::unbind)
}

/// A JSON object of the response (`subresource_uris`, unknown fields) as a Python dict.
pub(crate) fn json_dict(
    py: Python<'_>,
    map: serde_json::Map<String, serde_json::Value>,
) -> PyResult<Py<PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || {
        py.import("json")?.getattr("loads").map(Bound::unbind)
    })?;
    let text = serde_json::Value::Object(map).to_string();
    loads.bind(py).call1((text,)).map(Bound::unbind)
}

/// The bytes of a page's `from_json(body)`: `bytes`, `bytearray` or `str`.
pub(crate) fn json_body<'a>(body: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(bytes) = body.cast::<PyBytes>() {
        Ok(Cow::Borrowed(bytes.as_bytes()))
    } else if let Ok(text) = body.cast::<PyString>() {
        Ok(Cow::Owned(text.to_cow()?.as_bytes().to_vec()))
    } else if let Ok(array) = body.cast::<PyByteArray>() {
        Ok(Cow::Owned(array.to_vec()))
    } else {
        Err(PyTypeError::new_err("body must be bytes, bytearray or str"))
    }
}

/// A text attribute in a `__repr__`: quoted, empty when absent.
pub(crate) fn repr_text(value: Option<&str>) -> String {
    format!("{:?}", value.unwrap_or_default())
}

/// The lazy walk of a sync stream, whichever list operation it walks (`list` and
/// `list_for_call` yield the same items).
pub(crate) trait Walk<C>: Send {
    /// The next item of the page in hand, without a request.
    fn next_in_page(&mut self) -> Option<C>;
    /// The next item, fetching the next page when the one in hand is used up.
    fn next_item(&mut self) -> Option<mycpaas_core::Result<C>>;
}

impl<L, C> Walk<C> for mycpaas_blocking::Pages<L, C>
where
    L: ListOperation + Send,
    C: Listed + Send,
    mycpaas_blocking::Pages<L, C>: Send,
{
    fn next_in_page(&mut self) -> Option<C> {
        mycpaas_blocking::Pages::next_in_page(self)
    }

    fn next_item(&mut self) -> Option<mycpaas_core::Result<C>> {
        self.next()
    }
}

/// The shared state of a sync stream of `T`.
pub(crate) type SyncWalk<T> = Arc<Mutex<Box<dyn Walk<Row<T>>>>>;

/// The next item of a sync stream, as its Python object.
pub(crate) fn next_of<T>(py: Python<'_>, walk: &SyncWalk<T>) -> PyResult<Option<Py<PyAny>>>
where
    T: Identified + Send + Sync + 'static,
    Row<T>: IntoPython,
{
    // Most items come from the page in hand: no request, so no worker thread either.
    let buffered = walk
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .next_in_page();
    if let Some(item) = buffered {
        return item.into_python(py).map(Some);
    }
    let walk = Arc::clone(walk);
    // A page fetch comes next: Ctrl-C interrupts it (see `interrupt`).
    let next = run(py, move || {
        walk.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next_item()
            .transpose()
    })?;
    next.map(|item| item.into_python(py)).transpose()
}

/// The shared state of an async stream of `T`.
pub(crate) type AsyncWalk<T> = Arc<tokio::sync::Mutex<Peekable<mycpaas_async::PageStream<Row<T>>>>>;

/// The awaitable next item of an async stream (`__anext__`). The task only loads it (`peek`);
/// it is taken from the stream when handed to a live awaiter, so a cancelled `__anext__` leaves
/// it for the next one.
pub(crate) fn anext_of<'py, T>(
    py: Python<'py>,
    stream: &AsyncWalk<T>,
    class: &'static str,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Identified + Send + Sync + 'static,
    Row<T>: IntoPython,
{
    let loading = Arc::clone(stream);
    let taking = Arc::clone(stream);
    spawn(
        py,
        async move {
            let mut stream = loading.lock().await;
            Ok(Pin::new(&mut *stream).peek().await.is_some())
        },
        move |py, more| {
            let taken = match taking.try_lock() {
                Ok(mut stream) if more => Pin::new(&mut *stream).next().now_or_never(),
                Ok(_) => None,
                Err(_) => {
                    return Err(PyRuntimeError::new_err(format!(
                        "an {class} was read by two tasks at once"
                    )));
                }
            };
            match taken.flatten() {
                Some(Ok(item)) => item.into_python(py),
                Some(Err(error)) => Err(errors::from_core(py, &error)),
                None => Err(PyStopAsyncIteration::new_err(())),
            }
        },
    )
}

/// The class of a resource as the API returned it: `model_class!(/// doc\n PyCall, Call, "Call")`.
///
/// It holds a [`Row`]; `value()` is the decoded resource, which the generated field attributes
/// read. `extra`, `problems`, `response`, `to_dict`, `==` and `hash` are the same for every model.
macro_rules! model_class {
    ($(#[$doc:meta])* $class:ident, $model:ident, $name:tt) => {
        $(#[$doc])*
        #[pyclass(module = "mycpaas", name = $name, frozen)]
        pub(crate) struct $class {
            pub(crate) row: mycpaas_core::model::Row<mycpaas_core::$model>,
        }

        impl $class {
            /// The decoded resource (decoded now, for a row of a page).
            pub(crate) fn value(&self) -> &mycpaas_core::$model {
                self.row.get()
            }
        }

        impl crate::output::IntoPython for mycpaas_core::model::Row<mycpaas_core::$model> {
            fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Ok(Py::new(py, $class { row: self })?.into_any())
            }
        }

        impl crate::output::IntoPython for mycpaas_core::$model {
            fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                mycpaas_core::model::Row::from(self).into_python(py)
            }
        }

        #[pymethods]
        impl $class {
            /// Fields this SDK does not model, as the server sent them.
            #[getter]
            fn extra(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::resource::json_dict(py, self.value().extra.clone())
            }

            /// Members of the answer that could not be read, by wire name, with what was
            /// wrong: each is `None` above (or missing from `extra`), so that a resource whose
            /// SID is good is never lost to one odd field. Empty when the answer was read whole.
            #[getter]
            fn problems(&self) -> Vec<(String, String)> {
                self.value()
                    .problems
                    .iter()
                    .map(|p| (p.field.clone(), p.problem.clone()))
                    .collect()
            }

            /// What happened to the request that brought this resource (status, headers,
            /// request ids, attempts, time), for one created, fetched or updated; `None` for
            /// one of a page (the page's `response` says it) and for one read with `from_json`.
            #[getter]
            fn response(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                if self.row.json().is_some() {
                    // A row of a page: reading its info must not decode it.
                    return Ok(py.None());
                }
                crate::info::PyResponseInfo::object(py, self.value().response.as_ref())
            }

            /// Every field as a dict (keys as the attributes: `from_` for `from`).
            fn to_dict<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
                let dict = pyo3::types::PyDict::new(slf.py());
                for name in Self::FIELDS {
                    dict.set_item(*name, slf.getattr(*name)?)?;
                }
                Ok(dict)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other
                    .cast::<$class>()
                    .is_ok_and(|other| self.value() == other.get().value())
            }

            fn __hash__(&self) -> u64 {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                self.row.sid().hash(&mut hasher);
                hasher.finish()
            }
        }
    };
}

/// The class of one page of a list:
/// `page_class!(PyCallPage, CallPage, Call, "CallPage", calls)`, `calls` being the member that
/// holds the items (and the attribute that returns them).
macro_rules! page_class {
    ($class:ident, $page:ident, $model:ident, $name:tt, $items:ident) => {
        #[doc = concat!("One page of a list: a ", $name, ".")]
        #[pyclass(module = "mycpaas", name = $name, frozen)]
        pub(crate) struct $class {
            /// The page without its items (they are in `pending`, then in `made`).
            page: mycpaas_core::$page<mycpaas_core::model::Row<mycpaas_core::$model>>,
            /// How many items the page holds.
            count: usize,
            /// The items, until the first read moves them into Python objects.
            pending: std::sync::Mutex<Vec<mycpaas_core::model::Row<mycpaas_core::$model>>>,
            /// The Python objects, made on the first read and shared by every later read.
            made: pyo3::sync::PyOnceLock<Py<pyo3::types::PyTuple>>,
        }

        impl $class {
            /// A page a client fetched.
            pub(crate) fn new(
                mut page: mycpaas_core::$page<mycpaas_core::model::Row<mycpaas_core::$model>>,
            ) -> Self {
                let items = std::mem::take(&mut page.$items);
                $class {
                    page,
                    count: items.len(),
                    pending: std::sync::Mutex::new(items),
                    made: pyo3::sync::PyOnceLock::new(),
                }
            }
        }

        impl crate::output::IntoPython
            for mycpaas_core::$page<mycpaas_core::model::Row<mycpaas_core::$model>>
        {
            fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Ok(Py::new(py, $class::new(self))?.into_any())
            }
        }

        #[pymethods]
        impl $class {
            /// Reads a page from JSON received some other way (`bytes`, `bytearray` or `str`).
            /// Raises `DecodeError`.
            #[staticmethod]
            fn from_json(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Self> {
                let bytes = crate::resource::json_body(body)?;
                mycpaas_core::ops::response::decode::<
                    mycpaas_core::$page<mycpaas_core::model::Row<mycpaas_core::$model>>,
                >(200, &bytes)
                .map($class::new)
                .map_err(|err| crate::errors::from_core(py, &err))
            }

            /// The items of this page.
            #[getter]
            fn $items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
                let made = self.made.get_or_try_init(py, || {
                    let pending = std::mem::take(
                        &mut *self
                            .pending
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner),
                    );
                    let items = pending
                        .into_iter()
                        .map(|row| crate::output::IntoPython::into_python(row, py))
                        .collect::<PyResult<Vec<_>>>()?;
                    pyo3::types::PyTuple::new(py, items).map(Bound::unbind)
                })?;
                // A new list each time (callers may change it); the items in it are shared.
                pyo3::types::PyList::new(py, made.bind(py).iter())
            }

            /// The page number (from 0), when the server sent it.
            #[getter]
            fn page(&self) -> Option<u64> {
                self.page.page
            }

            /// The page size, when the server sent it.
            #[getter]
            fn page_size(&self) -> Option<u64> {
                self.page.page_size
            }

            /// What happened to the request of this page (status, headers, request ids,
            /// attempts, time); `None` for a page read with `from_json`.
            #[getter]
            fn response(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::info::PyResponseInfo::object(py, self.page.response.as_ref())
            }

            /// The next page's URI; `None` on the last page (or when the server does not send
            /// it).
            #[getter]
            fn next_page_uri(&self) -> Option<&str> {
                self.page.next_page_uri.as_deref()
            }

            /// The previous page's URI.
            #[getter]
            fn previous_page_uri(&self) -> Option<&str> {
                self.page.previous_page_uri.as_deref()
            }

            fn __len__(&self) -> usize {
                self.count
            }

            fn __repr__(&self) -> String {
                format!(
                    concat!(
                        $name,
                        "(page={}, ",
                        stringify!($items),
                        "={}, next_page_uri={})"
                    ),
                    self.page()
                        .map_or_else(|| "None".to_owned(), |p| p.to_string()),
                    self.count,
                    self.next_page_uri()
                        .map_or_else(|| "None".to_owned(), |u| format!("{u:?}"))
                )
            }
        }
    };
}

/// The iterator of a sync `stream()`: `stream_class!(PyCallStream, Call, "CallStream")`.
macro_rules! stream_class {
    ($class:ident, $model:ident, $name:tt) => {
        #[doc = concat!("The lazy iterator of a `stream()`: a ", $name, ".")]
        #[pyclass(module = "mycpaas", name = $name, frozen)]
        pub(crate) struct $class {
            walk: crate::resource::SyncWalk<mycpaas_core::$model>,
        }

        impl $class {
            pub(crate) fn new(
                walk: impl crate::resource::Walk<mycpaas_core::model::Row<mycpaas_core::$model>>
                + 'static,
            ) -> Self {
                $class {
                    walk: std::sync::Arc::new(std::sync::Mutex::new(Box::new(walk))),
                }
            }
        }

        #[pymethods]
        impl $class {
            fn __iter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
                crate::resource::next_of(py, &self.walk)
            }
        }
    };
}

/// The async iterator of an `AsyncClient`'s `stream()`:
/// `async_stream_class!(PyAsyncCallStream, Call, "AsyncCallStream")`.
macro_rules! async_stream_class {
    ($class:ident, $model:ident, $name:tt) => {
        #[doc = concat!("The async iterator of an `AsyncClient`'s `stream()`: an ", $name, ".")]
        #[pyclass(module = "mycpaas", name = $name, frozen)]
        pub(crate) struct $class {
            stream: crate::resource::AsyncWalk<mycpaas_core::$model>,
        }

        impl $class {
            pub(crate) fn new(
                stream: mycpaas_async::PageStream<mycpaas_core::model::Row<mycpaas_core::$model>>,
            ) -> Self {
                use futures::StreamExt;
                $class {
                    stream: std::sync::Arc::new(tokio::sync::Mutex::new(stream.peekable())),
                }
            }
        }

        #[pymethods]
        impl $class {
            fn __aiter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            /// The next item.
            fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                crate::resource::anext_of(py, &self.stream, $name)
            }
        }
    };
}

/// A resource's two classes, on `Client` and on `AsyncClient`:
/// `resource_class!(PyCalls, "Calls", PyAsyncCalls, "AsyncCalls")`. Their methods are generated.
macro_rules! resource_class {
    ($class:ident, $name:tt, $async_class:ident, $async_name:tt) => {
        #[doc = concat!("The ", $name, " resource of a `Client`.")]
        #[pyclass(module = "mycpaas", name = $name, frozen)]
        pub(crate) struct $class {
            pub(crate) client: mycpaas_blocking::Client,
        }

        #[doc = concat!("The ", $name, " resource of an `AsyncClient`: the methods of the `Client`'s, awaitable.")]
        #[pyclass(module = "mycpaas", name = $async_name, frozen)]
        pub(crate) struct $async_class {
            pub(crate) slot: std::sync::Arc<crate::aio::ClientSlot>,
        }
    };
}

pub(crate) use {async_stream_class, model_class, page_class, resource_class, stream_class};
