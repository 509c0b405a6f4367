//! How a dialed number behaves: the callee scripts of `POST /_sim/callees` and
//! [`crate::SimHandle::script_callee`], and the magic numbers' defaults for a number with none.

use std::collections::HashMap;
use std::time::Duration;

use mycpaas_core::{ScriptCallee, SimCalleeAnswer};
use parking_lot::Mutex;

use crate::magic::{self, Outcome};

/// Ringing before an unscripted number answers.
const DEFAULT_RING: Duration = Duration::from_secs(2);
/// Ringing before an unscripted busy number gives its signal.
const DEFAULT_BUSY_AFTER: Duration = Duration::from_secs(3);
/// Time from `initiated` to failing, for an unscripted failing number.
const DEFAULT_FAIL_AFTER: Duration = Duration::from_millis(500);
/// Talk before an unscripted callee hangs up (when the dial's `timeLimit` is longer).
const DEFAULT_TALK: Duration = Duration::from_secs(10);

/// What a callee does with a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// Answers after `ring`, hangs up `talk` later.
    Answers { ring: Duration, talk: Duration },
    /// Busy signal after `ring`.
    Busy { ring: Duration },
    /// Rings until the dial gives up.
    RingsOut,
    /// Fails `after` its `initiated`, without ringing.
    Fails { after: Duration },
}

/// The scripts, by number (or SIP URI) as the `<Dial>` writes it.
#[derive(Debug, Default)]
pub(crate) struct CalleeScripts {
    scripts: Mutex<HashMap<String, Behaviour>>,
}

impl CalleeScripts {
    /// Scripts every later leg to the request's number (replacing its script, if any). The
    /// request must have passed its `validate()`.
    pub(crate) fn script(&self, request: &ScriptCallee) {
        let seconds = |value: Option<u32>, default: u32| {
            Duration::from_secs(u64::from(value.unwrap_or(default)))
        };
        let ring = seconds(request.ring_for, ScriptCallee::DEFAULT_RING_FOR);
        let behaviour = match request.answer.unwrap_or(ScriptCallee::DEFAULT_ANSWER) {
            SimCalleeAnswer::Busy => Behaviour::Busy { ring },
            SimCalleeAnswer::NoAnswer => Behaviour::RingsOut,
            SimCalleeAnswer::Fail => Behaviour::Fails { after: ring },
            // `answer`, and any behaviour the description adds before the simulator learns it.
            _ => Behaviour::Answers {
                ring,
                talk: seconds(request.hang_up_after, ScriptCallee::DEFAULT_HANG_UP_AFTER),
            },
        };
        self.scripts
            .lock()
            .insert(request.number.trim().to_owned(), behaviour);
    }

    /// How a leg to `number` goes: its script, or the magic numbers' default.
    pub(crate) fn behaviour_of(&self, number: &str) -> Behaviour {
        if let Some(behaviour) = self.scripts.lock().get(number) {
            return *behaviour;
        }
        match magic::outcome_for(number) {
            Outcome::Busy => Behaviour::Busy {
                ring: DEFAULT_BUSY_AFTER,
            },
            Outcome::NoAnswer => Behaviour::RingsOut,
            Outcome::Fail => Behaviour::Fails {
                after: DEFAULT_FAIL_AFTER,
            },
            Outcome::Answer => Behaviour::Answers {
                ring: DEFAULT_RING,
                talk: DEFAULT_TALK,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_replace_the_magic_defaults_and_each_other() {
        let scripts = CalleeScripts::default();
        assert_eq!(
            scripts.behaviour_of(magic::BUSY),
            Behaviour::Busy {
                ring: Duration::from_secs(3)
            }
        );
        assert_eq!(
            scripts.behaviour_of("+15551230001"),
            Behaviour::Answers {
                ring: Duration::from_secs(2),
                talk: Duration::from_secs(10)
            }
        );
        scripts.script(&ScriptCallee::new(magic::BUSY).ring_for(4).hang_up_after(7));
        assert_eq!(
            scripts.behaviour_of(magic::BUSY),
            Behaviour::Answers {
                ring: Duration::from_secs(4),
                talk: Duration::from_secs(7)
            }
        );
        scripts.script(&ScriptCallee::new(magic::BUSY).answer(SimCalleeAnswer::NoAnswer));
        assert_eq!(scripts.behaviour_of(magic::BUSY), Behaviour::RingsOut);
        scripts.script(
            &ScriptCallee::new("sip:a@example.com")
                .answer(SimCalleeAnswer::Fail)
                .ring_for(1),
        );
        assert_eq!(
            scripts.behaviour_of("sip:a@example.com"),
            Behaviour::Fails {
                after: Duration::from_secs(1)
            }
        );
    }
}
