//! JMESPath (<https://jmespath.org/specification.html>) parsed into an AST.
//!
//! The whole grammar is parsed (a Pratt parser with the reference
//! implementation's binding powers), so a waiter's expression is either a
//! tree or an error with its position; which trees the generator can compile
//! is decided when the tree is typed against the operation's structures
//! (see `waiter.rs`). Trees nest at most [`MAX_DEPTH`] levels deep, so
//! that no expression can overflow the stack of what walks them.

use serde_json::Value;
use std::fmt;

/// A JMESPath expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `@`: the current value.
    Identity,
    /// `name` or `"name"`: a member of the current object.
    Field(String),
    /// `lhs.rhs`: `rhs` evaluated on `lhs`.
    Subexpr(Box<Expr>, Box<Expr>),
    /// `[n]` (negative from the end) of the current array.
    Index(i64),
    /// `[start:stop:step]` of the current array.
    Slice {
        /// First index, if given.
        start: Option<i64>,
        /// End index (exclusive), if given.
        stop: Option<i64>,
        /// Step, if given (not zero).
        step: Option<i64>,
    },
    /// `lhs[*].rhs`, `lhs[].rhs`, `lhs[?c].rhs`: `rhs` on each element of
    /// the array `lhs` gives, nulls dropped.
    Projection {
        /// What gives the array.
        lhs: Box<Expr>,
        /// What is evaluated on each element.
        rhs: Box<Expr>,
    },
    /// `lhs.*`: the values of the object `lhs` gives, as an array.
    ObjectValues(Box<Expr>),
    /// `lhs[]`: the array `lhs` gives, nested arrays flattened one level.
    Flatten(Box<Expr>),
    /// In a filter projection: `then` when `predicate` is truthy, else null.
    Condition {
        /// The filter.
        predicate: Box<Expr>,
        /// The element, usually `@`.
        then: Box<Expr>,
    },
    /// `lhs <op> rhs`.
    Comparison {
        /// The comparator.
        op: Comparator,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `lhs && rhs`.
    And(Box<Expr>, Box<Expr>),
    /// `lhs || rhs`.
    Or(Box<Expr>, Box<Expr>),
    /// `!expr`.
    Not(Box<Expr>),
    /// `` `json` `` or `'raw string'`.
    Literal(Value),
    /// `[a, b]`.
    MultiList(Vec<Expr>),
    /// `{k: a, ...}`.
    MultiHash(Vec<(String, Expr)>),
    /// `name(args)`.
    Function {
        /// The function name.
        name: String,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `&expr` (an argument of `sort_by` and friends).
    ExpRef(Box<Expr>),
    /// `lhs | rhs`: `rhs` on the result of `lhs` (stops a projection).
    Pipe(Box<Expr>, Box<Expr>),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl Comparator {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "==",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// Why an expression does not parse, and where (a character offset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Offset in characters from the start of the expression.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position)
    }
}

/// How deep an expression's tree may nest (real ones nest a few levels).
pub const MAX_DEPTH: usize = 64;

/// Parses a JMESPath expression.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expression(0)?;
    if parser.peek() != &Tok::Eof {
        return Err(parser.error(format!("unexpected {}", parser.peek().describe())));
    }
    // The parser's count bounds its own recursion and the chains it
    // builds; the tree itself is measured here.
    if deeper_than(&expr, MAX_DEPTH) {
        return Err(ParseError {
            position: 0,
            message: too_deep(),
        });
    }
    Ok(expr)
}

fn too_deep() -> String {
    format!("the expression nests more than {MAX_DEPTH} levels deep")
}

/// Whether `expr` nests more than `limit` levels (recursing at most
/// `limit` deep, whatever the tree).
fn deeper_than(expr: &Expr, limit: usize) -> bool {
    let Some(limit) = limit.checked_sub(1) else {
        return true;
    };
    let deeper = |e: &Expr| deeper_than(e, limit);
    match expr {
        Expr::Identity
        | Expr::Field(_)
        | Expr::Index(_)
        | Expr::Slice { .. }
        | Expr::Literal(_) => false,
        Expr::Subexpr(a, b) | Expr::And(a, b) | Expr::Or(a, b) | Expr::Pipe(a, b) => {
            deeper(a) || deeper(b)
        }
        Expr::Projection { lhs, rhs } | Expr::Comparison { lhs, rhs, .. } => {
            deeper(lhs) || deeper(rhs)
        }
        Expr::Condition { predicate, then } => deeper(predicate) || deeper(then),
        Expr::ObjectValues(e) | Expr::Flatten(e) | Expr::Not(e) | Expr::ExpRef(e) => deeper(e),
        Expr::MultiList(items) | Expr::Function { args: items, .. } => items.iter().any(deeper),
        Expr::MultiHash(pairs) => pairs.iter().any(|(_, e)| deeper(e)),
    }
}

/// `expr` written back as JMESPath (for messages: equivalent to what was
/// parsed, not always the same text).
pub fn show(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr);
    out
}

fn write_name(out: &mut String, name: &str) {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        out.push_str(name);
    } else {
        out.push_str(&Value::String(name.to_owned()).to_string());
    }
}

/// What follows a projection's left side: nothing for `@`, `.b` for a
/// member, `[0]` for an index, a nested projection as written.
fn write_rhs(out: &mut String, rhs: &Expr) {
    match rhs {
        Expr::Identity => {}
        Expr::Index(_) | Expr::Slice { .. } | Expr::Projection { .. } | Expr::Flatten(_) => {
            write_expr(out, rhs)
        }
        Expr::Condition { predicate, then } => {
            out.push_str("[?");
            write_expr(out, predicate);
            out.push(']');
            write_rhs(out, then);
        }
        // `[0]` after a filter: the parser's `@[0]`, written without the `@`.
        Expr::Subexpr(a, b) if leads_with_identity(a) => {
            write_rhs(out, a);
            match **b {
                Expr::Index(_) | Expr::Slice { .. } => {}
                _ => out.push('.'),
            }
            write_expr(out, b);
        }
        other => {
            out.push('.');
            write_expr(out, other);
        }
    }
}

/// Whether `expr` is `@` or a chain starting at `@` (`@[0].b`).
fn leads_with_identity(expr: &Expr) -> bool {
    match expr {
        Expr::Identity => true,
        Expr::Subexpr(a, _) => leads_with_identity(a),
        _ => false,
    }
}

fn write_expr(out: &mut String, expr: &Expr) {
    match expr {
        Expr::Identity => out.push('@'),
        Expr::Field(name) => write_name(out, name),
        Expr::Subexpr(a, b) => {
            write_expr(out, a);
            match **b {
                Expr::Index(_) | Expr::Slice { .. } => {}
                _ => out.push('.'),
            }
            write_expr(out, b);
        }
        Expr::Index(i) => out.push_str(&format!("[{i}]")),
        Expr::Slice { start, stop, step } => {
            let part = |v: &Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            out.push_str(&format!("[{}:{}", part(start), part(stop)));
            if step.is_some() {
                out.push_str(&format!(":{}", part(step)));
            }
            out.push(']');
        }
        Expr::Projection { lhs, rhs } => {
            match &**lhs {
                Expr::Flatten(_) | Expr::ObjectValues(_) => write_expr(out, lhs),
                Expr::Subexpr(_, s) if matches!(**s, Expr::Slice { .. }) => write_expr(out, lhs),
                other if matches!(**rhs, Expr::Condition { .. }) => {
                    if *other != Expr::Identity {
                        write_expr(out, other)
                    }
                }
                other => {
                    if *other != Expr::Identity {
                        write_expr(out, other)
                    }
                    out.push_str("[*]");
                }
            }
            write_rhs(out, rhs);
        }
        Expr::ObjectValues(inner) => {
            if **inner != Expr::Identity {
                write_expr(out, inner);
                out.push('.');
            }
            out.push('*');
        }
        Expr::Flatten(inner) => {
            if **inner != Expr::Identity {
                write_expr(out, inner);
            }
            out.push_str("[]");
        }
        Expr::Condition { predicate, then } => {
            out.push_str("[?");
            write_expr(out, predicate);
            out.push(']');
            write_rhs(out, then);
        }
        Expr::Comparison { op, lhs, rhs } => {
            write_expr(out, lhs);
            out.push_str(&format!(" {} ", op.as_str()));
            write_expr(out, rhs);
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            let op = if matches!(expr, Expr::And(..)) { "&&" } else { "||" };
            write_expr(out, a);
            out.push_str(&format!(" {op} "));
            write_expr(out, b);
        }
        Expr::Not(inner) => {
            out.push('!');
            let group = !matches!(**inner, Expr::Field(_) | Expr::Subexpr(..) | Expr::Function { .. });
            if group {
                out.push('(');
            }
            write_expr(out, inner);
            if group {
                out.push(')');
            }
        }
        Expr::Literal(v) => out.push_str(&format!("`{v}`")),
        Expr::MultiList(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, item);
            }
            out.push(']');
        }
        Expr::MultiHash(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_name(out, k);
                out.push_str(": ");
                write_expr(out, v);
            }
            out.push('}');
        }
        Expr::Function { name, args } => {
            out.push_str(name);
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, arg);
            }
            out.push(')');
        }
        Expr::ExpRef(inner) => {
            out.push('&');
            write_expr(out, inner);
        }
        Expr::Pipe(a, b) => {
            write_expr(out, a);
            out.push_str(" | ");
            write_expr(out, b);
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Cmp(Comparator),
    Current,
    ExpRef,
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier `{s}`"),
            Tok::Quoted(s) => format!("quoted identifier {s:?}"),
            Tok::Literal(v) => format!("literal `{v}`"),
            Tok::Number(n) => format!("number {n}"),
            Tok::Eof => "end of expression".to_owned(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::Dot => ".",
            Tok::Star => "*",
            Tok::Flatten => "[]",
            Tok::Filter => "[?",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::Pipe => "|",
            Tok::Or => "||",
            Tok::And => "&&",
            Tok::Not => "!",
            Tok::Cmp(c) => c.as_str(),
            Tok::Current => "@",
            Tok::ExpRef => "&",
            _ => "",
        }
    }

    /// Binding powers of the reference implementation.
    fn binding_power(&self) -> u8 {
        match self {
            Tok::Pipe => 1,
            Tok::Or => 2,
            Tok::And => 3,
            Tok::Cmp(_) => 5,
            Tok::Flatten => 9,
            Tok::Star => 20,
            Tok::Filter => 21,
            Tok::Dot => 40,
            Tok::Not => 45,
            Tok::LBrace => 50,
            Tok::LBracket => 55,
            Tok::LParen => 60,
            _ => 0,
        }
    }
}

/// Below this binding power a token ends a projection's right-hand side.
const PROJECTION_STOP: u8 = 10;

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: String| ParseError { position, message };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let two = |next: char| chars.get(i + 1) == Some(&next);
        let tok = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((start, Tok::Ident(chars[start..i].iter().collect())));
                continue;
            }
            '0'..='9' | '-' => {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                let n = digits
                    .parse::<i64>()
                    .map_err(|_| err(start, format!("`{digits}` is not a number")))?;
                out.push((start, Tok::Number(n)));
                continue;
            }
            '"' => {
                let end = closing(&chars, i, '"')
                    .ok_or_else(|| err(start, "unclosed quoted identifier".to_owned()))?;
                let raw: String = chars[start..=end].iter().collect();
                let name: String = serde_json::from_str(&raw)
                    .map_err(|e| err(start, format!("invalid quoted identifier: {e}")))?;
                i = end + 1;
                out.push((start, Tok::Quoted(name)));
                continue;
            }
            '\'' => {
                let end = closing(&chars, i, '\'')
                    .ok_or_else(|| err(start, "unclosed raw string".to_owned()))?;
                let raw: String = chars[start + 1..end].iter().collect();
                i = end + 1;
                out.push((start, Tok::Literal(Value::String(raw.replace("\\'", "'")))));
                continue;
            }
            '`' => {
                let end = closing(&chars, i, '`')
                    .ok_or_else(|| err(start, "unclosed literal".to_owned()))?;
                let raw: String = chars[start + 1..end].iter().collect();
                let value: Value = serde_json::from_str(&raw.replace("\\`", "`"))
                    .map_err(|e| err(start, format!("invalid JSON literal: {e}")))?;
                i = end + 1;
                out.push((start, Tok::Literal(value)));
                continue;
            }
            '.' => Tok::Dot,
            '*' => Tok::Star,
            '[' if two(']') => {
                i += 1;
                Tok::Flatten
            }
            '[' if two('?') => {
                i += 1;
                Tok::Filter
            }
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            ':' => Tok::Colon,
            '@' => Tok::Current,
            '|' if two('|') => {
                i += 1;
                Tok::Or
            }
            '|' => Tok::Pipe,
            '&' if two('&') => {
                i += 1;
                Tok::And
            }
            '&' => Tok::ExpRef,
            '!' if two('=') => {
                i += 1;
                Tok::Cmp(Comparator::Ne)
            }
            '!' => Tok::Not,
            '=' if two('=') => {
                i += 1;
                Tok::Cmp(Comparator::Eq)
            }
            '<' if two('=') => {
                i += 1;
                Tok::Cmp(Comparator::Le)
            }
            '<' => Tok::Cmp(Comparator::Lt),
            '>' if two('=') => {
                i += 1;
                Tok::Cmp(Comparator::Ge)
            }
            '>' => Tok::Cmp(Comparator::Gt),
            other => return Err(err(start, format!("unexpected character `{other}`"))),
        };
        i += 1;
        out.push((start, tok));
    }
    out.push((chars.len(), Tok::Eof));
    Ok(out)
}

/// The index of the `quote` closing the one at `open`, skipping `\`-escapes.
fn closing(chars: &[char], open: usize, quote: char) -> Option<usize> {
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    /// Expressions being parsed, plus the operators each has read so far:
    /// bounds the parser's recursion and the chains it builds in a loop.
    depth: usize,
}

type Parsed = Result<Expr, ParseError>;

impl Parser {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        self.tokens
            .get(self.pos + ahead)
            .or(self.tokens.last())
            .map_or(&Tok::Eof, |(_, t)| t)
    }

    fn position(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(0, |(p, _)| *p)
    }

    fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn error(&self, message: String) -> ParseError {
        ParseError {
            position: self.position(),
            message,
        }
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), ParseError> {
        if self.peek() == tok {
            self.next();
            Ok(())
        } else {
            Err(self.error(format!(
                "expected `{}`, found {}",
                tok.symbol(),
                self.peek().describe()
            )))
        }
    }

    fn expression(&mut self, bp: u8) -> Parsed {
        let outer = self.depth;
        let parsed = self.nested_expression(bp);
        self.depth = outer;
        parsed
    }

    fn nested_expression(&mut self, bp: u8) -> Parsed {
        self.deeper()?;
        let tok = self.next();
        let mut left = self.nud(tok)?;
        while bp < self.peek().binding_power() {
            self.deeper()?;
            let tok = self.next();
            left = self.led(tok, left)?;
        }
        Ok(left)
    }

    fn deeper(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(too_deep()));
        }
        Ok(())
    }

    fn nud(&mut self, tok: Tok) -> Parsed {
        match tok {
            Tok::Literal(v) => Ok(Expr::Literal(v)),
            Tok::Ident(name) => Ok(Expr::Field(name)),
            Tok::Quoted(name) => {
                if self.peek() == &Tok::LParen {
                    return Err(self.error("a function name cannot be quoted".to_owned()));
                }
                Ok(Expr::Field(name))
            }
            Tok::Star => {
                let rhs = if self.peek() == &Tok::RBracket {
                    Expr::Identity
                } else {
                    self.projection_rhs(Tok::Star.binding_power())?
                };
                Ok(projection(
                    Expr::ObjectValues(Box::new(Expr::Identity)),
                    rhs,
                ))
            }
            Tok::Filter => self.filter(Expr::Identity),
            Tok::LBrace => self.multi_hash(),
            Tok::LParen => {
                let inner = self.expression(0)?;
                self.expect(&Tok::RParen)?;
                Ok(inner)
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(Tok::Flatten.binding_power())?;
                Ok(projection(Expr::Flatten(Box::new(Expr::Identity)), rhs))
            }
            Tok::Not => Ok(Expr::Not(Box::new(
                self.expression(Tok::Not.binding_power())?,
            ))),
            Tok::LBracket => match (self.peek(), self.peek_at(1)) {
                (Tok::Number(_) | Tok::Colon, _) => {
                    let index = self.index_or_slice()?;
                    self.project_if_slice(Expr::Identity, index)
                }
                (Tok::Star, Tok::RBracket) => {
                    self.next();
                    self.next();
                    let rhs = self.projection_rhs(Tok::Star.binding_power())?;
                    Ok(projection(Expr::Identity, rhs))
                }
                _ => self.multi_list(),
            },
            Tok::Current => Ok(Expr::Identity),
            Tok::ExpRef => Ok(Expr::ExpRef(Box::new(self.expression(0)?))),
            other => Err(ParseError {
                position: self
                    .tokens
                    .get(self.pos.saturating_sub(1))
                    .map_or(0, |t| t.0),
                message: format!("unexpected {}", other.describe()),
            }),
        }
    }

    fn led(&mut self, tok: Tok, left: Expr) -> Parsed {
        match tok {
            Tok::Dot => {
                if self.peek() == &Tok::Star {
                    self.next();
                    let rhs = self.projection_rhs(Tok::Dot.binding_power())?;
                    Ok(projection(Expr::ObjectValues(Box::new(left)), rhs))
                } else {
                    let rhs = self.dot_rhs(Tok::Dot.binding_power())?;
                    Ok(Expr::Subexpr(Box::new(left), Box::new(rhs)))
                }
            }
            Tok::Pipe => Ok(Expr::Pipe(
                Box::new(left),
                Box::new(self.expression(Tok::Pipe.binding_power())?),
            )),
            Tok::Or => Ok(Expr::Or(
                Box::new(left),
                Box::new(self.expression(Tok::Or.binding_power())?),
            )),
            Tok::And => Ok(Expr::And(
                Box::new(left),
                Box::new(self.expression(Tok::And.binding_power())?),
            )),
            Tok::Cmp(op) => Ok(Expr::Comparison {
                op,
                lhs: Box::new(left),
                rhs: Box::new(self.expression(Tok::Cmp(op).binding_power())?),
            }),
            Tok::LParen => {
                let Expr::Field(name) = left else {
                    return Err(self.error("only a name can be called as a function".to_owned()));
                };
                let mut args = Vec::new();
                while self.peek() != &Tok::RParen {
                    args.push(self.expression(0)?);
                    if self.peek() == &Tok::Comma {
                        self.next();
                    } else if self.peek() != &Tok::RParen {
                        return Err(self.error(format!(
                            "expected `,` or `)`, found {}",
                            self.peek().describe()
                        )));
                    }
                }
                self.next();
                Ok(Expr::Function { name, args })
            }
            Tok::Filter => self.filter(left),
            Tok::Flatten => {
                let rhs = self.projection_rhs(Tok::Flatten.binding_power())?;
                Ok(projection(Expr::Flatten(Box::new(left)), rhs))
            }
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Colon => {
                    let index = self.index_or_slice()?;
                    self.project_if_slice(left, index)
                }
                _ => {
                    self.expect(&Tok::Star)?;
                    self.expect(&Tok::RBracket)?;
                    let rhs = self.projection_rhs(Tok::Star.binding_power())?;
                    Ok(projection(left, rhs))
                }
            },
            other => Err(self.error(format!("unexpected {}", other.describe()))),
        }
    }

    /// After `[?`: the condition, `]`, then the projection's right-hand side.
    fn filter(&mut self, left: Expr) -> Parsed {
        let predicate = self.expression(0)?;
        self.expect(&Tok::RBracket)?;
        let then = if self.peek() == &Tok::Flatten {
            Expr::Identity
        } else {
            self.projection_rhs(Tok::Filter.binding_power())?
        };
        Ok(projection(
            left,
            Expr::Condition {
                predicate: Box::new(predicate),
                then: Box::new(then),
            },
        ))
    }

    fn projection_rhs(&mut self, bp: u8) -> Parsed {
        match self.peek() {
            t if t.binding_power() < PROJECTION_STOP => Ok(Expr::Identity),
            Tok::LBracket | Tok::Filter => self.expression(bp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(bp)
            }
            other => Err(self.error(format!(
                "unexpected {} after a projection",
                other.describe()
            ))),
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Parsed {
        match self.peek() {
            Tok::Ident(_) | Tok::Quoted(_) | Tok::Star => self.expression(bp),
            Tok::LBracket => {
                self.next();
                self.multi_list()
            }
            Tok::LBrace => {
                self.next();
                self.multi_hash()
            }
            other => Err(self.error(format!("unexpected {} after `.`", other.describe()))),
        }
    }

    /// `lhs[n]` is a plain access; `lhs[a:b]` projects what follows over
    /// the slice (`a[1:].b` is `b` of each element), as the reference
    /// implementation parses it.
    fn project_if_slice(&mut self, lhs: Expr, index: Expr) -> Parsed {
        let is_slice = matches!(index, Expr::Slice { .. });
        let access = Expr::Subexpr(Box::new(lhs), Box::new(index));
        if is_slice {
            let rhs = self.projection_rhs(Tok::Star.binding_power())?;
            Ok(projection(access, rhs))
        } else {
            Ok(access)
        }
    }

    /// After `[`: `n]` or a slice `a:b:c]`.
    fn index_or_slice(&mut self) -> Parsed {
        if self.peek() == &Tok::Colon || self.peek_at(1) == &Tok::Colon {
            let mut parts = [None, None, None];
            let mut i = 0;
            loop {
                match self.next() {
                    Tok::RBracket => break,
                    Tok::Colon if i < 2 => i += 1,
                    Tok::Number(n) if parts[i].is_none() => parts[i] = Some(n),
                    other => {
                        return Err(
                            self.error(format!("unexpected {} in a slice", other.describe()))
                        )
                    }
                }
            }
            if parts[2] == Some(0) {
                return Err(self.error("a slice step cannot be 0".to_owned()));
            }
            Ok(Expr::Slice {
                start: parts[0],
                stop: parts[1],
                step: parts[2],
            })
        } else {
            let Tok::Number(n) = self.next() else {
                return Err(self.error("expected an index".to_owned()));
            };
            self.expect(&Tok::RBracket)?;
            Ok(Expr::Index(n))
        }
    }

    /// After `[` (not an index): `a, b]`.
    fn multi_list(&mut self) -> Parsed {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.next() {
                Tok::Comma => {}
                Tok::RBracket => return Ok(Expr::MultiList(items)),
                other => {
                    return Err(
                        self.error(format!("expected `,` or `]`, found {}", other.describe()))
                    )
                }
            }
        }
    }

    /// After `{`: `key: expr, ...}`.
    fn multi_hash(&mut self) -> Parsed {
        let mut pairs = Vec::new();
        loop {
            let key = match self.next() {
                Tok::Ident(k) | Tok::Quoted(k) => k,
                other => {
                    return Err(self.error(format!("expected a key, found {}", other.describe())))
                }
            };
            self.expect(&Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.next() {
                Tok::Comma => {}
                Tok::RBrace => return Ok(Expr::MultiHash(pairs)),
                other => {
                    return Err(
                        self.error(format!("expected `,` or `}}`, found {}", other.describe()))
                    )
                }
            }
        }
    }
}

fn projection(lhs: Expr, rhs: Expr) -> Expr {
    Expr::Projection {
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str) -> Box<Expr> {
        Box::new(Expr::Field(name.to_owned()))
    }

    fn sub(a: Box<Expr>, b: Box<Expr>) -> Box<Expr> {
        Box::new(Expr::Subexpr(a, b))
    }

    #[test]
    fn member_access_and_projections() {
        assert_eq!(parse("a").unwrap(), Expr::Field("a".into()));
        assert_eq!(
            parse("a.b.c").unwrap(),
            *sub(sub(field("a"), field("b")), field("c"))
        );
        assert_eq!(
            parse("thing.parts[].state").unwrap(),
            Expr::Projection {
                lhs: Box::new(Expr::Flatten(sub(field("thing"), field("parts")))),
                rhs: field("state"),
            }
        );
        assert_eq!(
            parse("a[*].b").unwrap(),
            Expr::Projection {
                lhs: field("a"),
                rhs: field("b")
            }
        );
        assert_eq!(
            parse("a[]").unwrap(),
            Expr::Projection {
                lhs: Box::new(Expr::Flatten(field("a"))),
                rhs: Box::new(Expr::Identity)
            }
        );
        assert_eq!(parse("\"a b\".c").unwrap(), *sub(field("a b"), field("c")));
        assert_eq!(
            parse("a[0]").unwrap(),
            *sub(field("a"), Box::new(Expr::Index(0)))
        );
        assert_eq!(
            parse("a[1:-1]").unwrap(),
            Expr::Projection {
                lhs: sub(
                    field("a"),
                    Box::new(Expr::Slice {
                        start: Some(1),
                        stop: Some(-1),
                        step: None
                    })
                ),
                rhs: Box::new(Expr::Identity)
            }
        );
        assert_eq!(
            parse("a.*.b").unwrap(),
            Expr::Projection {
                lhs: Box::new(Expr::ObjectValues(field("a"))),
                rhs: field("b")
            }
        );
    }

    #[test]
    fn deep_expressions_are_errors_not_stack_overflows() {
        let n = 100_000;
        let parens = format!("{}a{}", "(".repeat(n), ")".repeat(n));
        let nots = format!("{}a", "!".repeat(n));
        let chain = vec!["a"; n].join(".");
        let ors = vec!["a"; n].join(" || ");
        let lists = format!("{}a{}", "[".repeat(n), "]".repeat(n));
        // Chains of 30 inside 30 parentheses: the parser's count stays
        // within bounds, the tree is 900 deep.
        let nested = (0..30).fold("a".to_owned(), |inner, _| {
            format!("({inner}){}", ".b".repeat(30))
        });
        for text in [&parens, &nots, &chain, &ors, &lists, &nested] {
            let err = parse(text).expect_err("too deep");
            assert_eq!(err.message, too_deep(), "{}", &text[..40]);
        }
        let ok = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(parse(&ok).unwrap(), Expr::Field("a".into()));
        let ok = vec!["a"; MAX_DEPTH / 2].join(".");
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn functions_filters_and_operators() {
        assert_eq!(
            parse("length(things) > `0`").unwrap(),
            Expr::Comparison {
                op: Comparator::Gt,
                lhs: Box::new(Expr::Function {
                    name: "length".into(),
                    args: vec![Expr::Field("things".into())]
                }),
                rhs: Box::new(Expr::Literal(json!(0))),
            }
        );
        let nested = parse("length(items[?!(length(children) == `1` && a == b)]) == `0`").unwrap();
        let Expr::Comparison { lhs, .. } = nested else {
            panic!("a comparison")
        };
        let Expr::Function { args, .. } = *lhs else {
            panic!("a function")
        };
        assert!(matches!(
            &args[0],
            Expr::Projection { rhs, .. } if matches!(**rhs, Expr::Condition { .. })
        ));
        assert_eq!(
            parse("a || b && !c").unwrap(),
            Expr::Or(
                field("a"),
                Box::new(Expr::And(field("b"), Box::new(Expr::Not(field("c")))))
            )
        );
        assert_eq!(
            parse("a | 'raw'").unwrap(),
            Expr::Pipe(field("a"), Box::new(Expr::Literal(json!("raw"))))
        );
        assert_eq!(
            parse("{x: a, y: [b, @]}").unwrap(),
            Expr::MultiHash(vec![
                ("x".into(), Expr::Field("a".into())),
                (
                    "y".into(),
                    Expr::MultiList(vec![Expr::Field("b".into()), Expr::Identity])
                ),
            ])
        );
        assert_eq!(
            parse("sort_by(a, &b)").unwrap(),
            Expr::Function {
                name: "sort_by".into(),
                args: vec![Expr::Field("a".into()), Expr::ExpRef(field("b"))]
            }
        );
    }

    #[test]
    fn expressions_are_shown_as_jmespath() {
        for text in [
            "a.b.c",
            "a[].b",
            "a[*].b",
            "a[0].b",
            "a[1:2]",
            "a.*.b",
            "length(items[?!(length(children) == `1` && a == b)]) == `0`",
            "contains(groups[].[length(xs[?s == 'in']) >= min][], `false`)",
            "a || b && !c",
            "a | b",
            "\"a b\".c",
            "{x: a, y: [b, @]}",
            "map(&a, b)",
            "a[?b][0]",
            "a[?b][0].c",
            "a[1:].b",
        ] {
            let parsed = parse(text).unwrap();
            let shown = show(&parsed);
            assert_eq!(parse(&shown).unwrap(), parsed, "{text} shown as {shown}");
        }
        assert_eq!(show(&parse("a[].b").unwrap()), "a[].b");
        assert_eq!(
            parse("a[1:].b").unwrap(),
            Expr::Projection {
                lhs: sub(
                    field("a"),
                    Box::new(Expr::Slice {
                        start: Some(1),
                        stop: None,
                        step: None
                    })
                ),
                rhs: field("b"),
            },
            "a slice projects what follows it"
        );
    }

    #[test]
    fn errors_say_where() {
        for (text, message) in [
            (
                "a.",
                "unexpected end of expression after `.` (at character 2)",
            ),
            (
                "a[",
                "expected `*`, found end of expression (at character 2)",
            ),
            ("`{`", "invalid JSON literal"),
            ("a b", "unexpected identifier `b` (at character 2)"),
            ("a[1:2:0]", "a slice step cannot be 0"),
            ("$", "unexpected character `$` (at character 0)"),
            ("\"f\"(a)", "a function name cannot be quoted"),
            ("foo(a b)", "expected `,` or `)`"),
        ] {
            let error = parse(text).unwrap_err().to_string();
            assert!(error.contains(message), "{text}: {error}");
        }
    }
}
