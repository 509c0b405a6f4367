//! `Say` and the SSML elements it may contain.

use crate::UnknownElement;
use crate::macros::{element, from_text};
use crate::values::{
    BreakStrength, BreakTime, EmphasisLevel, InterpretAs, PhonemeAlphabet, ProsodyPitch,
    ProsodyRate, ProsodyVolume, SayAsFormat, Voice,
};

/// Appends a node, merging adjacent text and dropping empty text, so that a built value equals
/// the value parsed back from its document.
pub(crate) fn push_node(nodes: &mut Vec<SsmlNode>, node: SsmlNode) {
    if let SsmlNode::Text(text) = node {
        if text.is_empty() {
            return;
        }
        if let Some(SsmlNode::Text(last)) = nodes.last_mut() {
            last.push_str(&text);
        } else {
            nodes.push(SsmlNode::Text(text));
        }
    } else {
        nodes.push(node);
    }
}

element! {
    /// `<Say>`: speaks text (at most 4096 characters), optionally marked up with SSML.
    ///
    /// ```
    /// use mycpaas_laml::{Say, Voice, Break, BreakTime};
    /// let say = Say::new("Hello")
    ///     .voice(Voice::Alice)
    ///     .language("en-US")
    ///     .loop_count(2)
    ///     .ssml(Break::new().time(BreakTime::Milliseconds(500)))
    ///     .text("goodbye");
    /// assert_eq!(say.plain_text(), "Hellogoodbye");
    /// ```
    pub struct Say = "Say" {
        /// The spoken content: text and SSML elements, in order.
        pub content: Vec<SsmlNode>,
    }
    attributes {
        /// BCP-47 language tag, e.g. `en-US`.
        into language: String = "language",
        /// Times to speak; 0 repeats until the call ends.
        copy loop_count: u32 = "loop",
        /// The voice.
        into voice: Voice = "voice",
    }
}

impl Say {
    /// Speaks `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Say::default().text(text)
    }

    /// Appends text.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        push_node(&mut self.content, SsmlNode::Text(text.into()));
        self
    }

    /// Appends an SSML element (or text).
    pub fn ssml(mut self, node: impl Into<SsmlNode>) -> Self {
        push_node(&mut self.content, node.into());
        self
    }

    /// The text that is spoken, without markup (`sub` counts its text, not its alias).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        collect_text(&self.content, &mut out);
        out
    }
}

fn collect_text(nodes: &[SsmlNode], out: &mut String) {
    for node in nodes {
        match node {
            SsmlNode::Text(text) => out.push_str(text),
            SsmlNode::Phoneme(e) => out.push_str(&e.text),
            SsmlNode::SayAs(e) => out.push_str(&e.text),
            SsmlNode::Sub(e) => out.push_str(&e.text),
            other => {
                if let Some(children) = other.children() {
                    collect_text(children, out);
                }
            }
        }
    }
}

from_text!(Say => Say::new, SsmlNode => SsmlNode::Text);

/// A piece of `Say` content: text or an SSML element.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SsmlNode {
    /// Text, unescaped.
    Text(String),
    /// `<break>`
    Break(Break),
    /// `<emphasis>`
    Emphasis(Emphasis),
    /// `<lang>`
    Lang(Lang),
    /// `<p>`
    Paragraph(Paragraph),
    /// `<phoneme>`
    Phoneme(Phoneme),
    /// `<prosody>`
    Prosody(Prosody),
    /// `<s>`
    Sentence(Sentence),
    /// `<say-as>`
    SayAs(SayAs),
    /// `<sub>`
    Sub(Sub),
    /// `<w>`
    Word(Word),
    /// An element this crate does not know (lenient parsing only).
    Unknown(UnknownElement),
}

impl SsmlNode {
    /// The element name, or `None` for text.
    pub fn element_name(&self) -> Option<&str> {
        Some(match self {
            SsmlNode::Text(_) => return None,
            SsmlNode::Break(_) => Break::ELEMENT_NAME,
            SsmlNode::Emphasis(_) => Emphasis::ELEMENT_NAME,
            SsmlNode::Lang(_) => Lang::ELEMENT_NAME,
            SsmlNode::Paragraph(_) => Paragraph::ELEMENT_NAME,
            SsmlNode::Phoneme(_) => Phoneme::ELEMENT_NAME,
            SsmlNode::Prosody(_) => Prosody::ELEMENT_NAME,
            SsmlNode::Sentence(_) => Sentence::ELEMENT_NAME,
            SsmlNode::SayAs(_) => SayAs::ELEMENT_NAME,
            SsmlNode::Sub(_) => Sub::ELEMENT_NAME,
            SsmlNode::Word(_) => Word::ELEMENT_NAME,
            SsmlNode::Unknown(e) => &e.name,
        })
    }

    /// The nested nodes of a container element (`emphasis`, `lang`, `p`, `prosody`, `s`, `w`).
    pub fn children(&self) -> Option<&[SsmlNode]> {
        match self {
            SsmlNode::Emphasis(e) => Some(&e.children),
            SsmlNode::Lang(e) => Some(&e.children),
            SsmlNode::Paragraph(e) => Some(&e.children),
            SsmlNode::Prosody(e) => Some(&e.children),
            SsmlNode::Sentence(e) => Some(&e.children),
            SsmlNode::Word(e) => Some(&e.children),
            _ => None,
        }
    }
}

/// Whether SSML element `child` may appear directly inside `parent` (`"Say"` for the top
/// level), per the table of the specification. Shared by strict parsing and validation.
pub(crate) fn ssml_allows(parent: &str, child: &str) -> bool {
    const INLINE: &[&str] = &[
        "break", "emphasis", "lang", "phoneme", "prosody", "say-as", "sub", "w",
    ];
    match parent {
        "Say" | "lang" | "prosody" => true,
        "p" => child != "p",
        "s" | "emphasis" => INLINE.contains(&child),
        "w" => INLINE.contains(&child) && child != "lang" && child != "w",
        _ => false,
    }
}

macro_rules! ssml_from {
    ($($variant:ident($ty:ident)),* $(,)?) => {
        $(impl From<$ty> for SsmlNode {
            fn from(element: $ty) -> Self {
                SsmlNode::$variant(element)
            }
        })*
    };
}

ssml_from!(
    Break(Break),
    Emphasis(Emphasis),
    Lang(Lang),
    Paragraph(Paragraph),
    Phoneme(Phoneme),
    Prosody(Prosody),
    Sentence(Sentence),
    SayAs(SayAs),
    Sub(Sub),
    Word(Word),
    Unknown(UnknownElement),
);

/// Builder methods shared by the SSML containers.
macro_rules! ssml_container {
    ($($ty:ident),*) => {
        $(impl $ty {
            /// An empty element.
            pub fn new() -> Self {
                Self::default()
            }

            /// Appends text.
            pub fn text(mut self, text: impl Into<String>) -> Self {
                push_node(&mut self.children, SsmlNode::Text(text.into()));
                self
            }

            /// Appends a nested SSML element (or text).
            pub fn child(mut self, node: impl Into<SsmlNode>) -> Self {
                push_node(&mut self.children, node.into());
                self
            }
        })*
    };
}

ssml_container!(Emphasis, Lang, Paragraph, Prosody, Sentence, Word);

/// Builder methods shared by the text-only SSML elements.
macro_rules! ssml_text {
    ($($ty:ident),*) => {
        $(impl $ty {
            /// An element holding `text`.
            pub fn new(text: impl Into<String>) -> Self {
                Self { text: text.into(), ..Self::default() }
            }
        })*
    };
}

ssml_text!(Phoneme, SayAs, Sub);

element! {
    /// `<break>`: a pause in speech.
    pub struct Break = "break" {}
    /// A break with the default strength.
    new()
    attributes {
        /// How strong the pause is.
        copy strength: BreakStrength = "strength",
        /// How long the pause is (at most 10 s).
        copy time: BreakTime = "time",
    }
}

element! {
    /// `<emphasis>`: stressed speech.
    pub struct Emphasis = "emphasis" {
        /// Nested text and elements (`break emphasis lang phoneme prosody say-as sub w`).
        pub children: Vec<SsmlNode>,
    }
    attributes {
        /// How strong the stress is.
        copy level: EmphasisLevel = "level",
    }
}

element! {
    /// `<lang>`: speech in another language.
    pub struct Lang = "lang" {
        /// Nested text and elements (any SSML).
        pub children: Vec<SsmlNode>,
    }
    attributes {
        /// The language (`xml:lang`), e.g. `fr-FR`.
        into xml_lang: String = "xml:lang",
    }
}

element! {
    /// `<p>`: a paragraph.
    pub struct Paragraph = "p" {
        /// Nested text and elements (any SSML but `p`).
        pub children: Vec<SsmlNode>,
    }
    attributes {}
}

element! {
    /// `<phoneme>`: a phonetic pronunciation.
    pub struct Phoneme = "phoneme" {
        /// The written text.
        pub text: String,
    }
    attributes {
        /// The phonetic alphabet of `ph`.
        copy alphabet: PhonemeAlphabet = "alphabet",
        /// The pronunciation.
        into ph: String = "ph",
    }
}

element! {
    /// `<prosody>`: volume, rate and pitch.
    pub struct Prosody = "prosody" {
        /// Nested text and elements (any SSML).
        pub children: Vec<SsmlNode>,
    }
    attributes {
        /// Pitch.
        copy pitch: ProsodyPitch = "pitch",
        /// Speaking rate.
        copy rate: ProsodyRate = "rate",
        /// Volume.
        copy volume: ProsodyVolume = "volume",
    }
}

element! {
    /// `<s>`: a sentence.
    pub struct Sentence = "s" {
        /// Nested text and elements (`break emphasis lang phoneme prosody say-as sub w`).
        pub children: Vec<SsmlNode>,
    }
    attributes {}
}

element! {
    /// `<say-as>`: how to read the text (digits, a date, ...).
    pub struct SayAs = "say-as" {
        /// The text to interpret.
        pub text: String,
    }
    attributes {
        /// Date order for `interpret-as="date"`.
        copy format: SayAsFormat = "format",
        /// How to interpret the text.
        copy interpret_as: InterpretAs = "interpret-as",
    }
}

element! {
    /// `<sub>`: speaks `alias` instead of the text.
    pub struct Sub = "sub" {
        /// The written text.
        pub text: String,
    }
    attributes {
        /// What is spoken.
        into alias: String = "alias",
    }
}

element! {
    /// `<w>`: a word with a part-of-speech role.
    pub struct Word = "w" {
        /// Nested text and elements (`break emphasis phoneme prosody say-as sub`).
        pub children: Vec<SsmlNode>,
    }
    attributes {
        /// The role, e.g. `amazon:VB`.
        into role: String = "role",
    }
}
