//! Request signatures: `base64(HMAC-SHA1(auth_token, url + sorted(name + value)))`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::AuthToken;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Mycpaas-Signature";
/// The query parameter carrying the SHA-256 of a JSON body.
pub const BODY_SHA256_PARAM: &str = "bodySHA256";

/// A form parameter: `(name, value)` tuples and references to them.
/// This lets the signature functions take `&[(String, String)]`, `[("a", "b")]`, iterators of
/// pairs, and so on.
pub trait FormPair {
    /// The parameter name.
    fn name(&self) -> &str;
    /// The parameter value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> FormPair for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FormPair for &(K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

/// The HMAC key of a signature: an [`AuthToken`], or the token as `str` / `String`.
pub trait SigningKey {
    /// The key bytes.
    fn key_bytes(&self) -> &[u8];
}

impl SigningKey for AuthToken {
    fn key_bytes(&self) -> &[u8] {
        self.expose_secret().as_bytes()
    }
}

impl SigningKey for str {
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl SigningKey for String {
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// The parameters part of the signed string: names sorted, and for a repeated name its values
/// sorted, each appended as `name + value`.
fn params_string<I>(params: I) -> String
where
    I: IntoIterator,
    I::Item: FormPair,
{
    // Sorted in place, without copying any name or value.
    let mut pairs: Vec<I::Item> = params.into_iter().collect();
    pairs.sort_unstable_by(|a, b| (a.name(), a.value()).cmp(&(b.name(), b.value())));
    let mut out =
        String::with_capacity(pairs.iter().map(|p| p.name().len() + p.value().len()).sum());
    for pair in &pairs {
        out.push_str(pair.name());
        out.push_str(pair.value());
    }
    out
}

/// HMAC-SHA1 keyed with the auth token, before any message: cloned for each URL form, so the key
/// schedule is computed once per validation.
fn keyed_mac<K: SigningKey + ?Sized>(auth_token: &K) -> Hmac<Sha1> {
    <Hmac<Sha1> as Mac>::new_from_slice(auth_token.key_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// The raw HMAC of `url + params` under an already keyed MAC.
fn digest(keyed: &Hmac<Sha1>, url: &str, params: &str) -> [u8; 20] {
    let mut mac = keyed.clone();
    mac.update(url.as_bytes());
    mac.update(params.as_bytes());
    mac.finalize().into_bytes().into()
}

fn sign<K: SigningKey + ?Sized>(url: &str, params: &str, auth_token: &K) -> String {
    STANDARD.encode(digest(&keyed_mac(auth_token), url, params))
}

/// Computes the signature the platform sends for a request to `url` with form `params`.
///
/// ```
/// use mycpaas_core::{AuthToken, webhook::compute_signature};
///
/// let token = AuthToken::new("12345".into());
/// let params = [
///     ("CallSid", "CA1234567890ABCDE"),
///     ("Caller", "+14158675309"),
///     ("Digits", "1234"),
///     ("From", "+14158675309"),
///     ("To", "+18005551212"),
/// ];
/// assert_eq!(
///     compute_signature("https://mycompany.com/myapp.php?foo=1&bar=2", params, &token),
///     "RSOYDt4T1cUTdK1PDd93/VVr8B8="
/// );
/// ```
pub fn compute_signature<I, K>(url: &str, params: I, auth_token: &K) -> String
where
    I: IntoIterator,
    I::Item: FormPair,
    K: SigningKey + ?Sized,
{
    sign(url, &params_string(params), auth_token)
}

/// Checks a signature in constant time, accepting the URL as given, with its port removed, and
/// with the default port (443/80) added, as the platform may have signed any of these forms.
///
/// An empty auth token validates nothing: it is a missing setting (an unset environment
/// variable), and anyone can sign with an empty key.
///
/// ```
/// use mycpaas_core::webhook::{compute_signature, validate_signature};
///
/// let forged = compute_signature("https://example.com/v", [("CallSid", "CA1")], "");
/// assert!(!validate_signature("https://example.com/v", [("CallSid", "CA1")], &forged, ""));
/// ```
pub fn validate_signature<I, K>(url: &str, params: I, signature: &str, auth_token: &K) -> bool
where
    I: IntoIterator,
    I::Item: FormPair,
    K: SigningKey + ?Sized,
{
    if auth_token.key_bytes().is_empty() {
        return false;
    }
    // The signature is decoded once and compared as raw bytes: no encoding per URL form. Text
    // that is not the base64 of 20 bytes cannot match any form (and says nothing about the key).
    let mut expected = [0u8; 20];
    match STANDARD.decode_slice(signature.as_bytes(), &mut expected) {
        Ok(20) => {}
        _ => return false,
    }
    let params = params_string(params);
    let keyed = keyed_mac(auth_token);
    let mut valid = false;
    // Every variant is checked (no early return), so timing does not reveal which form matched.
    for candidate in url_variants(url) {
        valid |= bool::from(digest(&keyed, &candidate, &params).ct_eq(&expected));
    }
    valid
}

/// Hex SHA-256 of a raw body, as sent in the `bodySHA256` query parameter.
///
/// ```
/// assert_eq!(
///     mycpaas_core::webhook::body_sha256(br#"{"property": "value", "boolean": true}"#),
///     "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
/// );
/// ```
pub fn body_sha256(body: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(body);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Appends `bodySHA256=<hash of body>` to `url` (for signing a JSON request).
pub fn url_with_body_sha256(url: &str, body: &[u8]) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{BODY_SHA256_PARAM}={}", body_sha256(body))
}

/// Checks a request with a JSON body: the URL's `bodySHA256` must be the hash of `body`, and the
/// signature must be valid for the URL with no form parameters.
pub fn validate_body_signature<K: SigningKey + ?Sized>(
    url: &str,
    body: &[u8],
    signature: &str,
    auth_token: &K,
) -> bool {
    let Some(expected) = query_value(url, BODY_SHA256_PARAM) else {
        return false;
    };
    let hash_ok = constant_time_eq(&body_sha256(body), &expected.to_ascii_lowercase());
    let signature_ok = validate_signature(
        url,
        std::iter::empty::<(&str, &str)>(),
        signature,
        auth_token,
    );
    hash_ok && signature_ok
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The URL as given, with its port removed, and with the scheme's default port added.
/// The URL text is otherwise kept byte for byte (no normalisation), since the signature covers it.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return variants;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(at) => authority.split_at(at + 1),
        None => ("", authority),
    };
    // An IPv6 host is bracketed; the port follows the closing bracket.
    let host_end = if host_port.starts_with('[') {
        host_port.find(']').map_or(host_port.len(), |i| i + 1)
    } else {
        host_port.find(':').unwrap_or(host_port.len())
    };
    let (host, port) = host_port.split_at(host_end);
    let prefix = format!("{scheme}://{userinfo}{host}");
    if port.is_empty() {
        let default = match scheme.to_ascii_lowercase().as_str() {
            "https" => Some("443"),
            "http" => Some("80"),
            _ => None,
        };
        if let Some(default) = default {
            variants.push(format!("{prefix}:{default}{tail}"));
        }
    } else {
        variants.push(format!("{prefix}{tail}"));
    }
    variants
}

/// Validates webhook signatures with one auth token.
///
/// ```
/// use mycpaas_core::{AuthToken, webhook::SignatureValidator};
///
/// let validator = SignatureValidator::new(AuthToken::new("12345".into()));
/// let url = "https://example.com/status";
/// let params = vec![("CallSid".to_string(), "CA1".to_string())];
/// let signature = validator.sign(url, &params);
/// assert!(validator.validate(url, &params, &signature));
/// assert!(!validator.validate(url, &params, "bogus"));
/// assert_eq!(format!("{validator:?}"), "SignatureValidator { auth_token: AuthToken(***) }");
/// ```
#[derive(Clone)]
pub struct SignatureValidator {
    auth_token: AuthToken,
}

impl SignatureValidator {
    /// A validator for signatures made with `auth_token`.
    pub fn new(auth_token: AuthToken) -> Self {
        SignatureValidator { auth_token }
    }

    /// See [`compute_signature`].
    pub fn sign<I>(&self, url: &str, params: I) -> String
    where
        I: IntoIterator,
        I::Item: FormPair,
    {
        compute_signature(url, params, &self.auth_token)
    }

    /// See [`validate_signature`].
    pub fn validate<I>(&self, url: &str, params: I, signature: &str) -> bool
    where
        I: IntoIterator,
        I::Item: FormPair,
    {
        validate_signature(url, params, signature, &self.auth_token)
    }

    /// Validates a form POST as received: `body` is the raw `application/x-www-form-urlencoded`
    /// body (use `&[]` for a GET, whose parameters are in the URL).
    pub fn validate_form(&self, url: &str, body: &[u8], signature: &str) -> bool {
        let params: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        self.validate(url, &params, signature)
    }

    /// See [`validate_body_signature`].
    pub fn validate_body(&self, url: &str, body: &[u8], signature: &str) -> bool {
        validate_body_signature(url, body, signature, &self.auth_token)
    }
}

impl fmt::Debug for SignatureValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureValidator")
            .field("auth_token", &self.auth_token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn token() -> AuthToken {
        AuthToken::new("12345".into())
    }

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const URL_443: &str = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    const PARAMS: [(&str, &str); 5] = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ];
    const SIG: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    const SIG_443: &str = "kvajT1Ptam85bY51eRf/AJRuM3w=";
    const BODY: &[u8] = br#"{"property": "value", "boolean": true}"#;
    const BODY_HASH: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    #[test]
    fn reference_vector() {
        assert_eq!(compute_signature(URL, PARAMS, &token()), SIG);
        // order of the input does not matter
        let mut reversed = PARAMS;
        reversed.reverse();
        assert_eq!(compute_signature(URL, reversed, &token()), SIG);
    }

    #[test]
    fn reference_vector_with_port() {
        assert_eq!(compute_signature(URL_443, PARAMS, &token()), SIG_443);
    }

    #[test]
    fn validator_accepts_either_signature_for_either_url_form() {
        for url in [URL, URL_443] {
            for sig in [SIG, SIG_443] {
                assert!(
                    validate_signature(url, PARAMS, sig, &token()),
                    "{url} {sig}"
                );
            }
        }
        assert!(!validate_signature(
            URL,
            PARAMS,
            SIG,
            &AuthToken::new("54321".into())
        ));
        assert!(!validate_signature(URL, &PARAMS[..4], SIG, &token()));
        assert!(!validate_signature(
            "https://mycompany.com/other.php",
            PARAMS,
            SIG,
            &token()
        ));
        assert!(!validate_signature(URL, PARAMS, "", &token()));
        // the key may also be given as text
        assert!(validate_signature(URL, PARAMS, SIG, "12345"));
        assert_eq!(compute_signature(URL, PARAMS, &"12345".to_string()), SIG);
    }

    #[test]
    fn validator_checks_raw_form_bodies() {
        let validator = SignatureValidator::new(token());
        let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
        assert!(validator.validate_form(URL, body, SIG));
        assert!(validator.validate_form(URL_443, body, SIG));
        assert!(!validator.validate_form(URL, b"CallSid=CA1", SIG));
    }

    #[test]
    fn body_sha256_vector() {
        assert_eq!(body_sha256(BODY), BODY_HASH);
        let url = format!("https://mycompany.com/myapp.php?bodySHA256={BODY_HASH}");
        assert_eq!(
            url_with_body_sha256("https://mycompany.com/myapp.php", BODY),
            url
        );
        let no_params: [(&str, &str); 0] = [];
        assert_eq!(
            compute_signature(&url, no_params, &token()),
            "y77kIzt2vzLz71DgmJGsen2scGs="
        );
        assert!(validate_body_signature(
            &url,
            BODY,
            "y77kIzt2vzLz71DgmJGsen2scGs=",
            &token()
        ));
        // the body was changed: the hash no longer matches
        assert!(!validate_body_signature(
            &url,
            br#"{"property": "value", "boolean": false}"#,
            "y77kIzt2vzLz71DgmJGsen2scGs=",
            &token()
        ));
        // no bodySHA256 parameter at all
        assert!(!validate_body_signature(
            "https://mycompany.com/myapp.php",
            BODY,
            "y77kIzt2vzLz71DgmJGsen2scGs=",
            &token()
        ));
    }

    #[test]
    fn repeated_parameters_sort_their_values() {
        let a = [
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
        ];
        let b = [
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "ringing"),
        ];
        assert_eq!(
            compute_signature(URL, a, &token()),
            compute_signature(URL, b, &token())
        );
        assert_eq!(
            params_string(a),
            "StatusCallbackEventansweredStatusCallbackEventringing"
        );
    }

    #[test]
    fn url_variants_keep_everything_but_the_port() {
        assert_eq!(
            url_variants("https://a.example/x?y=1"),
            ["https://a.example/x?y=1", "https://a.example:443/x?y=1"]
        );
        assert_eq!(
            url_variants("http://u:p@a.example:8080/x"),
            ["http://u:p@a.example:8080/x", "http://u:p@a.example/x"]
        );
        assert_eq!(
            url_variants("http://[::1]:9000?q"),
            ["http://[::1]:9000?q", "http://[::1]?q"]
        );
        assert_eq!(
            url_variants("http://[::1]"),
            ["http://[::1]", "http://[::1]:80"]
        );
        assert_eq!(url_variants("not a url"), ["not a url"]);
    }

    #[test]
    fn accepts_many_pair_shapes() {
        let owned: Vec<(String, String)> = PARAMS
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        assert_eq!(compute_signature(URL, &owned, &token()), SIG);
        assert_eq!(compute_signature(URL, owned.as_slice(), &token()), SIG);
        assert_eq!(
            compute_signature(URL, owned.iter().map(|(k, v)| (k, v)), &token()),
            SIG
        );
    }

    fn params_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec(("[A-Za-z]{1,12}", "\\PC{0,20}"), 0..8)
    }

    proptest! {
        #[test]
        fn any_valid_params_sign_and_validate(
            path in "[a-z/]{0,20}",
            params in params_strategy(),
            secret in "\\PC{1,30}",
        ) {
            let token = AuthToken::new(secret);
            let url = format!("https://example.com/{path}");
            let signature = compute_signature(&url, &params, &token);
            prop_assert!(validate_signature(&url, &params, &signature, &token));
            let with_port = format!("https://example.com:443/{path}");
            prop_assert!(validate_signature(&with_port, &params, &signature, &token));
        }

        #[test]
        fn any_changed_byte_fails_validation(
            params in proptest::collection::vec(("[A-Za-z]{1,12}", "[ -@]{1,20}"), 1..6),
            which in any::<proptest::sample::Index>(),
            flip in 1u8..=0x7f,
        ) {
            let token = token();
            let url = "https://example.com/hook?x=1";
            let signature = compute_signature(url, &params, &token);
            // change one byte of one value (kept ASCII so it stays valid UTF-8)
            let mut changed = params.clone();
            let target = which.index(changed.len());
            let mut bytes = changed[target].1.clone().into_bytes();
            let at = which.index(bytes.len());
            bytes[at] ^= flip;
            // keep values free of letters so name/value boundaries cannot blend in the signed string
            prop_assume!(bytes[at] != 0 && bytes[at] < 0x80 && !bytes[at].is_ascii_alphabetic());
            changed[target].1 = String::from_utf8(bytes).unwrap();
            prop_assert!(!validate_signature(url, &changed, &signature, &token));
            // change one byte of the URL
            let mut url_bytes = url.as_bytes().to_vec();
            let at = which.index(url_bytes.len());
            url_bytes[at] ^= flip;
            if let Ok(changed_url) = String::from_utf8(url_bytes) {
                if !url_variants(&changed_url).iter().any(|v| v == url) {
                    prop_assert!(!validate_signature(&changed_url, &params, &signature, &token));
                }
            }
            // change one byte of the signature
            let mut sig_bytes = signature.clone().into_bytes();
            let at = which.index(sig_bytes.len());
            sig_bytes[at] ^= flip;
            if let Ok(changed_sig) = String::from_utf8(sig_bytes) {
                prop_assert!(!validate_signature(url, &params, &changed_sig, &token));
            }
        }
    }
}
