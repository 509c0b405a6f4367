//! `Response`, the document root: the builder methods, XML output, `parse` and `validate`.

use mycpaas_laml::{self as laml, Verb};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use super::elements::adders;
use super::elements::{
    PyConnect, PyDial, PyEcho, PyEnqueue, PyGather, PyHangup, PyLeave, PyPause, PyPlay, PyRecord,
    PyRedirect, PyRefer, PyReject, PySay, PySms, PyStart, PyStop,
};
use super::tables as t;
use crate::errors;

/// One verb of a `Response`. Verbs that take nested elements stay Python objects until the document is
/// written, so `with resp.gather() as g: g.say(...)` changes the document; the others are plain Rust
/// values.
#[allow(
    clippy::large_enum_variant,
    reason = "most items are plain verbs; boxing them would cost an allocation each"
)]
enum Item {
    Verb(laml::Verb),
    Gather(Py<PyGather>),
    Dial(Py<PyDial>),
    Connect(Py<PyConnect>),
    Start(Py<PyStart>),
    Stop(Py<PyStop>),
}

impl From<laml::Verb> for Item {
    fn from(verb: laml::Verb) -> Self {
        Item::Verb(verb)
    }
}

impl Item {
    fn to_verb(&self, py: Python<'_>) -> laml::Verb {
        match self {
            Item::Verb(verb) => verb.clone(),
            Item::Gather(g) => laml::Verb::Gather(g.borrow(py).inner.clone()),
            Item::Dial(d) => laml::Verb::Dial(d.borrow(py).inner.clone()),
            Item::Connect(c) => laml::Verb::Connect(c.borrow(py).inner.clone()),
            Item::Start(s) => laml::Verb::Start(s.borrow(py).inner.clone()),
            Item::Stop(s) => laml::Verb::Stop(s.borrow(py).inner.clone()),
        }
    }

    fn to_object(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        Ok(Some(match self {
            Item::Gather(g) => g.clone_ref(py).into_any(),
            Item::Dial(d) => d.clone_ref(py).into_any(),
            Item::Connect(c) => c.clone_ref(py).into_any(),
            Item::Start(s) => s.clone_ref(py).into_any(),
            Item::Stop(s) => s.clone_ref(py).into_any(),
            Item::Verb(verb) => return verb_object(py, verb),
        }))
    }
}

/// A Python object for a verb of a parsed document (`None` for elements this SDK does not know).
fn verb_object(py: Python<'_>, verb: &laml::Verb) -> PyResult<Option<Py<PyAny>>> {
    let v = verb.clone();
    Ok(Some(match v {
        laml::Verb::Say(x) => Py::new(py, PySay::from_inner(x))?.into_any(),
        laml::Verb::Play(x) => Py::new(py, PyPlay::from_inner(x))?.into_any(),
        laml::Verb::Pause(x) => Py::new(py, PyPause::from_inner(x))?.into_any(),
        laml::Verb::Gather(x) => Py::new(py, PyGather::from_inner(x))?.into_any(),
        laml::Verb::Dial(x) => Py::new(py, PyDial::from_inner(x))?.into_any(),
        laml::Verb::Record(x) => Py::new(py, PyRecord::from_inner(x))?.into_any(),
        laml::Verb::Hangup(x) => Py::new(py, PyHangup::from_inner(x))?.into_any(),
        laml::Verb::Redirect(x) => Py::new(py, PyRedirect::from_inner(x))?.into_any(),
        laml::Verb::Reject(x) => Py::new(py, PyReject::from_inner(x))?.into_any(),
        laml::Verb::Enqueue(x) => Py::new(py, PyEnqueue::from_inner(x))?.into_any(),
        laml::Verb::Leave(x) => Py::new(py, PyLeave::from_inner(x))?.into_any(),
        laml::Verb::Sms(x) => Py::new(py, PySms::from_inner(x))?.into_any(),
        laml::Verb::Refer(x) => Py::new(py, PyRefer::from_inner(x))?.into_any(),
        laml::Verb::Echo(x) => Py::new(py, PyEcho::from_inner(x))?.into_any(),
        laml::Verb::Connect(x) => Py::new(py, PyConnect::from_inner(x))?.into_any(),
        laml::Verb::Start(x) => Py::new(py, PyStart::from_inner(x))?.into_any(),
        laml::Verb::Stop(x) => Py::new(py, PyStop::from_inner(x))?.into_any(),
        _ => return Ok(None),
    }))
}

/// Turns a verb object built beforehand into an item; verbs with children stay linked.
fn item_of(verb: &Bound<'_, PyAny>) -> PyResult<Item> {
    macro_rules! leaf {
        ($($cls:ident => $variant:ident),*) => {
            $( if let Ok(x) = verb.cast::<$cls>() {
                return Ok(Item::Verb(laml::Verb::$variant(x.borrow().inner.clone())));
            } )*
        };
    }
    if let Ok(g) = verb.cast::<PyGather>() {
        return Ok(Item::Gather(g.clone().unbind()));
    }
    if let Ok(d) = verb.cast::<PyDial>() {
        return Ok(Item::Dial(d.clone().unbind()));
    }
    if let Ok(c) = verb.cast::<PyConnect>() {
        return Ok(Item::Connect(c.clone().unbind()));
    }
    if let Ok(s) = verb.cast::<PyStart>() {
        return Ok(Item::Start(s.clone().unbind()));
    }
    if let Ok(s) = verb.cast::<PyStop>() {
        return Ok(Item::Stop(s.clone().unbind()));
    }
    leaf!(PySay => Say, PyPlay => Play, PyPause => Pause, PyRecord => Record, PyHangup => Hangup,
        PyRedirect => Redirect, PyReject => Reject, PyEnqueue => Enqueue, PyLeave => Leave, PySms => Sms,
        PyRefer => Refer, PyEcho => Echo);
    Err(errors::validation(
        verb.py(),
        "Response",
        "only verbs (Say, Play, Gather, Dial, ...) can be appended to a Response",
    ))
}

/// A LaML document: `Response().say("Hi", voice="alice").play(url, loop=2)`.
#[pyclass(module = "mycpaas.laml", name = "Response")]
pub(crate) struct PyResponse {
    items: Vec<Item>,
}

impl PyResponse {
    /// The Rust document, with the current state of every nested element.
    pub(crate) fn build(&self, py: Python<'_>) -> laml::Response {
        self.items.iter().fold(laml::Response::new(), |doc, item| {
            doc.verb(item.to_verb(py))
        })
    }

    /// A `Response` holding the verbs of a parsed document.
    pub(crate) fn from_document(doc: &laml::Response) -> Self {
        PyResponse {
            items: doc.verbs().iter().cloned().map(Item::Verb).collect(),
        }
    }

    fn push_leaf(mut slf: PyRefMut<'_, Self>, verb: laml::Verb) -> PyRefMut<'_, Self> {
        slf.items.push(Item::Verb(verb));
        slf
    }
}

#[pymethods]
impl PyResponse {
    #[new]
    fn py_new() -> Self {
        PyResponse { items: Vec::new() }
    }

    /// Adds `<Hangup>`; returns the `Response`.
    fn hangup(slf: PyRefMut<'_, Self>) -> PyRefMut<'_, Self> {
        Self::push_leaf(slf, laml::Verb::Hangup(laml::Hangup::new()))
    }

    /// Adds `<Leave>`; returns the `Response`.
    fn leave(slf: PyRefMut<'_, Self>) -> PyRefMut<'_, Self> {
        Self::push_leaf(slf, laml::Verb::Leave(laml::Leave::new()))
    }

    /// Adds `<Dial>` and returns it, to add nouns: `resp.dial(caller_id=...).number("+1555...")`.
    #[pyo3(signature = (number = None, **attrs))]
    fn dial(
        &mut self,
        py: Python<'_>,
        number: Option<String>,
        attrs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyDial>> {
        let mut verb = laml::Dial::new();
        verb.bare_number = number;
        t::dial_apply(&mut verb, attrs)?;
        let obj = Py::new(py, PyDial::from_inner(verb))?;
        self.items.push(Item::Dial(obj.clone_ref(py)));
        Ok(obj)
    }

    /// Appends a verb built beforehand (`Say(...)`, `Gather(...)`, ...); returns the `Response`.
    fn append<'py>(
        mut slf: PyRefMut<'py, Self>,
        verb: &Bound<'py, PyAny>,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let item = item_of(verb)?;
        slf.items.push(item);
        Ok(slf)
    }

    /// The verbs, in order (verbs with children are the live objects of this document).
    #[getter]
    fn verbs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::with_capacity(self.items.len());
        for item in &self.items {
            if let Some(obj) = item.to_object(py)? {
                out.push(obj);
            }
        }
        PyList::new(py, out)
    }

    fn __len__(&self) -> usize {
        self.items.len()
    }

    /// The document as XML: compact, or indented with `pretty=True`.
    #[pyo3(signature = (pretty = false))]
    fn to_xml(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let doc = self.build(py);
        let written = if pretty {
            doc.try_to_xml_pretty()
        } else {
            doc.try_to_xml()
        };
        written.map_err(|e| errors::validation(py, "Response", &e.to_string()))
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        self.to_xml(py, false)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("Response({:?})", self.build(py).to_xml())
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyResponse>()
            .is_ok_and(|other| self.build(py) == other.borrow().build(py))
    }

    /// Checks the rules of the format; returns the findings (empty when the document is fine).
    fn validate(&self, py: Python<'_>) -> Vec<Diagnostic> {
        self.build(py)
            .validate()
            .into_iter()
            .map(Diagnostic::from_rust)
            .collect()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    #[allow(
        clippy::unused_self,
        reason = "the context manager protocol calls it on the instance"
    )]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        false
    }
}

adders! {
    PyResponse, items <- Verb;
    /// Adds `<Say>`; returns the `Response`.
    say(text: String = String::new()) => Say, t::say_apply;
    /// Adds `<Play>`; returns the `Response`.
    play(url: String = String::new()) => Play, t::play_apply;
    /// Adds `<Pause>`; returns the `Response`.
    pause() => Pause, t::pause_apply;
    /// Adds `<Record>`; returns the `Response`.
    record() => Record, t::record_apply;
    /// Adds `<Redirect>`; returns the `Response`.
    redirect(url: String) => Redirect, t::redirect_apply;
    /// Adds `<Reject>`; returns the `Response`.
    reject() => Reject, t::reject_apply;
    /// Adds `<Enqueue>`; returns the `Response`.
    enqueue(name: String) => Enqueue, t::enqueue_apply;
    /// Adds `<Sms>`; returns the `Response`.
    sms(body: String) => Sms, t::sms_apply;
    /// Adds `<Refer>` to SIP `uri`; returns the `Response`.
    refer(uri: String) => Refer, t::refer_apply;
    /// Adds `<Echo>`; returns the `Response`.
    echo() => Echo, t::echo_apply;
}

/// `#[pymethods]` of `PyResponse` that each add a verb holding nested elements, built from its
/// keyword attributes, and return the verb's object, which stays linked to the document:
/// `name => Verb(PyClass), apply;`.
macro_rules! parents {
    ($( $(#[$doc:meta])* $method:ident => $verb:ident ($py:ident), $apply:path; )*) => {
        #[pymethods]
        impl PyResponse {
            $(
                $(#[$doc])*
                #[pyo3(signature = (**attrs))]
                fn $method(
                    &mut self,
                    py: Python<'_>,
                    attrs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<$py>> {
                    let mut verb = laml::$verb::new();
                    $apply(&mut verb, attrs)?;
                    let obj = Py::new(py, $py::from_inner(verb))?;
                    self.items.push(Item::$verb(obj.clone_ref(py)));
                    Ok(obj)
                }
            )*
        }
    };
}

parents! {
    /// Adds `<Gather>` and returns it, to nest verbs: `with resp.gather(num_digits=1) as g: g.say(...)`.
    gather => Gather(PyGather), t::gather_apply;
    /// Adds `<Connect>` and returns it.
    connect => Connect(PyConnect), t::connect_apply;
    /// Adds `<Start>` and returns it.
    start => Start(PyStart), t::start_apply;
    /// Adds `<Stop>` and returns it.
    stop => Stop(PyStop), t::stop_apply;
}

/// One finding of `Response.validate()`.
#[pyclass(module = "mycpaas.laml", name = "Diagnostic", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct Diagnostic {
    /// `"error"` (the document breaks a rule) or `"warning"` (valid but likely wrong).
    #[pyo3(get)]
    severity: &'static str,
    /// Where: `Response/Gather[2]/Play`.
    #[pyo3(get)]
    path: String,
    /// What is wrong.
    #[pyo3(get)]
    message: String,
}

impl Diagnostic {
    fn from_rust(d: laml::Diagnostic) -> Self {
        Diagnostic {
            severity: match d.severity {
                laml::Severity::Warning => "warning",
                _ => "error",
            },
            path: d.path,
            message: d.message,
        }
    }
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        let Diagnostic {
            severity,
            path,
            message,
        } = self;
        format!("Diagnostic({severity}: {path}: {message})")
    }
}

/// Parses a LaML document into a `Response`; raises `LamlParseError` (with `line` and `column`).
#[pyfunction]
#[pyo3(name = "laml_parse")]
pub(crate) fn parse(py: Python<'_>, xml: &str) -> PyResult<PyResponse> {
    match laml::parse(xml) {
        Ok(doc) => Ok(PyResponse::from_document(&doc)),
        Err(err) => Err(errors::new_error(
            py,
            "LamlParseError",
            (err.to_string(), err.line(), err.column()),
        )),
    }
}
