//! Decoding IDL string literals: line-ending normalisation, text-block
//! re-indentation (the spec's incidental whitespace removal), escapes.
//!
//! The lexer has already checked that every escape is well formed; what can
//! still fail here is a `\u` escape naming half a surrogate pair.

/// The value of a quoted string's content (between the quotes).
pub fn quoted(raw: &str) -> Result<String, String> {
    unescape(&normalize_newlines(raw))
}

/// The value of a text block's content (after the opening `"""` and any
/// spaces, starting with the line break; before the closing `"""`).
///
/// Incidental whitespace is removed before escapes are expanded, as the spec
/// orders: the common prefix of leading spaces over the lines that are not
/// blank, plus the last line (the closing delimiter's) even when blank, is
/// removed from every line, then trailing spaces are removed from each line.
pub fn text_block(raw: &str) -> Result<String, String> {
    let text = normalize_newlines(raw);
    // The first line is what followed the opening delimiter: nothing.
    let lines: Vec<&str> = text.split('\n').skip(1).collect();
    let last = lines.len().saturating_sub(1);
    let leading = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let prefix = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i == last || !line.trim_start_matches(' ').is_empty())
        .map(|(_, line)| leading(line))
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Every line has at least `prefix` leading spaces unless it is
        // blank, and a blank line is emptied by the trailing trim anyway.
        let cut = prefix.min(leading(line));
        out.push_str(line[cut..].trim_end_matches(' '));
    }
    unescape(&out)
}

/// CR LF and lone CR become LF, so a model means the same on every platform.
fn normalize_newlines(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('\r') {
        std::borrow::Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, String> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or("`\\u` must be followed by four hex digits")?;
        value = value * 16 + digit;
    }
    Ok(value)
}

fn unescape(text: &str) -> Result<String, String> {
    if !text.contains('\\') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            // An escaped line break joins the lines.
            Some('\n') => {}
            Some('u') => {
                let unit = hex4(&mut chars)?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        let rest = chars.as_str();
                        let low = rest
                            .strip_prefix("\\u")
                            .and_then(|r| r.get(..4))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .filter(|low| (0xDC00..=0xDFFF).contains(low))
                            .ok_or_else(|| {
                                format!("`\\u{unit:04X}` starts a surrogate pair that is not completed by a `\\uDC00`-`\\uDFFF` escape")
                            })?;
                        // Past the `\uXXXX` of the low half.
                        for _ in 0..6 {
                            chars.next();
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(format!(
                            "`\\u{unit:04X}` is the second half of a surrogate pair without a first half"
                        ))
                    }
                    other => other,
                };
                out.push(char::from_u32(code).ok_or("invalid unicode escape")?);
            }
            other => {
                return Err(format!(
                    "invalid escape `\\{}`",
                    other.map(String::from).unwrap_or_default()
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_escapes_and_newlines() {
        assert_eq!(
            quoted(r#"a\"b\\c\/d\n\t\u00e9\uD83D\uDE00"#).unwrap(),
            "a\"b\\c/d\n\té😀"
        );
        assert_eq!(quoted("x\r\ny\rz").unwrap(), "x\ny\nz");
        assert_eq!(quoted("one \\\ntwo").unwrap(), "one two");
        assert!(quoted(r"\uD83D").is_err());
        assert!(quoted(r"\uDE00").is_err());
    }

    // The spec's examples (incidental whitespace removal).
    #[test]
    fn text_blocks_follow_the_spec() {
        let spec = "\n    Foo\n        Baz\n\n  \n    Bar\n    ";
        assert_eq!(text_block(spec).unwrap(), "Foo\n    Baz\n\n\nBar\n");
        let html = "\n        <div>\n            <p>Hello!</p>\n        </div>\n        ";
        assert_eq!(
            text_block(html).unwrap(),
            "<div>\n    <p>Hello!</p>\n</div>\n"
        );
        let no_newline = "\n        <div>\n            <p>Hello!</p>\n        </div>";
        assert_eq!(
            text_block(no_newline).unwrap(),
            "<div>\n    <p>Hello!</p>\n</div>"
        );
        // The closing delimiter at the margin keeps the indentation.
        let margin = "\n    Foo\n        Baz\n    Bar\n";
        assert_eq!(
            text_block(margin).unwrap(),
            "    Foo\n        Baz\n    Bar\n"
        );
        // ... and right of the content it has no say.
        let right = "\n    Foo\n        Baz\n    Bar\n            ";
        assert_eq!(text_block(right).unwrap(), "Foo\n    Baz\nBar\n");
        // Escapes expand after the re-indentation.
        let escapes = "\n  <div>\n    <p>Hi\\n    bar</p>\n  </div>\n  ";
        assert_eq!(
            text_block(escapes).unwrap(),
            "<div>\n  <p>Hi\n    bar</p>\n</div>\n"
        );
        assert_eq!(
            text_block("\n    Foo \\\n    Baz \\\n    Bam").unwrap(),
            "Foo Baz Bam"
        );
        assert_eq!(
            text_block("\n    foo \\\"\"\"\n    baz").unwrap(),
            "foo \"\"\"\nbaz"
        );
        assert_eq!(
            text_block("\n    \"hello!\"\n    ").unwrap(),
            "\"hello!\"\n"
        );
    }
}
