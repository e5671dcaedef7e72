//! Model documentation (HTML, as AWS writes it) → Markdown for rustdoc.
//!
//! The output must not trip rustdoc's lints: text that Markdown or rustdoc
//! would read as syntax (`[x]` intra-doc links, `<x>` HTML tags, `*`, bare
//! URLs, leading `#`, indentation that makes a code block) is escaped, and
//! HTML whitespace is collapsed as a browser would. Unknown tags keep their
//! text and lose the markup.

/// Converts one documentation string.
pub fn html_to_markdown(html: &str) -> String {
    let mut w = Writer::default();
    let mut tokens = Tokenizer {
        text: html,
        at: 0,
        next_gt: None,
    };
    while let Some(token) = tokens.next() {
        match token {
            Token::Text(t) => w.text(&decode_entities(t)),
            Token::Open(tag, attrs) => w.open(&tag, attrs),
            Token::Close(tag) => w.close(&tag),
        }
    }
    w.finish()
}

/// Converts plain text (the endpoint rule set's documentation, test case
/// descriptions) to Markdown that renders as written: brackets and angle
/// brackets would otherwise be read as links or HTML by rustdoc, and bare
/// URLs warn under `-D warnings`; the former are escaped, URLs become
/// autolinks (`<https://…>`). Blank lines stay blank.
pub fn plain_text_to_markdown(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                line.split(' ')
                    .map(plain_word)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        })
        .collect();
    lines.join("\n")
}

fn plain_word(word: &str) -> String {
    let escape = |text: &str| {
        text.replace('[', "\\[")
            .replace(']', "\\]")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
        return escape(word);
    };
    let (prefix, rest) = word.split_at(start);
    let end = rest.find(['<', '>', '"', '\'']).unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    let suffix = &rest[url.len()..];
    // Already an autolink (`<https://…>`): keep one pair of brackets.
    let (prefix, suffix) = match (prefix.strip_suffix('<'), suffix.strip_prefix('>')) {
        (Some(prefix), Some(suffix)) => (prefix, suffix),
        _ => (prefix, suffix),
    };
    format!("{}<{url}>{}", escape(prefix), escape(suffix))
}

enum Token<'a> {
    Text(&'a str),
    Open(String, &'a str),
    Close(String),
}

struct Tokenizer<'a> {
    text: &'a str,
    /// Where the next token starts.
    at: usize,
    /// The first `>` at or after some position already passed (`None`:
    /// not looked for yet; the text's length: there is none), so that each
    /// byte is searched once: looking from every `<` again would make
    /// `<a<a<a…` quadratic.
    next_gt: Option<usize>,
}

impl<'a> Tokenizer<'a> {
    /// The first `>` at or after `from`, or `None`.
    fn find_gt(&mut self, from: usize) -> Option<usize> {
        let known = self.next_gt.filter(|&g| g >= from);
        let found = known.unwrap_or_else(|| {
            self.text
                .get(from..)
                .and_then(|rest| rest.find('>'))
                .map_or(self.text.len(), |i| from + i)
        });
        self.next_gt = Some(found);
        (found < self.text.len()).then_some(found)
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = self.text.get(self.at..).unwrap_or_default();
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix('<') {
            // A tag is `<name ...>` or `</name>`; anything else (`a < b`) is text.
            let closing = after.starts_with('/');
            let body_start = usize::from(closing);
            let is_tag = after[body_start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
            let end = if is_tag {
                self.find_gt(self.at + 1).map(|gt| gt - (self.at + 1))
            } else {
                None
            };
            if let Some(end) = end {
                let inner = &after[body_start..end];
                self.at += end + 2;
                let inner = inner.trim_end_matches('/').trim();
                let (name, attrs) = match inner.find(|c: char| c.is_whitespace()) {
                    Some(i) => (&inner[..i], &inner[i..]),
                    None => (inner, ""),
                };
                let name = name.to_ascii_lowercase();
                return Some(if closing {
                    Token::Close(name)
                } else {
                    Token::Open(name, attrs)
                });
            }
            let text = &rest[..1];
            self.at += 1;
            return Some(Token::Text(text));
        }
        let end = rest.find('<').unwrap_or(rest.len());
        self.at += end;
        Some(Token::Text(&rest[..end]))
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // An entity is short: look for its `;` in the next 10 bytes only
        // (searching the whole rest from every `&` would be quadratic).
        let entity_end = rest.bytes().take(11).position(|b| b == b';');
        let decoded = entity_end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Writer {
    /// Finished blocks (paragraphs, list items), joined by blank lines.
    blocks: Vec<String>,
    /// The block being written.
    line: String,
    /// Open lists: `None` for `<ul>`, `Some(n)` for `<ol>` at item n.
    lists: Vec<Option<u32>>,
    /// Inside `<code>`: text is copied verbatim into backticks.
    code: Option<String>,
    /// Inside `<pre>`: text is kept with its line breaks.
    pre: Option<String>,
    /// Open `<a href>`: the target, and the text collected so far.
    link: Option<(String, String)>,
    /// Inline markers waiting for their first non-space text.
    pending_open: String,
}

impl Writer {
    fn out(&mut self) -> &mut String {
        match &mut self.link {
            Some((_, text)) => text,
            None => &mut self.line,
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
            return;
        }
        if let Some(code) = &mut self.code {
            code.push_str(text);
            return;
        }
        let mut escaped = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() {
                escaped.push(' ');
                continue;
            }
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '&' => escaped.push_str("&amp;"),
                _ => escaped.push(c),
            }
        }
        // Inside a link the URL is already the link's target.
        let escaped = if self.link.is_some() {
            escaped
        } else {
            guard_urls(&escaped)
        };
        self.push_inline(&escaped);
    }

    /// Appends inline text, collapsing whitespace runs and placing any
    /// pending emphasis marker right before the first visible character.
    fn push_inline(&mut self, text: &str) {
        let mut text = text.to_owned();
        if !self.pending_open.is_empty() {
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                let had_space = !text.is_empty();
                if had_space {
                    self.push_space();
                }
                return;
            }
            if trimmed.len() != text.len() {
                self.push_space();
            }
            text = format!("{}{}", std::mem::take(&mut self.pending_open), trimmed);
        }
        let out = self.out();
        for c in text.chars() {
            if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
                continue;
            }
            out.push(c);
        }
    }

    fn push_space(&mut self) {
        let out = self.out();
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }

    fn end_block(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        // A paragraph starting like a heading, a list item or a quote would
        // be read as one.
        let line = match line.chars().next() {
            Some('#' | '>' | '+' | '-' | '=') if self.lists.is_empty() => format!("\\{line}"),
            _ if self.lists.is_empty()
                && line.starts_with(|c: char| c.is_ascii_digit())
                && line
                    .split_once(['.', ')'])
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit())) =>
            {
                // "1. foo" would start an ordered list.
                let n = line.find(['.', ')']).unwrap_or(0);
                format!("{}\\{}", &line[..n], &line[n..])
            }
            _ => line.to_owned(),
        };
        self.blocks.push(line);
    }

    fn open(&mut self, tag: &str, attrs: &str) {
        if self.pre.is_some() {
            return;
        }
        if self.code.is_some() {
            return;
        }
        match tag {
            "p" | "div" | "dl" | "note" | "important" => {
                // `<li><p>x</p></li>`: the paragraph is the item's text.
                if !is_bare_marker(&self.line) {
                    self.end_block();
                }
                match tag {
                    "note" => self.line.push_str("**Note:** "),
                    "important" => self.line.push_str("**Important:** "),
                    _ => {}
                }
            }
            "br" => self.end_block(),
            "ul" => {
                self.end_block();
                self.lists.push(None);
            }
            "ol" => {
                self.end_block();
                self.lists.push(Some(0));
            }
            "li" => {
                // Items are written flat, whatever their depth (a block
                // is trimmed when it ends): no indentation to build.
                self.end_block();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_owned(),
                };
                self.line.push_str(&marker);
            }
            "dt" => {
                self.end_block();
                self.pending_open.push_str("**");
            }
            "dd" => self.end_block(),
            "code" | "tt" => self.code = Some(String::new()),
            "pre" => {
                self.end_block();
                self.pre = Some(String::new());
            }
            "i" | "em" => self.pending_open.push('*'),
            "b" | "strong" => self.pending_open.push_str("**"),
            "a" => {
                if let Some(href) = attr(attrs, "href") {
                    if self.link.is_none() {
                        self.link = Some((href, String::new()));
                    }
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_block();
                self.pending_open.push_str("**");
            }
            _ => {}
        }
    }

    fn close_emphasis(&mut self, marker: &str) {
        if self.pending_open.ends_with(marker) {
            // Nothing visible was written inside: drop the marker.
            let len = self.pending_open.len() - marker.len();
            self.pending_open.truncate(len);
            return;
        }
        let out = self.out();
        let had_space = out.ends_with(' ');
        while out.ends_with(' ') {
            out.pop();
        }
        out.push_str(marker);
        if had_space {
            out.push(' ');
        }
    }

    fn close(&mut self, tag: &str) {
        if let Some(pre) = &self.pre {
            if tag == "pre" {
                let body = pre.trim_matches('\n').to_owned();
                self.pre = None;
                let body = decode_entities(&body);
                self.blocks.push(format!("```text\n{body}\n```"));
            }
            return;
        }
        if let Some(code) = &self.code {
            if tag == "code" || tag == "tt" {
                let body = decode_entities(code)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                self.code = None;
                if body.is_empty() {
                    return;
                }
                let ticks = if body.contains('`') { "`` " } else { "`" };
                let close = if body.contains('`') { " ``" } else { "`" };
                self.push_inline(&format!("{ticks}{body}{close}"));
            }
            return;
        }
        match tag {
            "p" | "div" | "li" | "dd" | "note" | "important" | "dl" => self.end_block(),
            "ul" | "ol" => {
                self.end_block();
                self.lists.pop();
            }
            "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_emphasis("**");
                self.end_block();
            }
            "i" | "em" => self.close_emphasis("*"),
            "b" | "strong" => self.close_emphasis("**"),
            "a" => {
                if let Some((href, text)) = self.link.take() {
                    let text = text.trim();
                    let rendered = if text.is_empty() || text == href {
                        format!("<{href}>")
                    } else {
                        format!("[{text}]({href})")
                    };
                    self.push_inline(&rendered);
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        if let Some((href, text)) = self.link.take() {
            self.line.push_str(&text);
            self.line.push(' ');
            self.line.push_str(&format!("<{href}>"));
        }
        if let Some(code) = self.code.take() {
            self.push_inline(&code);
        }
        self.end_block();
        // List items are single lines; other blocks are separated by a blank line.
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                let prev_item = is_list_item(&self.blocks[i - 1]);
                out.push_str(if prev_item && is_list_item(block) {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(block);
        }
        out
    }
}

/// Whether `line` holds only a list marker (`- `, `2. `), nothing written after it.
fn is_bare_marker(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && (t == "-" || (t.ends_with('.') && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit())))
}

fn is_list_item(block: &str) -> bool {
    let b = block.trim_start();
    b.starts_with("- ")
        || b.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Wraps bare `http(s)://` URLs in `<...>` (rustdoc's `bare_urls` lint).
fn guard_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        let candidate = &rest[i..];
        if !(candidate.starts_with("http://") || candidate.starts_with("https://")) {
            out.push_str(&rest[..i + 4]);
            rest = &rest[i + 4..];
            continue;
        }
        out.push_str(&rest[..i]);
        let end = candidate
            .find(|c: char| c.is_whitespace() || c == '&' || c == '"' || c == '\\')
            .unwrap_or(candidate.len());
        let mut url = &candidate[..end];
        // Sentence punctuation after a URL is not part of it.
        while url.ends_with(['.', ',', ')', ';', ':']) {
            url = &url[..url.len() - 1];
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &candidate[url.len()..];
    }
    out.push_str(rest);
    out
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let after = rest[i + name.len()..].trim_start();
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let (quote, body) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
                _ => (None, value),
            };
            let end = match quote {
                Some(q) => body.find(q),
                None => body.find(char::is_whitespace),
            }
            .unwrap_or(body.len());
            return Some(decode_entities(&body[..end]));
        }
        rest = &rest[i + name.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_and_whitespace() {
        assert_eq!(
            md("<p>Create an Proton service. An Proton service is an instantiation of a service\n      template.</p><p>Second.</p>"),
            "Create an Proton service. An Proton service is an instantiation of a service template.\n\nSecond."
        );
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            md("<p>Set <code>spec</code> to <i>the</i> <b>value</b>.</p>"),
            "Set `spec` to *the* **value**."
        );
        assert_eq!(md("<p>a<i> b </i>c</p>"), "a *b* c");
        assert_eq!(md("<p><code>a`b</code></p>"), "`` a`b ``");
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"<p>See <a href="https://docs.aws.amazon.com/x.html">the guide</a>.</p>"#),
            "See [the guide](https://docs.aws.amazon.com/x.html)."
        );
        assert_eq!(
            md("<p>Go to https://example.com/a.</p>"),
            "Go to <https://example.com/a>."
        );
        assert_eq!(
            md(r#"<a href="https://x.y">https://x.y</a>"#),
            "<https://x.y>"
        );
    }

    #[test]
    fn lists_notes_and_definitions() {
        assert_eq!(
            md("<p>Either:</p><ul><li><p>one</p></li><li>two</li></ul>"),
            "Either:\n\n- one\n- two"
        );
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
        assert_eq!(md("<note><p>Careful.</p></note>"), "**Note:**\n\nCareful.");
        assert_eq!(
            md("<dl><dt>Term</dt><dd><p>Meaning.</p></dd></dl>"),
            "**Term**\n\nMeaning."
        );
    }

    #[test]
    fn nested_lists_are_written_flat_in_linear_time() {
        assert_eq!(
            md("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li></ul>"),
            "- a\n- b\n1. c"
        );
        // Each item used to build an indentation as deep as its nesting,
        // trimmed again: quadratic work for deeply nested input.
        let html = "<ul><li>x".repeat(20_000);
        let text = md(&html);
        assert_eq!(text, vec!["- x"; 20_000].join("\n"));
    }

    #[test]
    fn escapes_what_markdown_or_rustdoc_would_misread() {
        assert_eq!(md("<p>a [b] c</p>"), r"a \[b\] c");
        assert_eq!(md("<p>x &lt;y&gt; z</p>"), "x &lt;y&gt; z");
        assert_eq!(md("<p>a * b_c</p>"), r"a \* b\_c");
        assert_eq!(md("<p># not a heading</p>"), r"\# not a heading");
        assert_eq!(md("<p>1. not a list</p>"), r"1\. not a list");
        assert_eq!(md("a < b"), "a &lt; b");
        assert_eq!(md("<p>AT&amp;T</p>"), "AT&amp;T");
    }

    #[test]
    fn unknown_tags_keep_their_text() {
        assert_eq!(md("<p><fullname>AWS Proton</fullname></p>"), "AWS Proton");
    }

    #[test]
    fn pre_blocks_are_text_code_blocks() {
        assert_eq!(
            md("<p>Example:</p><pre>{\n  \"a\": 1\n}</pre>"),
            "Example:\n\n```text\n{\n  \"a\": 1\n}\n```"
        );
    }
}
