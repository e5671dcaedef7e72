//! Smithy IDL text → tokens.
//!
//! Owns what a token is, where it starts, and what lies between it and the
//! previous token: the IDL grammar tells spaces (`SP`) and line breaks
//! (`BR`) apart, so each token records the kind of gap before it, and
//! the documentation comments (`///`) in that gap. Strings and text blocks
//! are decoded here (`strings`). One pass over the text, no backtracking.

use super::strings;
use super::SyntaxError;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// Line.
    pub line: u32,
    /// Column.
    pub column: u32,
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// An identifier, namespace or shape ID: a letter or `_`, then letters,
    /// digits, `_`, `.`, `#` and `$` (checked by the parser per context).
    Word,
    /// A number, in the JSON number grammar.
    Number,
    /// A quoted string, decoded.
    Str(String),
    /// A text block (`"""`), with incidental whitespace removed, decoded.
    TextBlock(String),
    At,
    Dollar,
    Colon,
    /// `:=`
    Walrus,
    Equal,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Eof,
}

/// The whitespace, commas and comments between two tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gap {
    /// Anything at all.
    pub any: bool,
    /// A line break (a newline, or a comment, which ends with one).
    pub newline: bool,
}

/// One token.
#[derive(Clone, Debug)]
pub struct Token<'a> {
    /// Its kind (and decoded value for strings).
    pub kind: Kind,
    /// Its source text.
    pub text: &'a str,
    /// Where it starts.
    pub pos: Pos,
    /// What precedes it.
    pub gap: Gap,
    /// Documentation comment lines in the gap before it, in order.
    pub docs: Vec<String>,
}

/// Splits `text` into tokens; the last is [`Kind::Eof`].
#[cfg(test)]
pub fn tokenize(text: &str) -> Result<Vec<Token<'_>>, SyntaxError> {
    let mut lexer = Lexer::new(text);
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let eof = token.kind == Kind::Eof;
        tokens.push(token);
        if eof {
            return Ok(tokens);
        }
    }
}

/// Tokens on demand, so memory follows the syntax tree, not the text.
pub struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: u32,
    column: u32,
    /// Whether a token started on the current line (`///` after one is a
    /// plain comment: doc comments must start their line).
    line_has_token: bool,
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'#' | b'$')
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            // A byte-order mark is not content.
            at: if text.starts_with('\u{feff}') { 3 } else { 0 },
            line: 1,
            column: 1,
            line_has_token: false,
        }
    }

    /// The next token; at the end, [`Kind::Eof`] again and again.
    pub fn next_token(&mut self) -> Result<Token<'a>, SyntaxError> {
        let (gap, docs) = self.skip_gap()?;
        let pos = self.pos();
        let start = self.at;
        let kind = self.token()?;
        self.line_has_token = true;
        Ok(Token {
            kind,
            text: &self.text[start..self.at],
            pos,
            gap,
            docs,
        })
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// Moves past one byte, keeping line and column (UTF-8 continuation
    /// bytes do not start a column).
    fn advance(&mut self) {
        if let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b == b'\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
                self.line_has_token = false;
            } else if b & 0xC0 != 0x80 {
                self.column = self.column.saturating_add(1);
            }
        }
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            pos,
            message: message.into(),
        }
    }

    /// The character at the cursor, for messages.
    fn char_here(&self) -> char {
        self.text[self.at..].chars().next().unwrap_or(' ')
    }

    fn skip_gap(&mut self) -> Result<(Gap, Vec<String>), SyntaxError> {
        let mut gap = Gap::default();
        let mut docs = Vec::new();
        while let Some(b) = self.peek(0) {
            match b {
                b' ' | b'\t' | b'\r' => self.advance(),
                b'\n' => {
                    gap.newline = true;
                    self.advance();
                }
                // Commas are whitespace (the spec's lexical notes).
                b',' => self.advance(),
                b'/' if self.peek(1) == Some(b'/') => {
                    let doc = self.peek(2) == Some(b'/') && !self.line_has_token;
                    let start = self.at;
                    while let Some(c) = self.peek(0) {
                        if c == b'\n' {
                            break;
                        }
                        if c < 0x20 && c != b'\t' && c != b'\r' {
                            return Err(self.error(
                                self.pos(),
                                format!("control character U+{c:04X} in a comment"),
                            ));
                        }
                        self.advance();
                    }
                    if doc {
                        let line = self.text[start + 3..self.at].trim_end_matches('\r');
                        docs.push(line.strip_prefix(' ').unwrap_or(line).to_owned());
                    }
                    gap.newline = true;
                }
                _ => break,
            }
            gap.any = true;
        }
        Ok((gap, docs))
    }

    fn token(&mut self) -> Result<Kind, SyntaxError> {
        let Some(b) = self.peek(0) else {
            return Ok(Kind::Eof);
        };
        let single = |kind: Kind, lexer: &mut Self| {
            lexer.advance();
            Ok(kind)
        };
        match b {
            b'@' => single(Kind::At, self),
            b'$' => single(Kind::Dollar, self),
            b'=' => single(Kind::Equal, self),
            b'{' => single(Kind::LBrace, self),
            b'}' => single(Kind::RBrace, self),
            b'[' => single(Kind::LBracket, self),
            b']' => single(Kind::RBracket, self),
            b'(' => single(Kind::LParen, self),
            b')' => single(Kind::RParen, self),
            b':' if self.peek(1) == Some(b'=') => {
                self.advance();
                single(Kind::Walrus, self)
            }
            b':' => single(Kind::Colon, self),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b if is_word_start(b) => {
                while self.peek(0).is_some_and(is_word_char) {
                    self.advance();
                }
                Ok(Kind::Word)
            }
            b'/' => Err(self.error(self.pos(), "unexpected `/` (comments start with `//`)")),
            _ => Err(self.error(
                self.pos(),
                format!("unexpected character {:?}", self.char_here()),
            )),
        }
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
            self.advance();
            n += 1;
        }
        n
    }

    fn number(&mut self) -> Result<Kind, SyntaxError> {
        let start = self.pos();
        if self.peek(0) == Some(b'-') {
            self.advance();
        }
        let int_start = self.at;
        if self.digits() == 0 {
            return Err(self.error(start, "expected a digit after `-`"));
        }
        if self.bytes[int_start] == b'0' && self.at - int_start > 1 {
            return Err(self.error(start, "a number cannot start with `0` followed by digits"));
        }
        if self.peek(0) == Some(b'.') {
            self.advance();
            if self.digits() == 0 {
                return Err(self.error(self.pos(), "expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            self.advance();
            if matches!(self.peek(0), Some(b'+' | b'-')) {
                self.advance();
            }
            if self.digits() == 0 {
                return Err(self.error(self.pos(), "expected a digit in the exponent"));
            }
        }
        if self.peek(0).is_some_and(is_word_char) {
            return Err(self.error(
                start,
                "a number must be followed by whitespace or punctuation",
            ));
        }
        Ok(Kind::Number)
    }

    /// A quoted string or a text block. The raw content is checked here (so
    /// errors point at the offending character) and decoded by `strings`.
    fn string(&mut self) -> Result<Kind, SyntaxError> {
        let start = self.pos();
        let block = self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"');
        let quotes = if block { 3 } else { 1 };
        for _ in 0..quotes {
            self.advance();
        }
        if block {
            // `"""` [SP] NL: the content starts on the next line.
            while matches!(self.peek(0), Some(b' ' | b'\t')) {
                self.advance();
            }
            if self.peek(0) == Some(b'\r') && self.peek(1) == Some(b'\n') {
                self.advance();
            }
            if self.peek(0) != Some(b'\n') {
                return Err(self.error(
                    start,
                    "a text block must start with a line break after the opening `\"\"\"`",
                ));
            }
        }
        let content_start = self.at;
        loop {
            let Some(b) = self.peek(0) else {
                return Err(self.error(
                    start,
                    if block {
                        "unterminated text block: expected a closing `\"\"\"`"
                    } else {
                        "unterminated string: expected a closing `\"`"
                    },
                ));
            };
            match b {
                b'"' if !block => break,
                b'"' if self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"') => break,
                b'\\' => self.escape()?,
                b'\t' | b'\n' | b'\r' => self.advance(),
                c if c < 0x20 || c == 0x7f => {
                    return Err(self.error(
                        self.pos(),
                        format!("control character U+{c:04X} in a string; write it as an escape"),
                    ))
                }
                _ => self.advance(),
            }
        }
        let raw = &self.text[content_start..self.at];
        for _ in 0..quotes {
            self.advance();
        }
        let decoded = if block {
            strings::text_block(raw)
        } else {
            strings::quoted(raw)
        };
        let value = decoded.map_err(|message| self.error(start, message))?;
        Ok(if block {
            Kind::TextBlock(value)
        } else {
            Kind::Str(value)
        })
    }

    /// Checks one escape sequence at the cursor (a backslash) and moves past it.
    fn escape(&mut self) -> Result<(), SyntaxError> {
        let pos = self.pos();
        self.advance();
        match self.peek(0) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' | b'\n') => self.advance(),
            Some(b'\r') if self.peek(1) == Some(b'\n') => {
                self.advance();
                self.advance();
            }
            Some(b'u') => {
                self.advance();
                for _ in 0..4 {
                    if !self.peek(0).is_some_and(|b| b.is_ascii_hexdigit()) {
                        return Err(self.error(pos, "`\\u` must be followed by four hex digits"));
                    }
                    self.advance();
                }
            }
            None => return Err(self.error(pos, "unterminated escape sequence")),
            Some(_) => {
                return Err(self.error(
                    pos,
                    format!(
                        "invalid escape `\\{}` (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX or an escaped line break)",
                        self.char_here().escape_debug()
                    ),
                ))
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn words_punctuation_and_numbers() {
        assert_eq!(
            kinds("@a.b#C$d(x: -1.5e3) := $m"),
            [
                Kind::At,
                Kind::Word,
                Kind::LParen,
                Kind::Word,
                Kind::Colon,
                Kind::Number,
                Kind::RParen,
                Kind::Walrus,
                Kind::Dollar,
                Kind::Word,
                Kind::Eof
            ]
        );
    }

    #[test]
    fn gaps_tell_spaces_and_line_breaks_apart() {
        let tokens = tokenize("a b,c\nd // x\ne").unwrap();
        let gaps: Vec<Gap> = tokens.iter().map(|t| t.gap).collect();
        let space = Gap {
            any: true,
            newline: false,
        };
        assert_eq!(gaps[1], space);
        assert_eq!(gaps[2], space, "a comma is whitespace");
        assert!(gaps[3].newline);
        assert!(gaps[4].newline, "a comment is a line break");
    }

    #[test]
    fn doc_comments_attach_to_the_next_token_only_at_line_start() {
        let tokens = tokenize("/// One\n///Two\n//   plain\na /// not docs\nb").unwrap();
        assert_eq!(tokens[0].docs, ["One", "Two"]);
        assert!(tokens[1].docs.is_empty());
    }

    #[test]
    fn positions_count_characters() {
        let tokens = tokenize("\"é\" x\n  y").unwrap();
        assert_eq!(tokens[1].pos, Pos { line: 1, column: 5 });
        assert_eq!(tokens[2].pos, Pos { line: 2, column: 3 });
    }

    #[test]
    fn errors_are_located() {
        let err = tokenize("a\n  \"x\\q\"").unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, column: 5 });
        assert!(
            err.message.contains("invalid escape `\\q`"),
            "{}",
            err.message
        );
        assert!(tokenize("01").is_err());
        assert!(tokenize("1.").is_err());
        assert!(tokenize("\"open").is_err());
        assert!(tokenize("\"\"\"x\"\"\"").is_err());
        assert!(tokenize("%").is_err());
    }
}
