//! The simulator's store of the resources that are plain records (applications, numbers, queues, LaML
//! bins, recordings, transcriptions): one map per account, kept in creation order. Calls live in
//! `store`, because the engine runs them.

use std::collections::HashMap;

use indexmap::IndexMap;
use parking_lot::Mutex;

/// One kind of resource of every account, each under its SID.
#[derive(Debug)]
pub(crate) struct Registry<T> {
    accounts: Mutex<HashMap<String, IndexMap<String, T>>>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            accounts: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Registry<T> {
    /// Keeps `resource` as the account's `sid`.
    pub(crate) fn insert(&self, account: &str, sid: &str, resource: T) {
        self.accounts
            .lock()
            .entry(account.to_owned())
            .or_default()
            .insert(sid.to_owned(), resource);
    }

    /// The account's resource `sid`.
    pub(crate) fn get(&self, account: &str, sid: &str) -> Option<T> {
        self.accounts.lock().get(account)?.get(sid).cloned()
    }

    /// Changes the account's resource `sid` with `change`, and returns it changed; `change` may
    /// refuse, and then nothing changes.
    pub(crate) fn update<E>(
        &self,
        account: &str,
        sid: &str,
        change: impl FnOnce(&mut T) -> Result<(), E>,
    ) -> Option<Result<T, E>> {
        let mut accounts = self.accounts.lock();
        let resource = accounts.get_mut(account)?.get_mut(sid)?;
        let mut changed = resource.clone();
        Some(change(&mut changed).map(|()| {
            *resource = changed.clone();
            changed
        }))
    }

    /// Removes the account's resource `sid`; `false` when there was none.
    pub(crate) fn remove(&self, account: &str, sid: &str) -> bool {
        self.accounts
            .lock()
            .get_mut(account)
            .and_then(|resources| resources.shift_remove(sid))
            .is_some()
    }

    /// The account's resources, newest first.
    pub(crate) fn list(&self, account: &str) -> Vec<T> {
        self.accounts
            .lock()
            .get(account)
            .map(|resources| resources.values().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// The account's first resource, in creation order, for which `wanted` is true.
    pub(crate) fn find_of(&self, account: &str, wanted: impl Fn(&T) -> bool) -> Option<T> {
        self.accounts
            .lock()
            .get(account)?
            .values()
            .find(|r| wanted(r))
            .cloned()
    }

    /// The first resource of any account for which `wanted` is true, with its account.
    pub(crate) fn find(&self, wanted: impl Fn(&T) -> bool) -> Option<(String, T)> {
        self.accounts
            .lock()
            .iter()
            .find_map(|(account, resources)| {
                resources
                    .values()
                    .find(|r| wanted(r))
                    .map(|r| (account.clone(), r.clone()))
            })
    }

    /// Whether any account holds a resource for which `held` is true.
    pub(crate) fn any(&self, held: impl Fn(&T) -> bool) -> bool {
        self.accounts
            .lock()
            .values()
            .any(|resources| resources.values().any(&held))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_per_account_and_listed_newest_first() {
        let registry = Registry::default();
        registry.insert("AC1", "AP1", 1);
        registry.insert("AC1", "AP2", 2);
        registry.insert("AC2", "AP3", 3);
        assert_eq!(registry.list("AC1"), [2, 1]);
        assert_eq!(registry.get("AC2", "AP1"), None);
        let refused: Option<Result<i32, &str>> = registry.update("AC1", "AP1", |_| Err("no"));
        assert_eq!(refused, Some(Err("no")));
        assert_eq!(
            registry.update("AC1", "AP1", |n| {
                *n += 10;
                Ok::<_, ()>(())
            }),
            Some(Ok(11))
        );
        assert_eq!(registry.get("AC1", "AP1"), Some(11));
        assert!(registry.any(|n| *n == 3));
        assert!(registry.remove("AC1", "AP1"));
        assert!(!registry.remove("AC1", "AP1"));
        assert_eq!(registry.list("AC1"), [2]);
    }
}
