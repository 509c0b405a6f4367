//! One Python class per LaML verb and noun, each holding the `mycpaas-laml` struct it stands for.
//!
//! Attributes are keyword arguments (see `tables.rs`) and read back as Python attributes
//! (`gather.num_digits`); `==` compares the Rust values; `repr()` shows the element's XML.

use mycpaas_laml::{self as laml, DialNoun, GatherChild};
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use super::tables as t;

/// Generates a Python class around one LaML struct: constructor (content arguments, then attributes as
/// keyword arguments), attribute reading, equality, `repr`, plus the given extra methods.
macro_rules! element_class {
    (
        $(#[$doc:meta])*
        $py:ident = $name:literal wraps $ty:ty, ($apply:path, $read:path),
        new ($($arg:ident : $argty:ty = $default:expr),*) => $ctor:expr,
        repr |$me:ident| $repr:expr,
        { $($extra:tt)* }
    ) => {
        $(#[$doc])*
        #[pyclass(module = "mycpaas.laml", name = $name, eq)]
        #[derive(Clone, PartialEq)]
        pub(crate) struct $py {
            pub(crate) inner: $ty,
        }

        impl $py {
            /// Wraps a Rust value (from a parsed document).
            #[allow(dead_code, reason = "generated for every element; not every one is read back")]
            pub(crate) fn from_inner(inner: $ty) -> Self {
                $py { inner }
            }
        }

        #[pymethods]
        impl $py {
            #[new]
            #[pyo3(signature = ($($arg = $default,)* **attrs))]
            fn py_new($($arg: $argty,)* attrs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                let mut inner: $ty = $ctor;
                $apply(&mut inner, attrs)?;
                Ok($py { inner })
            }

            fn __getattr__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
                $read(py, &self.inner, name).unwrap_or_else(|| {
                    Err(PyAttributeError::new_err(format!(
                        "{} has no attribute {name:?}",
                        $name
                    )))
                })
            }

            fn __repr__(&self) -> String {
                let $me = &self.inner;
                $repr
            }

            fn __enter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            #[pyo3(signature = (*_args))]
            #[allow(clippy::unused_self, reason = "the context manager protocol calls it on the instance")]
            fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
                false
            }

            $($extra)*
        }
    };
}

/// `#[pymethods]` of `$py` that each build one element from its content argument and keyword
/// attributes, push it onto the list `self.$list` as a `$wrap` variant, and return `self`. An
/// entry is `name(argument: Type = default) => Element, apply;`: the argument (and its default)
/// may be left out, and `apply` is the element's keyword table (see `tables.rs`). The list's path
/// is handed on as one bracketed token, which every method can then repeat (`@push` unpacks it).
macro_rules! adders {
    ($py:ident, $($list:ident).+ <- $wrap:ident; $($entries:tt)*) => {
        adders!(@methods $py, [$($list).+], $wrap; $($entries)*);
    };
    (
        @methods $py:ident, $list:tt, $wrap:ident;
        $(
            $(#[$doc:meta])*
            $method:ident($($arg:ident: $argty:ty $(= $default:expr)?)?) => $el:ident, $apply:path;
        )*
    ) => {
        #[pymethods]
        impl $py {
            $(
                $(#[$doc])*
                #[pyo3(signature = ($($arg $(= $default)?,)? **attrs))]
                fn $method<'py>(
                    mut slf: PyRefMut<'py, Self>,
                    $($arg: $argty,)?
                    attrs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<PyRefMut<'py, Self>> {
                    let mut element = laml::$el::new($($arg)?);
                    $apply(&mut element, attrs)?;
                    adders!(@push slf.$list, $wrap::$el(element));
                    Ok(slf)
                }
            )*
        }
    };
    (@push $slf:ident.[$($list:ident).+], $item:expr) => {
        $crate::laml::elements::push(&mut $slf.$($list).+, $item)
    };
}

pub(crate) use adders;

/// Pushes `item` onto `list`, converted into the list's item type (a `Response` keeps its plain
/// verbs as items).
pub(crate) fn push<T, U: From<T>>(list: &mut Vec<U>, item: T) {
    list.push(U::from(item));
}

/// The XML of one verb, without the declaration and the `Response` around it.
pub(crate) fn verb_xml(verb: laml::Verb) -> String {
    let xml = laml::Response::new().verb(verb).to_xml();
    let start = xml.find("<Response>").map_or(0, |i| i + "<Response>".len());
    let end = xml.rfind("</Response>").unwrap_or(xml.len());
    xml.get(start..end).unwrap_or_default().to_owned()
}

element_class! {
    /// `<Say>`: speaks text.
    PySay = "Say" wraps laml::Say, (t::say_apply, t::say_read),
    new (text: String = String::new()) => laml::Say::new(text),
    repr |s| verb_xml(laml::Verb::Say(s.clone())),
    {
        /// The spoken text, without SSML markup.
        #[getter]
        fn text(&self) -> String {
            self.inner.plain_text()
        }

        /// Appends text; returns the `Say`.
        fn add_text(mut slf: PyRefMut<'_, Self>, text: String) -> PyRefMut<'_, Self> {
            slf.inner.content.push(laml::SsmlNode::Text(text));
            slf
        }

        /// Appends SSML markup (`'Hello <break time="500ms"/> world'`), read by the LaML parser;
        /// returns the `Say`.
        fn ssml<'py>(mut slf: PyRefMut<'py, Self>, markup: &str) -> PyResult<PyRefMut<'py, Self>> {
            let nodes = super::ssml::parse_content(slf.py(), markup)?;
            slf.inner.content.extend(nodes);
            Ok(slf)
        }

        /// Appends `<break>`: `strength` (none .. x-strong) or `time` (`"500ms"`, `"2s"`).
        #[pyo3(signature = (*, strength = None, time = None))]
        fn break_<'py>(
            slf: PyRefMut<'py, Self>,
            strength: Option<&str>,
            time: Option<&str>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element("break", &[("strength", strength), ("time", time)], None);
            Self::ssml(slf, &markup)
        }

        /// Appends `<emphasis>`: `level` strong, moderate or reduced.
        #[pyo3(signature = (text, *, level = None))]
        fn emphasis<'py>(slf: PyRefMut<'py, Self>, text: &str, level: Option<&str>) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element("emphasis", &[("level", level)], Some(text));
            Self::ssml(slf, &markup)
        }

        /// Appends `<prosody>`: `rate`, `pitch`, `volume`.
        #[pyo3(signature = (text, *, rate = None, pitch = None, volume = None))]
        fn prosody<'py>(
            slf: PyRefMut<'py, Self>,
            text: &str,
            rate: Option<&str>,
            pitch: Option<&str>,
            volume: Option<&str>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element(
                "prosody",
                &[("pitch", pitch), ("rate", rate), ("volume", volume)],
                Some(text),
            );
            Self::ssml(slf, &markup)
        }

        /// Appends `<say-as>`: `interpret_as` (cardinal, digits, date, telephone, ...), `format`.
        #[pyo3(signature = (text, *, interpret_as = None, format = None))]
        fn say_as<'py>(
            slf: PyRefMut<'py, Self>,
            text: &str,
            interpret_as: Option<&str>,
            format: Option<&str>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element(
                "say-as",
                &[("format", format), ("interpret-as", interpret_as)],
                Some(text),
            );
            Self::ssml(slf, &markup)
        }

        /// Appends `<sub alias=...>`: `text` is written, `alias` is spoken.
        #[pyo3(signature = (text, *, alias))]
        fn sub<'py>(slf: PyRefMut<'py, Self>, text: &str, alias: &str) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element("sub", &[("alias", Some(alias))], Some(text));
            Self::ssml(slf, &markup)
        }

        /// Appends `<phoneme>`: pronounce `text` as `ph` in `alphabet` (ipa, x-sampa).
        #[pyo3(signature = (text, *, ph, alphabet = None))]
        fn phoneme<'py>(
            slf: PyRefMut<'py, Self>,
            text: &str,
            ph: &str,
            alphabet: Option<&str>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element("phoneme", &[("alphabet", alphabet), ("ph", Some(ph))], Some(text));
            Self::ssml(slf, &markup)
        }

        /// Appends `<lang xml:lang=...>`.
        #[pyo3(signature = (text, *, xml_lang))]
        fn lang<'py>(slf: PyRefMut<'py, Self>, text: &str, xml_lang: &str) -> PyResult<PyRefMut<'py, Self>> {
            let markup = super::ssml::element("lang", &[("xml:lang", Some(xml_lang))], Some(text));
            Self::ssml(slf, &markup)
        }

        /// Appends a paragraph `<p>`.
        fn p<'py>(slf: PyRefMut<'py, Self>, text: &str) -> PyResult<PyRefMut<'py, Self>> {
            Self::ssml(slf, &super::ssml::element("p", &[], Some(text)))
        }

        /// Appends a sentence `<s>`.
        fn s<'py>(slf: PyRefMut<'py, Self>, text: &str) -> PyResult<PyRefMut<'py, Self>> {
            Self::ssml(slf, &super::ssml::element("s", &[], Some(text)))
        }

        /// Appends a word `<w>` with its `role`.
        #[pyo3(signature = (text, *, role = None))]
        fn w<'py>(slf: PyRefMut<'py, Self>, text: &str, role: Option<&str>) -> PyResult<PyRefMut<'py, Self>> {
            Self::ssml(slf, &super::ssml::element("w", &[("role", role)], Some(text)))
        }
    }
}

element_class! {
    /// `<Play>`: plays an audio URL (or sends `digits`).
    PyPlay = "Play" wraps laml::Play, (t::play_apply, t::play_read),
    new (url: String = String::new()) => laml::Play::new(url),
    repr |p| verb_xml(laml::Verb::Play(p.clone())),
    {
        /// The audio URL.
        #[getter]
        fn url(&self) -> String {
            self.inner.url.clone()
        }
    }
}

element_class! {
    /// `<Pause>`: waits `length` seconds.
    PyPause = "Pause" wraps laml::Pause, (t::pause_apply, t::pause_read),
    new () => laml::Pause::new(),
    repr |p| verb_xml(laml::Verb::Pause(p.clone())),
    {}
}

element_class! {
    /// `<Record>`: records the caller.
    PyRecord = "Record" wraps laml::Record, (t::record_apply, t::record_read),
    new () => laml::Record::new(),
    repr |r| verb_xml(laml::Verb::Record(r.clone())),
    {}
}

element_class! {
    /// `<Hangup>`: ends the call.
    PyHangup = "Hangup" wraps laml::Hangup, (t::hangup_apply, t::hangup_read),
    new () => laml::Hangup::new(),
    repr |h| verb_xml(laml::Verb::Hangup(h.clone())),
    {}
}

element_class! {
    /// `<Redirect>`: continues with the document at `url`.
    PyRedirect = "Redirect" wraps laml::Redirect, (t::redirect_apply, t::redirect_read),
    new (url: String = String::new()) => laml::Redirect::new(url),
    repr |r| verb_xml(laml::Verb::Redirect(r.clone())),
    {
        /// Where the call continues.
        #[getter]
        fn url(&self) -> String {
            self.inner.url.clone()
        }
    }
}

element_class! {
    /// `<Reject>`: refuses an incoming call.
    PyReject = "Reject" wraps laml::Reject, (t::reject_apply, t::reject_read),
    new () => laml::Reject::new(),
    repr |r| verb_xml(laml::Verb::Reject(r.clone())),
    {}
}

element_class! {
    /// `<Enqueue>`: puts the caller into a queue.
    PyEnqueue = "Enqueue" wraps laml::Enqueue, (t::enqueue_apply, t::enqueue_read),
    new (name: String = String::new()) => laml::Enqueue::new(name),
    repr |e| verb_xml(laml::Verb::Enqueue(e.clone())),
    {
        /// The queue's name.
        #[getter]
        fn name(&self) -> String {
            self.inner.name.clone()
        }
    }
}

element_class! {
    /// `<Leave>`: leaves the queue.
    PyLeave = "Leave" wraps laml::Leave, (t::leave_apply, t::leave_read),
    new () => laml::Leave::new(),
    repr |l| verb_xml(laml::Verb::Leave(l.clone())),
    {}
}

element_class! {
    /// `<Sms>`: sends a text message during the call.
    PySms = "Sms" wraps laml::Sms, (t::sms_apply, t::sms_read),
    new (body: String = String::new()) => laml::Sms::new(body),
    repr |s| verb_xml(laml::Verb::Sms(s.clone())),
    {
        /// The message text.
        #[getter]
        fn body(&self) -> String {
            self.inner.body.clone()
        }
    }
}

element_class! {
    /// `<Refer>`: transfers a SIP call to `uri`.
    PyRefer = "Refer" wraps laml::Refer, (t::refer_apply, t::refer_read),
    new (uri: String = String::new()) => laml::Refer::new(uri),
    repr |r| verb_xml(laml::Verb::Refer(r.clone())),
    {
        /// The SIP URI the call is transferred to.
        #[getter]
        fn uri(&self) -> Option<String> {
            self.inner.sip.as_ref().map(|sip| sip.uri.clone())
        }
    }
}

element_class! {
    /// `<Echo>`: plays the caller's audio back.
    PyEcho = "Echo" wraps laml::Echo, (t::echo_apply, t::echo_read),
    new () => laml::Echo::new(),
    repr |e| verb_xml(laml::Verb::Echo(e.clone())),
    {}
}

element_class! {
    /// `<Number>` inside `Dial`.
    PyNumber = "Number" wraps laml::Number, (t::number_apply, t::number_read),
    new (number: String = String::new()) => laml::Number::new(number),
    repr |n| format!("Number({:?})", n.number),
    {
        /// The number dialed.
        #[getter]
        fn number(&self) -> String {
            self.inner.number.clone()
        }
    }
}

element_class! {
    /// `<Sip>` inside `Dial`.
    PySip = "Sip" wraps laml::Sip, (t::sip_apply, t::sip_read),
    new (uri: String = String::new()) => laml::Sip::new(uri),
    repr |s| format!("Sip({:?})", s.uri),
    {
        /// The SIP URI dialed.
        #[getter]
        fn uri(&self) -> String {
            self.inner.uri.clone()
        }
    }
}

element_class! {
    /// `<Conference>` inside `Dial`.
    PyConference = "Conference" wraps laml::Conference, (t::conference_apply, t::conference_read),
    new (name: String = String::new()) => laml::Conference::new(name),
    repr |c| format!("Conference({:?})", c.name),
    {
        /// The conference room's name.
        #[getter]
        fn name(&self) -> String {
            self.inner.name.clone()
        }
    }
}

element_class! {
    /// `<Queue>` inside `Dial`.
    PyQueue = "Queue" wraps laml::Queue, (t::queue_apply, t::queue_read),
    new (name: String = String::new()) => laml::Queue::new(name),
    repr |q| format!("Queue({:?})", q.name),
    {
        /// The queue's name.
        #[getter]
        fn name(&self) -> String {
            self.inner.name.clone()
        }
    }
}

element_class! {
    /// `<Stream>` inside `Connect`, `Start` or `Stop`; `parameters` become `<Parameter>` children.
    PyStream = "Stream" wraps laml::Stream, (t::stream_apply, t::stream_read),
    new (parameters: Option<Vec<(String, String)>> = None) => {
        let mut stream = laml::Stream::default();
        for (name, value) in parameters.unwrap_or_default() {
            stream = stream.parameter(name, value);
        }
        stream
    },
    repr |s| format!("Stream(url={:?}, name={:?})", s.url, s.name),
    {
        /// The `<Parameter>` children as `(name, value)` pairs.
        #[getter]
        fn parameters(&self) -> Vec<(Option<String>, Option<String>)> {
            self.inner
                .parameters
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect()
        }
    }
}

element_class! {
    /// `<Room>` inside `Connect`.
    PyRoom = "Room" wraps laml::Room, (t::room_apply, t::room_read),
    new (name: String = String::new()) => laml::Room::new(name),
    repr |r| format!("Room({:?})", r.name),
    {
        /// The room's name.
        #[getter]
        fn name(&self) -> String {
            self.inner.name.clone()
        }
    }
}

element_class! {
    /// `<Gather>`: collects digits or speech while playing its nested `Say`, `Play`, `Pause`.
    PyGather = "Gather" wraps laml::Gather, (t::gather_apply, t::gather_read),
    new () => laml::Gather::new(),
    repr |g| verb_xml(laml::Verb::Gather(g.clone())),
    {
        /// Nests a `Say`, `Play` or `Pause` built beforehand; returns the `Gather`.
        fn append<'py>(
            mut slf: PyRefMut<'py, Self>,
            child: &Bound<'py, PyAny>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let child = if let Ok(say) = child.cast::<PySay>() {
                laml::GatherChild::Say(say.borrow().inner.clone())
            } else if let Ok(play) = child.cast::<PyPlay>() {
                laml::GatherChild::Play(play.borrow().inner.clone())
            } else if let Ok(pause) = child.cast::<PyPause>() {
                laml::GatherChild::Pause(pause.borrow().inner.clone())
            } else {
                return Err(crate::errors::validation(
                    child.py(),
                    "Gather",
                    "only Say, Play and Pause can be nested in Gather",
                ));
            };
            slf.inner.children.push(child);
            Ok(slf)
        }

        /// The nested verbs.
        #[getter]
        fn children<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
            let mut out = Vec::with_capacity(self.inner.children.len());
            for child in &self.inner.children {
                out.push(match child {
                    laml::GatherChild::Say(s) => Py::new(py, PySay::from_inner(s.clone()))?.into_any(),
                    laml::GatherChild::Play(p) => Py::new(py, PyPlay::from_inner(p.clone()))?.into_any(),
                    laml::GatherChild::Pause(p) => {
                        Py::new(py, PyPause::from_inner(p.clone()))?.into_any()
                    }
                    _ => continue,
                });
            }
            PyList::new(py, out)
        }
    }
}

element_class! {
    /// `<Dial>`: connects the caller to numbers, SIP endpoints, a conference or a queue.
    PyDial = "Dial" wraps laml::Dial, (t::dial_apply, t::dial_read),
    new (number: Option<String> = None) => {
        let mut dial = laml::Dial::new();
        dial.bare_number = number;
        dial
    },
    repr |d| verb_xml(laml::Verb::Dial(d.clone())),
    {
        /// The number written as the element's text, if any.
        #[getter]
        fn bare_number(&self) -> Option<String> {
            self.inner.bare_number.clone()
        }

        /// The nouns (`Number`, `Sip`, `Conference`, `Queue`), in order.
        #[getter]
        fn nouns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
            let mut out = Vec::with_capacity(self.inner.nouns.len());
            for noun in &self.inner.nouns {
                out.push(match noun {
                    laml::DialNoun::Number(n) => Py::new(py, PyNumber::from_inner(n.clone()))?.into_any(),
                    laml::DialNoun::Sip(s) => Py::new(py, PySip::from_inner(s.clone()))?.into_any(),
                    laml::DialNoun::Conference(c) => {
                        Py::new(py, PyConference::from_inner(c.clone()))?.into_any()
                    }
                    laml::DialNoun::Queue(q) => Py::new(py, PyQueue::from_inner(q.clone()))?.into_any(),
                    _ => continue,
                });
            }
            PyList::new(py, out)
        }
    }
}

adders! {
    PyGather, inner.children <- GatherChild;
    /// Nests a `<Say>`; returns the `Gather`.
    say(text: String = String::new()) => Say, t::say_apply;
    /// Nests a `<Play>`; returns the `Gather`.
    play(url: String = String::new()) => Play, t::play_apply;
    /// Nests a `<Pause>`; returns the `Gather`.
    pause() => Pause, t::pause_apply;
}

adders! {
    PyDial, inner.nouns <- DialNoun;
    /// Adds a `<Number>`; returns the `Dial`.
    number(number: String) => Number, t::number_apply;
    /// Adds a `<Sip>`; returns the `Dial`.
    sip(uri: String) => Sip, t::sip_apply;
    /// Adds a `<Conference>`; returns the `Dial`.
    conference(name: String) => Conference, t::conference_apply;
    /// Adds a `<Queue>`; returns the `Dial`.
    queue(name: String) => Queue, t::queue_apply;
}

/// Builds a `laml::Stream` from the arguments the `stream()` methods take.
fn build_stream(
    url: Option<String>,
    parameters: Option<Vec<(String, String)>>,
    attrs: Option<&Bound<'_, PyDict>>,
) -> PyResult<laml::Stream> {
    let mut stream = laml::Stream::default();
    stream.url = url;
    for (name, value) in parameters.unwrap_or_default() {
        stream = stream.parameter(name, value);
    }
    t::stream_apply(&mut stream, attrs)?;
    Ok(stream)
}

element_class! {
    /// `<Connect>`: connects the call to a media `Stream` or a `Room`.
    PyConnect = "Connect" wraps laml::Connect, (t::connect_apply, t::connect_read),
    new () => laml::Connect::new(),
    repr |c| verb_xml(laml::Verb::Connect(c.clone())),
    {
        /// Adds a `<Stream>`; returns the `Connect`.
        #[pyo3(signature = (url = None, *, parameters = None, **attrs))]
        fn stream<'py>(
            mut slf: PyRefMut<'py, Self>,
            url: Option<String>,
            parameters: Option<Vec<(String, String)>>,
            attrs: Option<&Bound<'_, PyDict>>,
        ) -> PyResult<PyRefMut<'py, Self>> {
            let stream = build_stream(url, parameters, attrs)?;
            slf.inner.children.push(laml::ConnectChild::Stream(stream));
            Ok(slf)
        }

        /// Adds a `<Room>`; returns the `Connect`.
        fn room(mut slf: PyRefMut<'_, Self>, name: String) -> PyRefMut<'_, Self> {
            slf.inner.children.push(laml::ConnectChild::Room(laml::Room::new(name)));
            slf
        }
    }
}

/// `<Start>` and `<Stop>` share their shape: attributes and `Stream` children.
macro_rules! stream_holder_class {
    ($(#[$doc:meta])* $py:ident = $name:literal wraps $ty:ident, ($apply:path, $read:path)) => {
        element_class! {
            $(#[$doc])*
            $py = $name wraps laml::$ty, ($apply, $read),
            new () => laml::$ty::new(),
            repr |s| verb_xml(laml::Verb::$ty(s.clone())),
            {
                /// Adds a `<Stream>`; returns the element.
                #[pyo3(signature = (url = None, *, parameters = None, **attrs))]
                fn stream<'py>(
                    mut slf: PyRefMut<'py, Self>,
                    url: Option<String>,
                    parameters: Option<Vec<(String, String)>>,
                    attrs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<PyRefMut<'py, Self>> {
                    let stream = build_stream(url, parameters, attrs)?;
                    slf.inner.streams.push(stream);
                    Ok(slf)
                }

                /// The `Stream` children.
                #[getter]
                fn streams(&self) -> Vec<PyStream> {
                    self.inner.streams.iter().cloned().map(PyStream::from_inner).collect()
                }
            }
        }
    };
}

stream_holder_class! {
    /// `<Start>`: starts a media stream alongside the call.
    PyStart = "Start" wraps Start, (t::start_apply, t::start_read)
}

stream_holder_class! {
    /// `<Stop>`: stops a media stream.
    PyStop = "Stop" wraps Stop, (t::stop_apply, t::stop_read)
}
