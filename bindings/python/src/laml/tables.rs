//! The keyword-argument table of every LaML element: Python keyword name => field of the Rust struct.
//!
//! Keywords are the snake_case of the XML attribute (`num_digits` for `numDigits`), except `loop`
//! (the Rust field is `loop_count`) and `from_` (`from` is a Python keyword).

use mycpaas_laml as laml;

use super::attrs::attribute_table;

attribute_table!(say_apply, say_read, "Say", laml::Say {
    "language" => language, "loop" => loop_count, "voice" => voice,
});
attribute_table!(play_apply, play_read, "Play", laml::Play {
    "digits" => digits, "loop" => loop_count,
});
attribute_table!(pause_apply, pause_read, "Pause", laml::Pause { "length" => length });
attribute_table!(gather_apply, gather_read, "Gather", laml::Gather {
    "action" => action,
    "action_on_empty_result" => action_on_empty_result,
    "enhanced" => enhanced,
    "finish_on_key" => finish_on_key,
    "hints" => hints,
    "input" => input,
    "language" => language,
    "method" => method,
    "num_digits" => num_digits,
    "partial_result_callback" => partial_result_callback,
    "partial_result_callback_method" => partial_result_callback_method,
    "profanity_filter" => profanity_filter,
    "speech_model" => speech_model,
    "speech_timeout" => speech_timeout,
    "timeout" => timeout,
});
attribute_table!(dial_apply, dial_read, "Dial", laml::Dial {
    "action" => action,
    "answer_on_bridge" => answer_on_bridge,
    "caller_id" => caller_id,
    "hangup_on_star" => hangup_on_star,
    "method" => method,
    "record" => record,
    "recording_status_callback" => recording_status_callback,
    "recording_status_callback_event" => recording_status_callback_event,
    "recording_status_callback_method" => recording_status_callback_method,
    "recording_track" => recording_track,
    "ring_tone" => ring_tone,
    "time_limit" => time_limit,
    "timeout" => timeout,
    "trim" => trim,
});
attribute_table!(number_apply, number_read, "Number", laml::Number {
    "method" => method,
    "send_digits" => send_digits,
    "status_callback" => status_callback,
    "status_callback_event" => status_callback_event,
    "status_callback_method" => status_callback_method,
    "url" => url,
});
attribute_table!(sip_apply, sip_read, "Sip", laml::Sip {
    "method" => method,
    "password" => password,
    "status_callback" => status_callback,
    "status_callback_event" => status_callback_event,
    "status_callback_method" => status_callback_method,
    "url" => url,
    "username" => username,
});
attribute_table!(conference_apply, conference_read, "Conference", laml::Conference {
    "beep" => beep,
    "coach" => coach,
    "end_conference_on_exit" => end_conference_on_exit,
    "max_participants" => max_participants,
    "muted" => muted,
    "record" => record,
    "recording_status_callback" => recording_status_callback,
    "recording_status_callback_event" => recording_status_callback_event,
    "recording_status_callback_method" => recording_status_callback_method,
    "start_conference_on_enter" => start_conference_on_enter,
    "status_callback" => status_callback,
    "status_callback_event" => status_callback_event,
    "status_callback_method" => status_callback_method,
    "trim" => trim,
    "wait_method" => wait_method,
    "wait_url" => wait_url,
});
attribute_table!(queue_apply, queue_read, "Queue", laml::Queue {
    "method" => method, "url" => url,
});
attribute_table!(record_apply, record_read, "Record", laml::Record {
    "action" => action,
    "finish_on_key" => finish_on_key,
    "max_length" => max_length,
    "method" => method,
    "play_beep" => play_beep,
    "recording_status_callback" => recording_status_callback,
    "recording_status_callback_event" => recording_status_callback_event,
    "recording_status_callback_method" => recording_status_callback_method,
    "timeout" => timeout,
    "transcribe" => transcribe,
    "transcribe_callback" => transcribe_callback,
    "trim" => trim,
});
attribute_table!(hangup_apply, hangup_read, "Hangup", laml::Hangup {});
attribute_table!(redirect_apply, redirect_read, "Redirect", laml::Redirect { "method" => method });
attribute_table!(reject_apply, reject_read, "Reject", laml::Reject { "reason" => reason });
attribute_table!(enqueue_apply, enqueue_read, "Enqueue", laml::Enqueue {
    "action" => action,
    "method" => method,
    "wait_url" => wait_url,
    "wait_url_method" => wait_url_method,
});
attribute_table!(leave_apply, leave_read, "Leave", laml::Leave {});
attribute_table!(sms_apply, sms_read, "Sms", laml::Sms {
    "action" => action,
    "from_" => from,
    "method" => method,
    "status_callback" => status_callback,
    "to" => to,
});
attribute_table!(refer_apply, refer_read, "Refer", laml::Refer {
    "action" => action, "method" => method,
});
attribute_table!(echo_apply, echo_read, "Echo", laml::Echo { "timeout" => timeout });
attribute_table!(connect_apply, connect_read, "Connect", laml::Connect {
    "action" => action, "method" => method,
});
attribute_table!(start_apply, start_read, "Start", laml::Start {
    "action" => action, "method" => method,
});
attribute_table!(stop_apply, stop_read, "Stop", laml::Stop {
    "action" => action, "method" => method,
});
attribute_table!(stream_apply, stream_read, "Stream", laml::Stream {
    "name" => name,
    "status_callback" => status_callback,
    "status_callback_method" => status_callback_method,
    "track" => track,
    "url" => url,
});
attribute_table!(room_apply, room_read, "Room", laml::Room {});
