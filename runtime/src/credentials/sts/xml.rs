//! Reading STS's XML answers (awsQuery protocol) with `quick-xml`.
//!
//! Only the leaf elements a caller names are kept, so memory stays within
//! the body's size whatever the document looks like; nesting deeper than
//! [`MAX_DEPTH`] is refused. Anything that is not well-formed XML is an
//! error saying where, never a panic.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest element nesting read; STS answers are four levels deep.
pub(crate) const MAX_DEPTH: usize = 32;

/// The text of the elements at each of `paths` (local names from the
/// root, namespaces ignored), trimmed; `None` where an element is absent.
/// When an element appears more than once, the last one counts.
pub(crate) fn extract(body: &[u8], paths: &[&[&str]]) -> Result<Vec<Option<String>>, String> {
    let mut reader = Reader::from_reader(body);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut found: Vec<Option<String>> = vec![None; paths.len()];
    // Which path the innermost open element is, while it is one we keep.
    let mut current: Option<usize> = None;
    let mut text = String::new();
    let mut seen_root = false;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {position}: {e}"))?;
        match event {
            Event::Start(start) => {
                if stack.is_empty() && seen_root {
                    return Err(format!(
                        "malformed XML at byte {position}: a second root element"
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "XML nested deeper than {MAX_DEPTH} elements at byte {position}"
                    ));
                }
                seen_root = true;
                stack.push(start.local_name().as_ref().to_vec());
                current = paths.iter().position(|p| same_path(p, &stack));
                text.clear();
            }
            Event::Empty(_) if stack.is_empty() && seen_root => {
                return Err(format!(
                    "malformed XML at byte {position}: a second root element"
                ));
            }
            Event::Empty(_) if stack.is_empty() => seen_root = true,
            Event::End(_) => {
                if let Some(index) = current.take() {
                    found[index] = Some(text.trim().to_owned());
                }
                text.clear();
                stack.pop();
            }
            Event::Text(t) if current.is_some() => {
                let decoded = t
                    .xml10_content()
                    .map_err(|e| format!("malformed XML text at byte {position}: {e}"))?;
                text.push_str(&decoded);
            }
            Event::CData(t) if current.is_some() => {
                let decoded = t
                    .decode()
                    .map_err(|e| format!("malformed XML CDATA at byte {position}: {e}"))?;
                text.push_str(&decoded);
            }
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| format!("malformed XML reference at byte {position}: {e}"))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        // The name is not repeated: it may sit inside a secret.
                        let name = r.decode().map_err(|e| {
                            format!("malformed XML reference at byte {position}: {e}")
                        })?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("unknown XML entity at byte {position}"))?
                            .to_owned()
                    }
                };
                if current.is_some() {
                    text.push_str(&resolved);
                }
            }
            // Only whitespace may stand outside the root element.
            Event::Text(t) if stack.is_empty() && t.iter().any(|b| !b.is_ascii_whitespace()) => {
                return Err(format!(
                    "malformed XML at byte {position}: text outside the root element"
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("malformed XML: the document ends inside an element".to_owned());
    }
    if !seen_root {
        return Err("not XML: no root element".to_owned());
    }
    Ok(found)
}

fn same_path(path: &[&str], stack: &[Vec<u8>]) -> bool {
    path.len() == stack.len()
        && path
            .iter()
            .zip(stack)
            .all(|(a, b)| a.as_bytes() == b.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: &[&[&str]] = &[&["R", "A"], &["R", "B", "C"]];

    #[test]
    fn leaves_by_path_with_namespaces_entities_and_cdata() {
        let doc = br#"<?xml version="1.0"?>
            <x:R xmlns:x="urn:x"><x:A> a &amp; &#x41;&lt; </x:A><B><C><![CDATA[<c>]]></C><D>skip</D></B></x:R>"#;
        assert_eq!(
            extract(doc, PATHS).unwrap(),
            [Some("a & A<".to_owned()), Some("<c>".to_owned())]
        );
        assert_eq!(extract(b"<R><B/></R>", PATHS).unwrap(), [None, None]);
    }

    #[test]
    fn malformed_documents_are_errors() {
        for (doc, want) in [
            (&b""[..], "no root element"),
            (b"not xml", "text outside the root element"),
            (b"<R><A>x</B></R>", "malformed XML at byte"),
            (b"<R><A>x</A>", "ends inside an element"),
            (b"<R>&bogus;</R>", "unknown XML entity at byte"),
            (b"<R/><R/>", "second root"),
            (b"<R></R><R></R>", "second root"),
        ] {
            let err = extract(doc, PATHS).unwrap_err();
            assert!(
                err.contains(want),
                "{:?}: {err}",
                String::from_utf8_lossy(doc)
            );
        }
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let err = extract(deep.as_bytes(), PATHS).unwrap_err();
        assert!(err.contains("nested deeper than 32"), "{err}");
    }
}
