//! Elements and attributes this crate does not model, kept by lenient parsing so that a
//! document from a newer provider is written back unchanged.

/// An attribute kept as raw text. Its name must be an XML name, and differ from the other
/// attributes of its element: the writer refuses (or leaves out) one that is not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownAttribute {
    /// The attribute name, with its prefix if any (`xml:lang`).
    pub name: String,
    /// The value, unescaped.
    pub value: String,
}

impl UnknownAttribute {
    /// An attribute with this name and (unescaped) value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        UnknownAttribute {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// An element kept as a generic tree. Only lenient parsing produces it. Its name must be an
/// XML name: the writer refuses (or leaves out, with its content) one that is not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownElement {
    /// The element name as written.
    pub name: String,
    /// Its attributes, sorted by name (the order they are written in).
    pub attributes: Vec<UnknownAttribute>,
    /// Its children: text and elements, in document order.
    pub children: Vec<UnknownNode>,
}

impl UnknownElement {
    /// An empty element with this name.
    pub fn new(name: impl Into<String>) -> Self {
        UnknownElement {
            name: name.into(),
            ..UnknownElement::default()
        }
    }

    /// Adds an attribute (kept sorted by name).
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push(UnknownAttribute::new(name, value));
        self.attributes.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }

    /// Adds a child node.
    pub fn child(mut self, node: impl Into<UnknownNode>) -> Self {
        self.children.push(node.into());
        self
    }
}

/// A child of an [`UnknownElement`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownNode {
    /// Character data, unescaped.
    Text(String),
    /// A nested element.
    Element(UnknownElement),
}

impl From<UnknownElement> for UnknownNode {
    fn from(element: UnknownElement) -> Self {
        UnknownNode::Element(element)
    }
}

crate::macros::from_text!(UnknownNode => UnknownNode::Text);
