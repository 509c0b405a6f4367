//! Name resolution without a thread per request.
//!
//! ureq resolves the host before every request, pooled connection or not, and its default
//! resolver spawns a thread for each lookup once a timeout is configured (so that a hanging
//! lookup can be abandoned). That thread costs about a millisecond per call. This resolver keeps
//! the timeout where it matters and drops the cost where it does not: IP literals (the
//! simulator, `127.0.0.1`) need no lookup at all, and a name's addresses are reused for a short
//! while before it is looked up again.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use http::Uri;
use ureq::config::Config;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are reused.
const REUSE_FOR: Duration = Duration::from_secs(30);

/// Resolves IP literals directly and reuses recent lookups of names.
#[derive(Default)]
pub(crate) struct ReusingResolver {
    lookups: DefaultResolver,
    recent: Mutex<HashMap<String, (Instant, Vec<SocketAddr>)>>,
}

impl fmt::Debug for ReusingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReusingResolver").finish_non_exhaustive()
    }
}

impl ReusingResolver {
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

impl Resolver for ReusingResolver {
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

        let key = format!("{host}:{port}");
        let now = Instant::now();
        {
            let recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((at, addresses)) = recent.get(&key) {
                if now.duration_since(*at) < REUSE_FOR {
                    return Ok(self.addresses(addresses));
                }
            }
        }
        let resolved = self.lookups.resolve(uri, config, timeout)?;
        self.recent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, (now, resolved.iter().copied().collect()));
        Ok(resolved)
    }
}
