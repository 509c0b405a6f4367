//! The URL the platform signed, rebuilt from the request a web app received.
//!
//! Behind a reverse proxy, a tunnel or a load balancer the app sees another scheme, host or port
//! than the one the platform requested, and a signature checked over the URL the app sees fails.
//! [`SignedUrl`] rebuilds the platform's URL from what the app is told to believe: a public base
//! URL it is configured with, or the forwarding headers of the proxies it declares trusted; never
//! from headers anyone else could send.

use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};

/// What a web server knows of a request it received: the scheme it was served on, its headers,
/// the path with the query, and the address of the peer that sent it.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// `http` or `https`, as this server received the request.
    pub scheme: &'a str,
    /// The `Host` header (or the HTTP/2 authority).
    pub host: &'a str,
    /// The path and the query string, as received (`/voice?step=2`).
    pub path_and_query: &'a str,
    /// The address of the peer (the proxy, when there is one).
    pub peer: Option<IpAddr>,
    /// `Forwarded` (RFC 7239), if sent.
    pub forwarded: Option<&'a str>,
    /// `X-Forwarded-Proto`, if sent.
    pub forwarded_proto: Option<&'a str>,
    /// `X-Forwarded-Host`, if sent.
    pub forwarded_host: Option<&'a str>,
    /// `X-Forwarded-Port`, if sent.
    pub forwarded_port: Option<&'a str>,
}

impl<'a> Received<'a> {
    /// A request with no forwarding headers.
    pub fn new(scheme: &'a str, host: &'a str, path_and_query: &'a str) -> Self {
        Received {
            scheme,
            host,
            path_and_query,
            peer: None,
            forwarded: None,
            forwarded_proto: None,
            forwarded_host: None,
            forwarded_port: None,
        }
    }

    /// Takes `Forwarded` and the `X-Forwarded-*` headers out of `headers` (names in any case).
    #[must_use]
    pub fn with_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        for (name, value) in headers {
            let slot = match name.to_ascii_lowercase().as_str() {
                "forwarded" => &mut self.forwarded,
                "x-forwarded-proto" => &mut self.forwarded_proto,
                "x-forwarded-host" => &mut self.forwarded_host,
                "x-forwarded-port" => &mut self.forwarded_port,
                _ => continue,
            };
            *slot = Some(value);
        }
        self
    }

    /// With the peer's address.
    #[must_use]
    pub fn from_peer(mut self, peer: IpAddr) -> Self {
        self.peer = Some(peer);
        self
    }
}

/// How a web app rebuilds the URL the platform signed; see the module.
///
/// ```
/// use mycpaas_core::webhook::{Received, SignedUrl};
///
/// // Served directly: the URL is the one the request names.
/// let direct = SignedUrl::direct();
/// let seen = Received::new("http", "127.0.0.1:8080", "/voice?step=2");
/// assert_eq!(direct.rebuild(&seen)?, "http://127.0.0.1:8080/voice?step=2");
///
/// // Behind a proxy on 10.0.0.2 that terminates TLS for voice.example.com.
/// let behind = SignedUrl::behind_proxies(["10.0.0.0/8"])?;
/// let seen = Received::new("http", "app:8080", "/voice")
///     .with_headers([("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "voice.example.com")])
///     .from_peer("10.0.0.2".parse().unwrap());
/// assert_eq!(behind.rebuild(&seen)?, "https://voice.example.com/voice");
/// // The same headers from anyone else are ignored.
/// let forged = seen.from_peer("203.0.113.9".parse().unwrap());
/// assert_eq!(behind.rebuild(&forged)?, "http://app:8080/voice");
///
/// // Or say the public address outright.
/// let public = SignedUrl::public("https://voice.example.com/app")?;
/// assert_eq!(public.rebuild(&Received::new("http", "app:8080", "/voice"))?, "https://voice.example.com/app/voice");
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SignedUrl {
    public_base: Option<Url>,
    trusted: Vec<Network>,
}

/// An address or a CIDR network of trusted proxies.
#[derive(Debug, Clone, Copy)]
struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    fn parse(text: &str) -> Result<Network> {
        let refused = || {
            Error::invalid(
                "trusted_proxies",
                format!("{text:?} is not an IP address or a network like 10.0.0.0/8"),
            )
        };
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address.parse().map_err(|_| refused())?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(refused)?,
            None => bits,
        };
        Ok(Network { address, prefix })
    }

    fn contains(&self, peer: IpAddr) -> bool {
        let peer = canonical(peer);
        match (canonical(self.address), peer) {
            (IpAddr::V4(net), IpAddr::V4(peer)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(peer) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(peer)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(peer) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address seen as IPv6 (`::ffff:10.0.0.2`, as dual-stack servers report) is the IPv4 one.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

impl SignedUrl {
    /// The URL as the request names it: for an app the platform reaches directly.
    pub fn direct() -> Self {
        SignedUrl::default()
    }

    /// The app's public base URL (`https://voice.example.com`, or with a path prefix a proxy
    /// strips: `https://example.com/voice`): the signed URL is that base followed by the path and
    /// query the app received, whatever the headers say.
    pub fn public(base: &str) -> Result<Self> {
        let url = Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .ok_or_else(|| {
                Error::invalid(
                    "public_url",
                    "must be an absolute http(s) URL without a query, e.g. https://voice.example.com",
                )
            })?;
        Ok(SignedUrl {
            public_base: Some(url),
            trusted: Vec::new(),
        })
    }

    /// Believes `Forwarded` and `X-Forwarded-Proto`/`-Host`/`-Port` from peers in `proxies`
    /// (addresses or CIDR networks); from any other peer they are ignored. When a header lists
    /// several values (a chain of proxies), the last one, written by the proxy nearest the app,
    /// is taken.
    pub fn behind_proxies<I, S>(proxies: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let trusted = proxies
            .into_iter()
            .map(|p| Network::parse(p.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(SignedUrl {
            public_base: None,
            trusted,
        })
    }

    /// The URL the platform signed for `request`. An error names what could not make a URL (a
    /// missing or malformed host).
    pub fn rebuild(&self, request: &Received<'_>) -> Result<String> {
        let path = if request.path_and_query.starts_with('/') {
            request.path_and_query
        } else {
            return Err(Error::invalid("path", "must start with /"));
        };
        if let Some(base) = &self.public_base {
            let prefix = base.as_str().trim_end_matches('/');
            return Ok(format!("{prefix}{path}"));
        }
        let trusted = request
            .peer
            .is_some_and(|peer| self.trusted.iter().any(|n| n.contains(peer)));
        let (mut scheme, mut host) = (request.scheme.to_owned(), request.host.to_owned());
        let mut port = None;
        if trusted {
            let forwarded = request.forwarded.and_then(last).map(forwarded_pairs);
            let from_forwarded = |key: &str| {
                forwarded
                    .as_ref()
                    .and_then(|pairs| pairs.iter().find(|(k, _)| k == key))
                    .map(|(_, v)| v.clone())
            };
            if let Some(proto) = from_forwarded("proto")
                .or_else(|| request.forwarded_proto.and_then(last).map(str::to_owned))
            {
                scheme = proto.to_ascii_lowercase();
            }
            if let Some(name) = from_forwarded("host")
                .or_else(|| request.forwarded_host.and_then(last).map(str::to_owned))
            {
                host = name;
            }
            port = request.forwarded_port.and_then(last).map(str::to_owned);
        }
        if !matches!(scheme.as_str(), "http" | "https") {
            return Err(Error::invalid(
                "scheme",
                format!("must be http or https (got {scheme:?})"),
            ));
        }
        let mut url = Url::parse(&format!("{scheme}://{host}/"))
            .ok()
            .filter(|u| u.host().is_some() && u.username().is_empty() && u.path() == "/")
            .ok_or_else(|| {
                Error::invalid(
                    "host",
                    format!("{host:?} is not a host name with an optional port"),
                )
            })?;
        if let Some(port) = port {
            let port = port.parse::<u16>().map_err(|_| {
                Error::invalid("X-Forwarded-Port", format!("{port:?} is not a port"))
            })?;
            let _ = url.set_port(Some(port));
        }
        let origin = url.as_str().trim_end_matches('/');
        Ok(format!("{origin}{path}"))
    }
}

/// The last of a header's comma-separated values, trimmed.
fn last(value: &str) -> Option<&str> {
    value
        .rsplit(',')
        .next()
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The `key=value` pairs of one `Forwarded` element (keys lowercased, quotes removed).
fn forwarded_pairs(element: &str) -> Vec<(String, String)> {
    element
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| {
            let value = value.trim().trim_matches('"');
            (key.trim().to_ascii_lowercase(), value.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forwarding headers, as a server received them.
    type Headers = &'static [(&'static str, &'static str)];

    const PROXY: &str = "10.0.0.2";
    const STRANGER: &str = "203.0.113.9";

    fn seen(headers: Headers, peer: &str) -> Received<'static> {
        Received::new("http", "app:8080", "/voice?step=2")
            .with_headers(headers.iter().copied())
            .from_peer(peer.parse().unwrap())
    }

    #[test]
    fn each_way_of_being_told_the_url() {
        let behind = SignedUrl::behind_proxies(["10.0.0.0/8", "::1"]).unwrap();
        let cases: &[(Headers, &str, &str)] = &[
            (&[], PROXY, "http://app:8080/voice?step=2"),
            (
                &[
                    ("x-forwarded-proto", "https"),
                    ("x-forwarded-host", "voice.example.com"),
                ],
                PROXY,
                "https://voice.example.com/voice?step=2",
            ),
            (
                &[
                    ("X-Forwarded-Proto", "https"),
                    ("X-Forwarded-Host", "voice.example.com"),
                ],
                STRANGER,
                "http://app:8080/voice?step=2",
            ),
            (
                &[(
                    "Forwarded",
                    "for=1.2.3.4;proto=https;host=\"voice.example.com\"",
                )],
                PROXY,
                "https://voice.example.com/voice?step=2",
            ),
            (
                &[("Forwarded", "host=a.example, proto=https;host=b.example")],
                PROXY,
                "https://b.example/voice?step=2",
            ),
            (
                &[
                    ("X-Forwarded-Proto", "http, https"),
                    ("X-Forwarded-Host", "x.example, voice.example.com"),
                ],
                PROXY,
                "https://voice.example.com/voice?step=2",
            ),
            (
                &[
                    ("X-Forwarded-Proto", "https"),
                    ("X-Forwarded-Host", "voice.example.com"),
                    ("X-Forwarded-Port", "8443"),
                ],
                PROXY,
                "https://voice.example.com:8443/voice?step=2",
            ),
            (
                &[
                    ("X-Forwarded-Proto", "https"),
                    ("X-Forwarded-Host", "voice.example.com:443"),
                ],
                PROXY,
                "https://voice.example.com/voice?step=2",
            ),
            (
                &[("X-Forwarded-Proto", "https")],
                "::ffff:10.1.2.3",
                "https://app:8080/voice?step=2",
            ),
            (
                &[("X-Forwarded-Proto", "https")],
                "::1",
                "https://app:8080/voice?step=2",
            ),
        ];
        for (headers, peer, expected) in cases {
            assert_eq!(
                behind.rebuild(&seen(headers, peer)).unwrap(),
                *expected,
                "{headers:?} from {peer}"
            );
        }
    }

    #[test]
    fn a_public_base_wins_over_any_header() {
        let public = SignedUrl::public("https://voice.example.com/app/").unwrap();
        let request = seen(&[("X-Forwarded-Host", "evil.example")], PROXY);
        assert_eq!(
            public.rebuild(&request).unwrap(),
            "https://voice.example.com/app/voice?step=2"
        );
    }

    #[test]
    fn bad_settings_and_hosts_are_named() {
        for bad in ["10.0.0.0/33", "proxy.local", ""] {
            let error = SignedUrl::behind_proxies([bad]).unwrap_err();
            assert_eq!(error.parameter(), Some("trusted_proxies"), "{bad}");
        }
        for bad in ["ftp://x", "/relative", "https://x/?q=1"] {
            assert_eq!(
                SignedUrl::public(bad).unwrap_err().parameter(),
                Some("public_url"),
                "{bad}"
            );
        }
        let behind = SignedUrl::behind_proxies([PROXY]).unwrap();
        let cases: &[(Headers, &str)] = &[
            (&[("X-Forwarded-Host", "user@evil.example")], "host"),
            (&[("X-Forwarded-Host", "a b")], "host"),
            (&[("X-Forwarded-Host", "a/b")], "host"),
            (&[("X-Forwarded-Proto", "gopher")], "scheme"),
            (&[("X-Forwarded-Port", "99999")], "X-Forwarded-Port"),
        ];
        for (headers, parameter) in cases {
            let error = behind.rebuild(&seen(headers, PROXY)).unwrap_err();
            assert_eq!(error.parameter(), Some(*parameter), "{headers:?}");
        }
    }
}
