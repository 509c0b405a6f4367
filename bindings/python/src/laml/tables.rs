//! The keyword-argument table of every LaML element: Python keyword name => field of the Rust struct.
//!
//! Keywords are the snake_case of the XML attribute (`num_digits` for `numDigits`), which is the
//! name of the Rust field, so a table lists the fields; the two exceptions are written
//! `"keyword" => field`: `loop` (the Rust field is `loop_count`) and `from_` (`from` is a Python
//! keyword).

use mycpaas_laml as laml;

use super::attrs::attribute_table;

attribute_table!(say_apply, say_read, "Say", laml::Say { language, "loop" => loop_count, voice });
attribute_table!(play_apply, play_read, "Play", laml::Play { digits, "loop" => loop_count });
attribute_table!(pause_apply, pause_read, "Pause", laml::Pause { length });
attribute_table!(
    gather_apply,
    gather_read,
    "Gather",
    laml::Gather {
        action,
        action_on_empty_result,
        enhanced,
        finish_on_key,
        hints,
        input,
        language,
        method,
        num_digits,
        partial_result_callback,
        partial_result_callback_method,
        profanity_filter,
        speech_model,
        speech_timeout,
        timeout,
    }
);
attribute_table!(
    dial_apply,
    dial_read,
    "Dial",
    laml::Dial {
        action,
        answer_on_bridge,
        caller_id,
        hangup_on_star,
        method,
        record,
        recording_status_callback,
        recording_status_callback_event,
        recording_status_callback_method,
        recording_track,
        ring_tone,
        time_limit,
        timeout,
        trim,
    }
);
attribute_table!(
    number_apply,
    number_read,
    "Number",
    laml::Number {
        method,
        send_digits,
        status_callback,
        status_callback_event,
        status_callback_method,
        url,
    }
);
attribute_table!(
    sip_apply,
    sip_read,
    "Sip",
    laml::Sip {
        method,
        password,
        status_callback,
        status_callback_event,
        status_callback_method,
        url,
        username,
    }
);
attribute_table!(
    conference_apply,
    conference_read,
    "Conference",
    laml::Conference {
        beep,
        coach,
        end_conference_on_exit,
        max_participants,
        muted,
        record,
        recording_status_callback,
        recording_status_callback_event,
        recording_status_callback_method,
        start_conference_on_enter,
        status_callback,
        status_callback_event,
        status_callback_method,
        trim,
        wait_method,
        wait_url,
    }
);
attribute_table!(
    queue_apply,
    queue_read,
    "Queue",
    laml::Queue { method, url }
);
attribute_table!(
    record_apply,
    record_read,
    "Record",
    laml::Record {
        action,
        finish_on_key,
        max_length,
        method,
        play_beep,
        recording_status_callback,
        recording_status_callback_event,
        recording_status_callback_method,
        timeout,
        transcribe,
        transcribe_callback,
        trim,
    }
);
attribute_table!(hangup_apply, hangup_read, "Hangup", laml::Hangup {});
attribute_table!(
    redirect_apply,
    redirect_read,
    "Redirect",
    laml::Redirect { method }
);
attribute_table!(reject_apply, reject_read, "Reject", laml::Reject { reason });
attribute_table!(
    enqueue_apply,
    enqueue_read,
    "Enqueue",
    laml::Enqueue {
        action,
        method,
        wait_url,
        wait_url_method,
    }
);
attribute_table!(leave_apply, leave_read, "Leave", laml::Leave {});
attribute_table!(sms_apply, sms_read, "Sms", laml::Sms {
    action,
    "from_" => from,
    method,
    status_callback,
    to,
});
attribute_table!(
    refer_apply,
    refer_read,
    "Refer",
    laml::Refer { action, method }
);
attribute_table!(echo_apply, echo_read, "Echo", laml::Echo { timeout });
attribute_table!(
    connect_apply,
    connect_read,
    "Connect",
    laml::Connect { action, method }
);
attribute_table!(
    start_apply,
    start_read,
    "Start",
    laml::Start { action, method }
);
attribute_table!(stop_apply, stop_read, "Stop", laml::Stop { action, method });
attribute_table!(
    stream_apply,
    stream_read,
    "Stream",
    laml::Stream {
        name,
        status_callback,
        status_callback_method,
        track,
        url,
    }
);
attribute_table!(room_apply, room_read, "Room", laml::Room {});
