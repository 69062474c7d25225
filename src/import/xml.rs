//! A small element tree read with quick-xml's pull parser, each element remembering the
//! byte offset of its `<`, so the frab importer can say where a problem is.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::error::{Fault, Problem};
use super::position_at;

/// The schedule format's elements nest six deep; deeper ones are not kept, so a hostile
/// file cannot build (or make us drop) an unbounded tree.
const MAX_DEPTH: usize = 16;

const FORMAT: &str = "XML file";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// The element's own text (CDATA included, entities resolved), untrimmed.
    pub text: String,
    pub children: Vec<Element>,
    /// Byte offset of the element's `<` in the file.
    pub offset: usize,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The attribute's value, trimmed; `None` when absent or blank.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The text of the first child called `name`, trimmed; `None` when absent or blank.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Element::trimmed_text)
    }

    pub fn trimmed_text(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|text| !text.is_empty())
    }
}

/// Parses `text` into its root element.
pub fn parse(text: &str) -> Result<Element, Fault> {
    let mut reader = Reader::from_str(text);
    // Open elements, outermost first; the document's root is stack[0] once read.
    let mut stack: Vec<Element> = Vec::new();
    // Elements opened below MAX_DEPTH, not kept.
    let mut skipped = 0usize;
    let syntax = |offset: u64, message: String| {
        let offset = usize::try_from(offset).unwrap_or(text.len());
        Fault::new(
            position_at(text, offset),
            Problem::Syntax {
                format: FORMAT,
                message,
            },
        )
    };
    loop {
        // Text events are not trimmed, so the position before a start tag is its `<`.
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        let event = reader
            .read_event()
            .map_err(|error| syntax(reader.error_position(), error.to_string()))?;
        let keep = skipped == 0 && stack.len() < MAX_DEPTH;
        match event {
            Event::Start(start) if keep => stack.push(element(&start, offset, text)?),
            Event::Start(_) => skipped += 1,
            Event::Empty(start) if keep => {
                let element = element(&start, offset, text)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) if skipped > 0 => skipped -= 1,
            Event::End(_) => {
                // quick-xml checks that end tags match, so there is an open element here.
                if let Some(element) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => return Ok(element),
                    }
                }
            }
            Event::Text(content) if skipped == 0 => {
                push_text(&mut stack, &content.xml10_content());
            }
            Event::CData(content) if skipped == 0 => {
                push_text(&mut stack, &content.xml10_content());
            }
            Event::GeneralRef(reference) if skipped == 0 => {
                let resolved = resolve(&reference).ok_or_else(|| {
                    syntax(offset as u64, format!("unknown entity &{};", &*reference))
                })?;
                push_text(&mut stack, &resolved);
            }
            Event::Eof => {
                let message = match stack.last() {
                    Some(open) => format!("<{}> is not closed", open.name),
                    None => "there is no root element".to_owned(),
                };
                return Err(syntax(text.len() as u64, message));
            }
            _ => {}
        }
    }
}

fn element(start: &BytesStart, offset: usize, text: &str) -> Result<Element, Fault> {
    let fault = |message: String| {
        Fault::new(
            position_at(text, offset),
            Problem::Syntax {
                format: FORMAT,
                message,
            },
        )
    };
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| fault(error.to_string()))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| fault(error.to_string()))?;
        attributes.push((attribute.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(Element {
        name: start.name().as_ref().to_owned(),
        attributes,
        text: String::new(),
        children: Vec::new(),
        offset,
    })
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(open) = stack.last_mut() {
        open.text.push_str(text);
    }
}

/// The text of a character reference or one of XML's five predefined entities.
fn resolve(reference: &BytesRef) -> Option<String> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(reference).map(str::to_owned),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_attributes_text_and_the_offset_of_their_tag() {
        let text = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b>T&amp;C &#233;t&#xE9; <![CDATA[<raw>]]></b><c/>\n</a>";
        let root = parse(text).expect("well formed");
        assert_eq!(root.name, "a");
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        let b = root.child("b").expect("b");
        assert_eq!(b.text, "T&C été <raw>");
        assert_eq!(&text[b.offset..b.offset + 3], "<b>");
        assert_eq!(position_at(text, b.offset).to_string(), "3:3");
        assert!(root.child("c").is_some_and(|c| c.children.is_empty()));
        assert_eq!(root.child_text("c"), None);
    }

    #[test]
    fn malformed_documents_are_errors_at_their_position() {
        let fault = parse("<a>\n  <b></c>\n</a>").expect_err("mismatched");
        assert_eq!(fault.position.line, 2);
        assert!(matches!(fault.problem, Problem::Syntax { .. }));
        let fault = parse("<a>\n<b>").expect_err("unclosed");
        assert!(
            fault.problem.to_string().contains("<b> is not closed"),
            "{}",
            fault.problem
        );
        let fault = parse("<a>&nbsp;</a>").expect_err("unknown entity");
        assert!(
            fault.problem.to_string().contains("&nbsp;"),
            "{}",
            fault.problem
        );
        assert!(parse("").is_err());
        assert!(parse("just text").is_err());
    }

    #[test]
    fn deep_nesting_is_skipped_not_a_stack_overflow() {
        let depth = 200_000;
        let text = format!("<a>{}{}</a>", "<x>".repeat(depth), "</x>".repeat(depth));
        let root = parse(&text).expect("well formed");
        let mut levels = 0;
        let mut element = &root;
        while let Some(child) = element.children.first() {
            element = child;
            levels += 1;
        }
        assert_eq!(levels, MAX_DEPTH - 1);
    }
}
