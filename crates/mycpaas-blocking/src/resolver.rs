//! Name resolution: IP literals without a lookup, names by ureq's resolver.
//!
//! ureq resolves the host before every request, pooled connection or not, and its default
//! resolver runs each lookup on a thread of its own once a timeout is configured (so that a
//! hanging lookup can be abandoned). An IP literal (the simulator, `127.0.0.1`) needs no lookup,
//! so it is answered here. A name is looked up every time, so the system's resolver and its TTLs
//! decide when an address changes: no addresses are kept here.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use http::Uri;
use ureq::config::Config;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Resolves IP literals directly and names through ureq's resolver.
#[derive(Default)]
pub(crate) struct LiteralResolver {
    lookups: DefaultResolver,
}

impl fmt::Debug for LiteralResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiteralResolver").finish_non_exhaustive()
    }
}

impl LiteralResolver {
    fn addresses(&self, addresses: &[SocketAddr]) -> ResolvedSocketAddrs {
        let mut resolved = self.empty();
        for address in addresses {
            if resolved.try_push(*address).is_err() {
                break;
            }
        }
        resolved
    }
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return self.lookups.resolve(uri, config, timeout);
        };
        let port = authority.port_u16().or(match scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        });
        let Some(port) = port else {
            return self.lookups.resolve(uri, config, timeout);
        };
        // `[::1]` in a URI is `::1` as an address.
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(self.addresses(&[SocketAddr::new(ip, port)]));
        }

        self.lookups.resolve(uri, config, timeout)
    }
}
