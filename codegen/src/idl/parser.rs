//! Tokens → the syntax tree of one IDL file (`ast`), following the
//! Smithy 2.0 IDL grammar: where it asks for a space (`SP`, same line),
//! whitespace (`WS`) or a line break (`BR`), so does the parser.
//!
//! Recursive descent over the token vector; node values nest at most
//! [`MAX_DEPTH`] deep, so no input can overflow the stack.

use super::ast::{Apply, Body, File, IdRef, Member, Node, Operation, Shape, TraitApp, Traits};
use super::lexer::{Kind, Lexer, Pos, Token};
use super::SyntaxError;
use std::collections::{HashSet, VecDeque};

mod values;

/// How deeply node values (trait values, metadata) may nest.
pub const MAX_DEPTH: usize = 64;

const SIMPLE: [&str; 13] = [
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];
const AGGREGATE: [&str; 5] = ["list", "set", "map", "structure", "union"];
const OTHER: [&str; 5] = ["enum", "intEnum", "service", "resource", "operation"];

/// Parses one IDL file.
pub fn parse(text: &str) -> Result<File, SyntaxError> {
    let mut parser = Parser {
        lexer: Lexer::new(text),
        ahead: VecDeque::new(),
        lex_error: None,
        depth: 0,
        file: File {
            version: "2.0".to_owned(),
            ..File::default()
        },
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        v1: false,
    };
    parser.fill();
    let result = parser.file();
    // The parser saw the end of the file where the lexer failed: that is
    // the error, unless the parser stopped at an earlier token.
    match (result, parser.lex_error) {
        (Err(e), Some(lex)) if (e.pos.line, e.pos.column) < (lex.pos.line, lex.pos.column) => {
            Err(e)
        }
        (_, Some(lex)) => Err(lex),
        (result, None) => result.map(|()| parser.file),
    }
}

/// `Identifier`: a letter, or underscores then a letter or digit; then
/// letters, digits and underscores.
pub fn is_identifier(text: &str) -> bool {
    let rest = text.trim_start_matches('_');
    let underscores = text.len() - rest.len();
    match rest.bytes().next() {
        Some(b) if b.is_ascii_alphabetic() || (underscores > 0 && b.is_ascii_digit()) => {
            rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }
        _ => false,
    }
}

/// `Namespace`: identifiers joined by dots.
pub fn is_namespace(text: &str) -> bool {
    text.split('.').all(is_identifier)
}

/// `ShapeId`: `[namespace#]Identifier[$Identifier]`.
pub fn is_shape_id(text: &str) -> bool {
    let (root, member) = match text.split_once('$') {
        Some((root, member)) => (root, Some(member)),
        None => (text, None),
    };
    let root_ok = match root.split_once('#') {
        Some((ns, name)) => is_namespace(ns) && is_identifier(name),
        None => is_identifier(root),
    };
    root_ok && member.into_iter().all(is_identifier)
}

/// How many tokens the parser looks at beyond the current one.
const LOOKAHEAD: usize = 1;

struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The current token and the lookahead (never empty after `fill`).
    ahead: VecDeque<Token<'a>>,
    /// Where lexing failed; the parser sees the end of the file there.
    lex_error: Option<SyntaxError>,
    depth: usize,
    file: File,
    input_suffix: String,
    output_suffix: String,
    v1: bool,
}

fn eof(pos: Pos) -> Token<'static> {
    Token {
        kind: Kind::Eof,
        text: "",
        pos,
        gap: Default::default(),
        docs: Vec::new(),
    }
}

/// A token for messages: its text, shortened.
fn describe(token: &Token<'_>) -> String {
    match &token.kind {
        Kind::Eof => "the end of the file".to_owned(),
        Kind::Str(_) => "a string".to_owned(),
        Kind::TextBlock(_) => "a text block".to_owned(),
        Kind::Number => format!("number `{}`", shorten(token.text)),
        _ => format!("`{}`", shorten(token.text)),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

impl<'a> Parser<'a> {
    /// Tops the lookahead up; after a lexing error, end-of-file tokens.
    fn fill(&mut self) {
        while self.ahead.len() <= LOOKAHEAD {
            let token = match (&self.lex_error, self.lexer.next_token()) {
                (None, Ok(token)) => token,
                (None, Err(e)) => {
                    let pos = e.pos;
                    self.lex_error = Some(e);
                    eof(pos)
                }
                (Some(e), _) => eof(e.pos),
            };
            self.ahead.push_back(token);
        }
    }

    fn peek(&self) -> &Token<'a> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Token<'a> {
        &self.ahead[ahead.min(LOOKAHEAD)]
    }

    /// Takes the current token (the end-of-file token repeats).
    fn bump(&mut self) -> Token<'a> {
        let token = self
            .ahead
            .pop_front()
            .unwrap_or_else(|| eof(Pos { line: 1, column: 1 }));
        self.fill();
        token
    }

    fn is(&self, kind: &Kind) -> bool {
        &self.peek().kind == kind
    }

    fn is_word(&self, word: &str) -> bool {
        self.peek().kind == Kind::Word && self.peek().text == word
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            pos,
            message: message.into(),
        }
    }

    fn expected(&self, what: &str) -> SyntaxError {
        let token = self.peek();
        self.error(
            token.pos,
            format!("expected {what}, found {}", describe(token)),
        )
    }

    fn expect(&mut self, kind: Kind, what: &str) -> Result<Token<'a>, SyntaxError> {
        if self.is(&kind) {
            Ok(self.bump())
        } else {
            Err(self.expected(what))
        }
    }

    /// The grammar's `[SP]`: no line break since the previous token
    /// (commas count as spaces, as the spec's lexical notes and the
    /// reference implementation have it).
    fn same_line(&self) -> bool {
        !self.peek().gap.newline
    }

    /// `SP`: at least one space, on the same line.
    fn expect_space(&self, before: &str) -> Result<(), SyntaxError> {
        let gap = self.peek().gap;
        if gap.any && self.same_line() {
            Ok(())
        } else {
            Err(self.expected(&format!("{before} on the same line, after a space")))
        }
    }

    /// `BR`: a line break (or the end of the file) before the next token.
    fn expect_line_break(&self, after: &str) -> Result<(), SyntaxError> {
        let token = self.peek();
        if token.kind == Kind::Eof || token.gap.newline {
            Ok(())
        } else {
            Err(self.error(
                token.pos,
                format!(
                    "expected a line break after {after}, found {}",
                    describe(token)
                ),
            ))
        }
    }

    fn needs_v2(&self, pos: Pos, what: &str) -> Result<(), SyntaxError> {
        if self.v1 {
            Err(self.error(
                pos,
                format!(
                    "{what}: only in Smithy IDL 2.0 (this file says `$version: \"{}\"`)",
                    self.file.version
                ),
            ))
        } else {
            Ok(())
        }
    }

    /// An identifier; `what` names it with its article ("a shape name").
    fn identifier(&mut self, what: &str) -> Result<(String, Pos), SyntaxError> {
        let token = self.expect(Kind::Word, what)?;
        if !is_identifier(token.text) {
            return Err(self.error(
                token.pos,
                format!(
                    "expected {what}, found `{}`, which is not an identifier (letters, digits and `_`, starting with a letter)",
                    shorten(token.text)
                ),
            ));
        }
        Ok((token.text.to_owned(), token.pos))
    }

    fn shape_id(&mut self, what: &str) -> Result<IdRef, SyntaxError> {
        let token = self.expect(Kind::Word, what)?;
        if !is_shape_id(token.text) {
            return Err(self.error(
                token.pos,
                format!("`{}` is not a valid shape ID (expected `Name`, `namespace#Name` or either with `$member`)", shorten(token.text)),
            ));
        }
        Ok(IdRef {
            text: token.text.to_owned(),
            pos: token.pos,
        })
    }

    fn file(&mut self) -> Result<(), SyntaxError> {
        self.control_section()?;
        while self.is_word("metadata") {
            self.metadata()?;
        }
        if self.is_word("namespace") {
            self.bump();
            self.expect_space("a namespace")?;
            let token = self.expect(Kind::Word, "a namespace")?;
            if !is_namespace(token.text) {
                return Err(self.error(
                    token.pos,
                    format!(
                        "`{}` is not a valid namespace (identifiers separated by `.`)",
                        shorten(token.text)
                    ),
                ));
            }
            self.file.namespace = Some(token.text.to_owned());
            self.expect_line_break("the namespace")?;
            while self.is_word("use") {
                self.use_statement()?;
            }
            while !self.is(&Kind::Eof) {
                self.statement()?;
                self.expect_line_break("the shape statement")?;
            }
        } else if !self.is(&Kind::Eof) {
            return Err(self.statement_out_of_place().unwrap_or_else(|| {
                self.expected("`metadata`, `namespace` or the end of the file")
            }));
        }
        Ok(())
    }

    /// A clearer message for a statement in the wrong section.
    fn statement_out_of_place(&self) -> Option<SyntaxError> {
        let token = self.peek();
        let message = match (&token.kind, token.text) {
            (Kind::Dollar, _) => "control statements (`$name: value`) must come first in the file",
            (Kind::Word, "metadata") => {
                "metadata statements must come before the namespace statement"
            }
            (Kind::Word, "namespace") => "only one namespace statement is allowed per file",
            (Kind::Word, "use") => {
                "`use` statements must come right after the namespace, before any shape"
            }
            (Kind::Word, "with") => "`with [...]` must be on the same line as the shape name",
            (Kind::Word, w)
                if SIMPLE.contains(&w)
                    || AGGREGATE.contains(&w)
                    || OTHER.contains(&w)
                    || w == "apply" =>
            {
                "a namespace statement must come before any shape or apply statement"
            }
            _ => return None,
        };
        Some(self.error(token.pos, message))
    }

    fn control_section(&mut self) -> Result<(), SyntaxError> {
        let mut seen = HashSet::new();
        while self.is(&Kind::Dollar) {
            self.bump();
            if self.peek().gap.any {
                return Err(self.expected("a control statement name right after `$`"));
            }
            let (key, key_pos) = self.object_key("a control statement name")?;
            if !seen.insert(key.clone()) {
                return Err(self.error(key_pos, format!("duplicate control statement `${key}`")));
            }
            if !self.same_line() {
                return Err(self.expected("`:` on the same line"));
            }
            self.expect(Kind::Colon, "`:`")?;
            if !self.same_line() {
                return Err(self.expected("a value on the same line"));
            }
            let pos = self.peek().pos;
            let value = self.node()?;
            let string = |what: &str| match &value {
                Node::String(s) => Ok(s.clone()),
                _ => Err(SyntaxError {
                    pos,
                    message: format!("`${what}` must be a string"),
                }),
            };
            match key.as_str() {
                "version" => {
                    let version = string("version")?;
                    let (major, minor) = version.split_once('.').unwrap_or((&version, "0"));
                    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                    if !digits(major) || !digits(minor) || !matches!(major, "1" | "2") {
                        return Err(self.error(
                            pos,
                            format!(
                                "unsupported Smithy IDL version `{}` (supported: 1.0, 2.x)",
                                shorten(&version)
                            ),
                        ));
                    }
                    self.v1 = major == "1";
                    self.file.version = version;
                }
                "operationInputSuffix" => self.input_suffix = string(&key)?,
                "operationOutputSuffix" => self.output_suffix = string(&key)?,
                // The spec: unknown control statements are ignored.
                _ => {}
            }
            self.expect_line_break("the control statement")?;
        }
        Ok(())
    }

    fn metadata(&mut self) -> Result<(), SyntaxError> {
        self.bump();
        self.expect_space("a metadata key")?;
        let (key, key_pos) = self.object_key("a metadata key")?;
        if !self.same_line() {
            return Err(self.expected("`=` on the same line"));
        }
        self.expect(Kind::Equal, "`=`")?;
        if !self.same_line() {
            return Err(self.expected("a value on the same line"));
        }
        let value = self.node()?;
        self.file.metadata.push((key, value, key_pos));
        self.expect_line_break("the metadata statement")
    }

    fn use_statement(&mut self) -> Result<(), SyntaxError> {
        self.bump();
        self.expect_space("a shape ID")?;
        let id = self.shape_id("an absolute shape ID")?;
        if !id.text.contains('#') || id.text.contains('$') {
            return Err(self.error(
                id.pos,
                format!("`use` needs an absolute shape ID without a member (`namespace#Name`), found `{}`", shorten(&id.text)),
            ));
        }
        self.file.uses.push(id);
        self.expect_line_break("the use statement")
    }

    /// A shape or apply statement, with its docs and traits.
    fn statement(&mut self) -> Result<(), SyntaxError> {
        let traits = self.traits()?;
        let token = self.peek();
        if token.kind == Kind::Eof {
            if traits.traits.is_empty() {
                return Ok(()); // a dangling doc comment
            }
            return Err(self.expected("a shape definition after the traits"));
        }
        if token.kind == Kind::Word && token.text == "apply" {
            if !traits.traits.is_empty() {
                return Err(self.error(
                    token.pos,
                    "traits cannot be applied to an `apply` statement (put them after its target)",
                ));
            }
            return self.apply();
        }
        let keyword = token.text;
        if token.kind != Kind::Word
            || !(SIMPLE.contains(&keyword)
                || AGGREGATE.contains(&keyword)
                || OTHER.contains(&keyword))
        {
            return Err(self.statement_out_of_place().unwrap_or_else(|| {
                self.expected(
                    "a shape statement (a shape type such as `structure` or `string`, or `apply`)",
                )
            }));
        }
        let shape = self.shape(traits)?;
        self.file.shapes.push(shape);
        Ok(())
    }

    /// `///` lines of the current token, then `@trait`s.
    fn traits(&mut self) -> Result<Traits, SyntaxError> {
        let docs = self
            .ahead
            .front_mut()
            .map(|t| std::mem::take(&mut t.docs))
            .unwrap_or_default();
        let docs = (!docs.is_empty()).then(|| docs.join("\n"));
        let mut traits = Vec::new();
        while self.is(&Kind::At) {
            traits.push(self.trait_app()?);
        }
        Ok(Traits { docs, traits })
    }

    fn apply(&mut self) -> Result<(), SyntaxError> {
        self.bump();
        self.expect_space("the shape ID to apply traits to")?;
        let target = self.shape_id("a shape ID")?;
        if !self.peek().gap.any {
            return Err(self.expected("whitespace before the trait"));
        }
        let traits = if self.is(&Kind::At) {
            vec![self.trait_app()?]
        } else if self.is(&Kind::LBrace) {
            self.bump();
            let traits = self.traits()?.traits;
            self.expect(Kind::RBrace, "a trait (`@name`) or `}`")?;
            traits
        } else {
            return Err(self.expected("a trait (`@name`) or `{`"));
        };
        self.file.applies.push(Apply { target, traits });
        Ok(())
    }

    fn shape(&mut self, traits: Traits) -> Result<Shape, SyntaxError> {
        let keyword = self.bump();
        let kind = keyword.text.to_owned();
        if matches!(kind.as_str(), "enum" | "intEnum") {
            self.needs_v2(keyword.pos, &format!("an `{kind}` shape"))?;
        }
        self.expect_space("the shape name")?;
        let (name, _) = self.identifier("a shape name")?;
        let mut shape = Shape {
            kind,
            name,
            pos: keyword.pos,
            traits,
            mixins: Vec::new(),
            resource: None,
            body: Body::None,
        };
        match shape.kind.as_str() {
            k if SIMPLE.contains(&k) => self.mixins(&mut shape, false)?,
            "enum" | "intEnum" => {
                self.mixins(&mut shape, false)?;
                shape.body = Body::Members(self.members(&shape)?);
            }
            k if AGGREGATE.contains(&k) => {
                self.for_resource(&mut shape, false)?;
                self.mixins(&mut shape, false)?;
                shape.body = Body::Members(self.members(&shape)?);
            }
            "service" | "resource" => {
                self.mixins(&mut shape, false)?;
                if !self.is(&Kind::LBrace) {
                    return Err(self.expected(&format!("`{{` to open the {} body", shape.kind)));
                }
                match self.node()? {
                    Node::Object(entries) => shape.body = Body::Entity(entries),
                    _ => return Err(self.error(shape.pos, "expected an object body")),
                }
            }
            _ => {
                self.mixins(&mut shape, false)?;
                shape.body = Body::Operation(self.operation(&shape.name)?);
            }
        }
        Ok(shape)
    }

    /// `with [A B]`; on the shape's line unless `inline` (after `:=`).
    fn mixins(&mut self, shape: &mut Shape, inline: bool) -> Result<(), SyntaxError> {
        if !self.is_word("with") || !(inline || self.same_line()) {
            return Ok(());
        }
        let with = self.bump();
        self.needs_v2(with.pos, "mixins (`with [...]`)")?;
        self.expect(Kind::LBracket, "`[` after `with`")?;
        while !self.is(&Kind::RBracket) {
            shape.mixins.push(self.shape_id("a mixin shape ID or `]`")?);
        }
        if shape.mixins.is_empty() {
            return Err(self.expected("at least one mixin shape ID"));
        }
        self.bump();
        Ok(())
    }

    /// `for Resource`; on the shape's line unless `inline`.
    fn for_resource(&mut self, shape: &mut Shape, inline: bool) -> Result<(), SyntaxError> {
        if !self.is_word("for") || !(inline || self.same_line()) {
            return Ok(());
        }
        let token = self.bump();
        self.needs_v2(token.pos, "`for` resource bindings")?;
        self.expect_space("a resource shape ID")?;
        shape.resource = Some(self.shape_id("a resource shape ID")?);
        Ok(())
    }

    fn open_members(&mut self, shape: &Shape) -> Result<(), SyntaxError> {
        if self.is(&Kind::LBrace) {
            self.bump();
            Ok(())
        } else {
            Err(self
                .statement_out_of_place()
                .filter(|_| self.is_word("with"))
                .unwrap_or_else(|| {
                    self.expected(&format!("`{{` to open the members of `{}`", shape.name))
                }))
        }
    }

    /// Members of a structure, union, list, map, enum or intEnum.
    fn members(&mut self, shape: &Shape) -> Result<Vec<Member>, SyntaxError> {
        let is_enum = matches!(shape.kind.as_str(), "enum" | "intEnum");
        let what = if is_enum {
            "an enum member"
        } else {
            "a member"
        };
        self.open_members(shape)?;
        let mut members: Vec<Member> = Vec::new();
        let mut names = HashSet::new();
        loop {
            let traits = self.traits()?;
            if self.is(&Kind::RBrace) {
                if !traits.traits.is_empty() {
                    return Err(self.expected(&format!("{what} after the traits")));
                }
                self.bump();
                break;
            }
            let elided = !is_enum && self.is(&Kind::Dollar);
            if elided {
                let dollar = self.bump();
                self.needs_v2(dollar.pos, "target elision (`$member`)")?;
                if self.peek().gap.any {
                    return Err(self.expected("a member name right after `$`"));
                }
            } else if !self.is(&Kind::Word) {
                return Err(
                    self.expected(&format!("{what} name or `}}` to close `{}`", shape.name))
                );
            }
            let (name, pos) = self.identifier(&format!("{what} name"))?;
            if !names.insert(name.clone()) {
                return Err(self.error(
                    pos,
                    format!("duplicate member `{name}` in `{}`", shape.name),
                ));
            }
            let target = if elided || is_enum {
                None
            } else {
                if !self.same_line() {
                    return Err(
                        self.expected(&format!("`:` after member `{name}`, on the same line"))
                    );
                }
                self.expect(Kind::Colon, &format!("`:` after member `{name}`"))?;
                if !self.same_line() {
                    return Err(
                        self.expected(&format!("the target of member `{name}` on the same line"))
                    );
                }
                Some(self.shape_id(&format!("the target shape of member `{name}`"))?)
            };
            let value = self.value_assignment(&name)?;
            if value.is_some() && !is_enum && shape.kind != "structure" {
                return Err(self.error(
                    pos,
                    format!(
                        "only structure members can have a default value; `{}` is a {}",
                        shape.name, shape.kind
                    ),
                ));
            }
            members.push(Member {
                name,
                pos,
                traits,
                target,
                value,
            });
        }
        let allowed: &[&str] = match shape.kind.as_str() {
            "list" | "set" => &["member"],
            "map" => &["key", "value"],
            "enum" | "intEnum" if members.is_empty() && shape.mixins.is_empty() => {
                return Err(self.error(
                    shape.pos,
                    format!("{} `{}` needs at least one member", shape.kind, shape.name),
                ))
            }
            _ => return Ok(members),
        };
        if let Some(m) = members.iter().find(|m| !allowed.contains(&m.name.as_str())) {
            return Err(self.error(
                m.pos,
                format!(
                    "a {} has only {} members, not `{}`",
                    shape.kind,
                    allowed.join(" and "),
                    m.name
                ),
            ));
        }
        if shape.mixins.is_empty() {
            if let Some(missing) = allowed
                .iter()
                .find(|a| !members.iter().any(|m| &m.name == *a))
            {
                return Err(self.error(
                    shape.pos,
                    format!("{} `{}` needs a `{missing}` member", shape.kind, shape.name),
                ));
            }
        }
        Ok(members)
    }

    /// `= value` after a member, then a line break (a comma may come first).
    fn value_assignment(&mut self, member: &str) -> Result<Option<Node>, SyntaxError> {
        if !self.is(&Kind::Equal) || !self.same_line() {
            return Ok(None);
        }
        let equal = self.bump();
        self.needs_v2(equal.pos, "default values (`= value`)")?;
        if !self.same_line() {
            return Err(self.expected(&format!("the value of `{member}` on the same line as `=`")));
        }
        let value = self.node()?;
        self.expect_line_break(&format!("the value of `{member}`"))?;
        Ok(Some(value))
    }

    fn operation(&mut self, name: &str) -> Result<Operation, SyntaxError> {
        if !self.is(&Kind::LBrace) {
            return Err(self.expected("`{` to open the operation body"));
        }
        self.bump();
        let mut op = Operation::default();
        while !self.is(&Kind::RBrace) {
            let key = self.peek().clone();
            let duplicate = match (key.kind == Kind::Word, key.text) {
                (true, "input") => op.input.is_some(),
                (true, "output") => op.output.is_some(),
                (true, "errors") => op.errors.is_some(),
                _ => return Err(self.expected("`input`, `output`, `errors` or `}`")),
            };
            if duplicate {
                return Err(self.error(
                    key.pos,
                    format!("duplicate operation property `{}`", key.text),
                ));
            }
            self.bump();
            if key.text == "errors" {
                self.expect(Kind::Colon, "`:` after `errors`")?;
                self.expect(Kind::LBracket, "`[` to open the error list")?;
                let mut errors = Vec::new();
                while !self.is(&Kind::RBracket) {
                    errors.push(self.shape_id("an error shape ID or `]`")?);
                }
                self.bump();
                op.errors = Some(errors);
                continue;
            }
            let target = if self.is(&Kind::Walrus) {
                let walrus = self.bump();
                self.needs_v2(walrus.pos, "inline input and output (`:=`)")?;
                let (suffix, marker) = if key.text == "input" {
                    (self.input_suffix.clone(), "smithy.api#input")
                } else {
                    (self.output_suffix.clone(), "smithy.api#output")
                };
                let inline_name = format!("{name}{suffix}");
                let mut traits = self.traits()?;
                traits.traits.push(TraitApp {
                    id: IdRef {
                        text: marker.to_owned(),
                        pos: walrus.pos,
                    },
                    value: None,
                });
                let mut shape = Shape {
                    kind: "structure".to_owned(),
                    name: inline_name.clone(),
                    pos: walrus.pos,
                    traits,
                    mixins: Vec::new(),
                    resource: None,
                    body: Body::None,
                };
                self.for_resource(&mut shape, true)?;
                self.mixins(&mut shape, true)?;
                if shape.resource.is_none() {
                    // The reference implementation also accepts `with` before `for`.
                    self.for_resource(&mut shape, true)?;
                }
                shape.body = Body::Members(self.members(&shape)?);
                self.file.shapes.push(shape);
                IdRef {
                    text: inline_name,
                    pos: walrus.pos,
                }
            } else {
                self.expect(Kind::Colon, &format!("`:` or `:=` after `{}`", key.text))?;
                self.shape_id(&format!("the {} shape ID", key.text))?
            };
            if key.text == "input" {
                op.input = Some(target);
            } else {
                op.output = Some(target);
            }
        }
        self.bump();
        Ok(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_shape_ids() {
        for ok in ["a", "A1", "_a", "__1", "a_b"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "_", "__", "1a", "a.b", "a-b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
        for ok in ["Foo", "a.b#Foo", "a#Foo$bar", "Foo$bar"] {
            assert!(is_shape_id(ok), "{ok}");
        }
        for bad in ["a#", "#Foo", "a..b#C", "Foo$", "a#b#c", "Foo$a$b", "a.b"] {
            assert!(!is_shape_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_file_with_every_section() {
        let file = parse(
            r#"$version: "2"
$operationInputSuffix: "Request"
metadata greeting = "hi"
namespace a.b
use x.y#Z

/// Docs.
@length(min: 1)
string Name

operation Op {
    input := { @required name: Name }
    output: Out
    errors: [E1, E2]
}
apply Name @documentation("more")
"#,
        )
        .unwrap();
        assert_eq!(file.version, "2");
        assert_eq!(file.namespace.as_deref(), Some("a.b"));
        assert_eq!(file.uses[0].text, "x.y#Z");
        let names: Vec<&str> = file.shapes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Name", "OpRequest", "Op"]);
        assert_eq!(file.shapes[0].traits.docs.as_deref(), Some("Docs."));
        assert_eq!(file.applies.len(), 1);
    }

    fn err(text: &str) -> String {
        let e = parse(text).unwrap_err();
        format!("{}:{}: {}", e.pos.line, e.pos.column, e.message)
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        assert_eq!(
            err("namespace a\nstructure S {\n  a String\n}"),
            "3:5: expected `:` after member `a`, found `String`"
        );
        assert_eq!(
            err("namespace a\nstring A string B"),
            "2:10: expected a line break after the shape statement, found `string`"
        );
        assert_eq!(
            err("string A"),
            "1:1: a namespace statement must come before any shape or apply statement"
        );
        assert_eq!(err("namespace a\n@foo (1)\nstring A"), "2:6: expected a shape statement (a shape type such as `structure` or `string`, or `apply`), found `(`");
        assert!(err("namespace a\nstructure S\nwith [M] {}")
            .starts_with("3:1: `with [...]` must be on the same line as the shape name"));
        assert!(err("namespace a\nlist L { value: String }")
            .contains("a list has only member members, not `value`"));
        assert!(err("$version: \"3\"").contains("unsupported Smithy IDL version `3`"));
        assert!(err("$version: \"1.0\"\nnamespace a\nstructure S { $a }")
            .contains("only in Smithy IDL 2.0"));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("metadata x = {}{}\n", "[".repeat(1000), "]".repeat(1000));
        assert!(err(&deep).contains("nest more than 64 levels"));
    }
}
