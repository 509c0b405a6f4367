//! `Gather` and the verbs it may hold.

use crate::UnknownElement;
use crate::macros::element;
use crate::model::{Pause, Play, Say};
use crate::values::{GatherInput, Method, SpeechTimeout};

element! {
    /// `<Gather>`: collects key presses or speech, playing its children meanwhile.
    ///
    /// Only `Say`, `Play` and `Pause` can be nested, so other nesting cannot be built.
    ///
    /// ```
    /// use mycpaas_laml::{Gather, GatherInput};
    /// let gather = Gather::new()
    ///     .input([GatherInput::Dtmf, GatherInput::Speech])
    ///     .num_digits(1)
    ///     .action("/menu")
    ///     .say("Press 1 for sales");
    /// assert_eq!(gather.children.len(), 1);
    /// ```
    pub struct Gather = "Gather" {
        /// The nested verbs, played while waiting for input.
        pub children: Vec<GatherChild>,
    }
    /// A `Gather` with default attributes and no nested verbs.
    new()
    attributes {
        /// Where the result is sent (default: the current document URL).
        into action: String = "action",
        /// Whether to go to `action` even when nothing was entered.
        copy action_on_empty_result: bool = "actionOnEmptyResult",
        /// Enhanced speech model.
        copy enhanced: bool = "enhanced",
        /// The key that ends input (`#` by default; one of `0-9*#`, or empty for none).
        into finish_on_key: String = "finishOnKey",
        /// Comma-separated phrases that help speech recognition.
        into hints: String = "hints",
        /// Inputs listened for, written space-separated.
        into input: Vec<GatherInput> = "input",
        /// Speech language (BCP-47, default `en-US`).
        into language: String = "language",
        /// HTTP method for `action`.
        copy method: Method = "method",
        /// Number of digits to collect.
        copy num_digits: u32 = "numDigits",
        /// Where partial speech results are sent.
        into partial_result_callback: String = "partialResultCallback",
        /// HTTP method for `partialResultCallback`.
        copy partial_result_callback_method: Method = "partialResultCallbackMethod",
        /// Whether profanity is filtered from speech results.
        copy profanity_filter: bool = "profanityFilter",
        /// Speech recognition model.
        into speech_model: String = "speechModel",
        /// Silence after speech before it ends.
        copy speech_timeout: SpeechTimeout = "speechTimeout",
        /// Seconds to wait for input.
        copy timeout: u32 = "timeout",
    }
}

impl Gather {
    /// Nests a `Say`.
    pub fn say(mut self, say: impl Into<Say>) -> Self {
        self.children.push(GatherChild::Say(say.into()));
        self
    }

    /// Nests a `Play`.
    pub fn play(mut self, play: impl Into<Play>) -> Self {
        self.children.push(GatherChild::Play(play.into()));
        self
    }

    /// Nests a `Pause`.
    pub fn pause(mut self, pause: Pause) -> Self {
        self.children.push(GatherChild::Pause(pause));
        self
    }

    /// Nests any allowed child.
    pub fn child(mut self, child: impl Into<GatherChild>) -> Self {
        self.children.push(child.into());
        self
    }
}

/// A verb nested in `Gather`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GatherChild {
    /// `<Say>`
    Say(Say),
    /// `<Play>`
    Play(Play),
    /// `<Pause>`
    Pause(Pause),
    /// An element this crate does not know (lenient parsing only).
    Unknown(UnknownElement),
}

impl GatherChild {
    /// The element name.
    pub fn element_name(&self) -> &str {
        match self {
            GatherChild::Say(_) => Say::ELEMENT_NAME,
            GatherChild::Play(_) => Play::ELEMENT_NAME,
            GatherChild::Pause(_) => Pause::ELEMENT_NAME,
            GatherChild::Unknown(e) => &e.name,
        }
    }
}

impl From<Say> for GatherChild {
    fn from(say: Say) -> Self {
        GatherChild::Say(say)
    }
}

impl From<Play> for GatherChild {
    fn from(play: Play) -> Self {
        GatherChild::Play(play)
    }
}

impl From<Pause> for GatherChild {
    fn from(pause: Pause) -> Self {
        GatherChild::Pause(pause)
    }
}
