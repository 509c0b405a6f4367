//! Which proxy a client uses, read once from the environment the same way by both clients.
//!
//! A client only ever talks to its base URL's host (redirects are not followed and a next page
//! must stay on that host), so the decision is made once, when the client is built:
//!
//! - a loopback base URL (the local simulator) is always reached directly;
//! - `NO_PROXY` (or `no_proxy`): a comma-separated list; `*` matches every host; an entry
//!   `example.com`, `.example.com` or `*.example.com` matches that domain and every host below
//!   it; an IP address (IPv6 with or without brackets) matches that address; an entry may end
//!   in `:port`, and then matches that port only;
//! - otherwise `HTTPS_PROXY` / `https_proxy` for an `https` base URL, `HTTP_PROXY` /
//!   `http_proxy` for `http`, then `ALL_PROXY` / `all_proxy`; empty values count as unset.
//!
//! ```
//! use mycpaas_core::proxy::ProxyEnv;
//!
//! let env = ProxyEnv::from_pairs([
//!     ("HTTPS_PROXY", "http://proxy.corp:3128"),
//!     ("NO_PROXY", "localhost,.internal.corp,[::1]"),
//! ]);
//! let api = url::Url::parse("https://developer.mycpaas.io").unwrap();
//! assert_eq!(env.proxy_for(&api), Some("http://proxy.corp:3128"));
//! let internal = url::Url::parse("https://voice.internal.corp").unwrap();
//! assert_eq!(env.proxy_for(&internal), None);
//! ```

use std::net::IpAddr;

use crate::config::is_loopback_host;

/// The proxy variables of an environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    https: Option<String>,
    http: Option<String>,
    all: Option<String>,
    no_proxy: Option<String>,
}

impl ProxyEnv {
    /// The variables of this process's environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The variables given as `(name, value)` pairs (for tests and embedding).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        Self::from_lookup(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |upper: &str, lower: &str| {
            lookup(upper)
                .or_else(|| lookup(lower))
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        ProxyEnv {
            https: read("HTTPS_PROXY", "https_proxy"),
            http: read("HTTP_PROXY", "http_proxy"),
            all: read("ALL_PROXY", "all_proxy"),
            no_proxy: read("NO_PROXY", "no_proxy"),
        }
    }

    /// The proxy to reach `url` through, or `None` to connect directly.
    pub fn proxy_for(&self, url: &url::Url) -> Option<&str> {
        let host = url.host()?;
        if is_loopback_host(&host) || self.bypasses(&host, url.port_or_known_default()) {
            return None;
        }
        let specific = match url.scheme() {
            "https" => self.https.as_deref(),
            "http" => self.http.as_deref(),
            _ => None,
        };
        specific.or(self.all.as_deref())
    }

    /// Whether `NO_PROXY` names `host` (and `port`).
    fn bypasses(&self, host: &url::Host<&str>, port: Option<u16>) -> bool {
        let Some(list) = &self.no_proxy else {
            return false;
        };
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .any(|entry| matches(entry, host, port))
    }
}

/// Whether one `NO_PROXY` entry matches `host:port`.
fn matches(entry: &str, host: &url::Host<&str>, port: Option<u16>) -> bool {
    if entry == "*" {
        return true;
    }
    let (name, entry_port) = split_port(entry);
    if entry_port.is_some() && entry_port != port {
        return false;
    }
    let name = name.trim_start_matches("*.").trim_start_matches('.');
    let name = name.trim_start_matches('[').trim_end_matches(']');
    match host {
        url::Host::Domain(domain) => {
            let domain = domain.to_ascii_lowercase();
            let name = name.to_ascii_lowercase();
            domain == name || domain.ends_with(&format!(".{name}"))
        }
        url::Host::Ipv4(ip) => name.parse::<IpAddr>() == Ok(IpAddr::V4(*ip)),
        url::Host::Ipv6(ip) => name.parse::<IpAddr>() == Ok(IpAddr::V6(*ip)),
    }
}

/// `host:port` into its parts; a bare IPv6 address (two colons or more) has no port.
fn split_port(entry: &str) -> (&str, Option<u16>) {
    if let Some(rest) = entry.strip_prefix('[') {
        if let Some((address, after)) = rest.split_once(']') {
            let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
            return (address, port);
        }
    }
    if entry.matches(':').count() == 1 {
        if let Some((name, port)) = entry.rsplit_once(':') {
            if let Ok(port) = port.parse() {
                return (name, Some(port));
            }
        }
    }
    (entry, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_decides_as_documented() {
        let proxy = "http://proxy:3128";
        // (NO_PROXY, base URL, proxied)
        let cases: &[(&str, &str, bool)] = &[
            ("", "https://api.example.com", true),
            ("*", "https://api.example.com", false),
            ("example.com", "https://api.example.com", false),
            ("example.com", "https://example.com", false),
            ("example.com", "https://badexample.com", true),
            (".example.com", "https://api.example.com", false),
            ("*.example.com", "https://api.example.com", false),
            ("EXAMPLE.com", "https://Api.Example.COM", false),
            ("other.org, example.com", "https://api.example.com", false),
            ("example.com:443", "https://api.example.com", false),
            ("example.com:8443", "https://api.example.com", true),
            ("10.1.2.3", "https://10.1.2.3", false),
            ("10.1.2.4", "https://10.1.2.3", true),
            ("2001:db8::1", "https://[2001:db8::1]", false),
            ("[2001:db8::1]", "https://[2001:db8::1]", false),
            ("[2001:db8::1]:443", "https://[2001:db8::1]", false),
            ("[2001:db8::1]:80", "https://[2001:db8::1]", true),
            ("2001:db8::2", "https://[2001:db8::1]", true),
            // Loopback is always direct.
            ("", "http://127.0.0.1:8080", false),
            ("", "http://[::1]:8080", false),
            ("", "http://localhost:8080", false),
        ];
        for (no_proxy, base, proxied) in cases {
            let env = ProxyEnv::from_pairs([
                ("HTTPS_PROXY", proxy),
                ("HTTP_PROXY", proxy),
                ("NO_PROXY", *no_proxy),
            ]);
            let url = url::Url::parse(base).unwrap();
            assert_eq!(
                env.proxy_for(&url).is_some(),
                *proxied,
                "NO_PROXY={no_proxy:?} {base}"
            );
        }
    }

    #[test]
    fn the_scheme_picks_the_variable_and_all_proxy_is_the_fallback() {
        let https = url::Url::parse("https://api.example.com").unwrap();
        let env = ProxyEnv::from_pairs([("http_proxy", "http://h:1"), ("ALL_PROXY", "http://a:2")]);
        assert_eq!(env.proxy_for(&https), Some("http://a:2"));
        let env =
            ProxyEnv::from_pairs([("https_proxy", "http://s:3"), ("ALL_PROXY", "http://a:2")]);
        assert_eq!(env.proxy_for(&https), Some("http://s:3"));
        let env = ProxyEnv::from_pairs([("HTTPS_PROXY", "  ")]);
        assert_eq!(env.proxy_for(&https), None);
    }
}
