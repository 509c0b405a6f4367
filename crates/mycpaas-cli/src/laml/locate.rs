//! Finds where in the source an element named by a validation path starts.
//!
//! `mycpaas-laml` reports validation findings with an element path such as
//! `Response/Gather[2]/Say`; editors and terminals want `file:line:col`. This walks the (already
//! successfully parsed) source once, names every element with the same rule the validator uses
//! (a `[n]` index, from 1, only among several same-named siblings), and remembers where each
//! one starts.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// The start positions of every element of one document, by validation path.
#[derive(Debug)]
pub struct Locator {
    positions: HashMap<String, Position>,
}

/// One element while the tree is being read: its name, where it starts, its children.
struct Element {
    name: String,
    position: Position,
    children: Vec<usize>,
}

impl Locator {
    /// Indexes `source`. Malformed XML simply yields fewer known paths.
    pub fn new(source: &str) -> Self {
        let mut elements: Vec<Element> = Vec::new();
        let mut roots: Vec<usize> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut reader = Reader::from_str(source);
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let (tag, empty) = match reader.read_event() {
                Ok(Event::Start(tag)) => (tag, false),
                Ok(Event::Empty(tag)) => (tag, true),
                Ok(Event::End(_)) => {
                    open.pop();
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            let index = elements.len();
            elements.push(Element {
                name: tag.name().into_inner().to_owned(),
                position: position_of(source, start),
                children: Vec::new(),
            });
            match open.last() {
                Some(&parent) => elements[parent].children.push(index),
                None => roots.push(index),
            }
            if !empty {
                open.push(index);
            }
        }
        let mut positions = HashMap::new();
        let mut pending: Vec<(String, usize)> = sibling_paths("", &elements, &roots);
        while let Some((path, index)) = pending.pop() {
            pending.extend(sibling_paths(&path, &elements, &elements[index].children));
            positions.insert(path, elements[index].position);
        }
        Locator { positions }
    }

    /// Where the element at `path` starts; for a path it does not know, its nearest known
    /// ancestor, else the start of the document.
    pub fn find(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return *position;
            }
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent,
                None => return Position { line: 1, column: 1 },
            }
        }
    }
}

/// The paths of `siblings` under `parent`, as the validator writes them.
fn sibling_paths(parent: &str, elements: &[Element], siblings: &[usize]) -> Vec<(String, usize)> {
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for &index in siblings {
        *totals.entry(elements[index].name.as_str()).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    siblings
        .iter()
        .map(|&index| {
            let name = elements[index].name.as_str();
            let nth = seen.entry(name).or_default();
            *nth += 1;
            let prefix = if parent.is_empty() {
                String::new()
            } else {
                format!("{parent}/")
            };
            let path = if totals[name] > 1 {
                format!("{prefix}{name}[{nth}]")
            } else {
                format!("{prefix}{name}")
            };
            (path, index)
        })
        .collect()
}

/// The line and column of a byte offset.
pub fn position_of(source: &str, offset: usize) -> Position {
    let before = source.get(..offset.min(source.len())).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "<?xml version=\"1.0\"?>\n<Response>\n  <Say>Hi</Say>\n  <Gather><Say>a</Say></Gather>\n  <Gather>\n    <Say>b <break time=\"1s\"/></Say>\n  </Gather>\n</Response>\n";

    #[test]
    fn finds_elements_by_validator_path() {
        let locator = Locator::new(DOC);
        assert_eq!(locator.find("Response"), Position { line: 2, column: 1 });
        assert_eq!(
            locator.find("Response/Say"),
            Position { line: 3, column: 3 }
        );
        assert_eq!(
            locator.find("Response/Gather[1]/Say"),
            Position {
                line: 4,
                column: 11
            }
        );
        assert_eq!(
            locator.find("Response/Gather[2]/Say/break"),
            Position {
                line: 6,
                column: 12
            }
        );
    }

    #[test]
    fn unknown_paths_fall_back_to_an_ancestor() {
        let locator = Locator::new(DOC);
        assert_eq!(
            locator.find("Response/Gather[2]/Play"),
            Position { line: 5, column: 3 }
        );
        assert_eq!(locator.find("Elsewhere"), Position { line: 1, column: 1 });
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(position_of("ä\nüü<x/>", 7), Position { line: 2, column: 3 });
    }
}
