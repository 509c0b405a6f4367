//! The voice and SMS URLs that applications and numbers share (`VoiceSettingsRequest` and
//! `VoiceSettings` in the description): the same names in the requests and the models, so one
//! macro applies a request's to a model.

/// Sets each setting `$request` carries on `$model`; what it does not carry is kept.
macro_rules! apply_voice_settings {
    ($model:expr, $request:expr) => {{
        let model = &mut $model;
        let request = &$request;
        $crate::api::settings::apply_voice_settings!(@text model, request,
            voice_url, voice_fallback_url, status_callback, sms_url, sms_fallback_url,
            sms_status_callback);
        $crate::api::settings::apply_voice_settings!(@method model, request,
            voice_method, voice_fallback_method, status_callback_method, sms_method,
            sms_fallback_method);
        if let Some(lookup) = request.voice_caller_id_lookup {
            model.voice_caller_id_lookup = Some(lookup);
        }
    }};
    (@text $model:ident, $request:ident, $($field:ident),+) => {
        $(if let Some(value) = &$request.$field {
            $model.$field = Some(value.clone());
        })+
    };
    (@method $model:ident, $request:ident, $($field:ident),+) => {
        $(if let Some(method) = $request.$field {
            $model.$field = Some(method.as_str().to_owned());
        })+
    };
}
pub(crate) use apply_voice_settings;

/// The settings of a new application or number before its request applies: every method
/// `POST` (the description's default) and no caller name lookup.
macro_rules! default_voice_settings {
    ($model:expr) => {{
        let model = &mut $model;
        let post = || Some(mycpaas_core::HttpMethod::Post.as_str().to_owned());
        model.voice_method = post();
        model.voice_fallback_method = post();
        model.status_callback_method = post();
        model.sms_method = post();
        model.sms_fallback_method = post();
        model.voice_caller_id_lookup = Some(false);
    }};
}
pub(crate) use default_voice_settings;
