//! Trait applications and node values (`@trait(...)`, metadata and
//! default values, entity bodies): the part of the parser that nests, so
//! the part that keeps count ([`MAX_DEPTH`]).

use super::{describe, is_identifier, is_shape_id, shorten, Parser, MAX_DEPTH};
use crate::idl::ast::{IdRef, Node, TraitApp};
use crate::idl::lexer::{Kind, Pos};
use crate::idl::SyntaxError;
use std::collections::HashSet;

impl Parser<'_> {
    pub(super) fn trait_app(&mut self) -> Result<TraitApp, SyntaxError> {
        self.bump();
        if self.peek().gap.any {
            return Err(self.expected("a trait shape ID right after `@`"));
        }
        let id = self.shape_id("a trait shape ID")?;
        if !self.is(&Kind::LParen) || self.peek().gap.any {
            return Ok(TraitApp { id, value: None });
        }
        self.bump();
        if self.is(&Kind::RParen) {
            self.bump();
            return Ok(TraitApp { id, value: None });
        }
        let key_like = match &self.peek().kind {
            Kind::Word => is_identifier(self.peek().text),
            Kind::Str(_) => true,
            _ => false,
        };
        let value = if key_like && self.peek_at(1).kind == Kind::Colon {
            // `@trait(key: value, ...)`: a structure without braces.
            let mut entries = Vec::new();
            let mut keys = HashSet::new();
            while !self.is(&Kind::RParen) {
                let (key, pos) = self.object_key("an object key")?;
                if !keys.insert(key.clone()) {
                    return Err(self.error(
                        pos,
                        format!("duplicate key `{}` in the trait value", shorten(&key)),
                    ));
                }
                self.expect(Kind::Colon, "`:` after the key")?;
                let value = self.node()?;
                entries.push((key, value));
            }
            Node::Object(entries)
        } else {
            self.node()?
        };
        self.expect(Kind::RParen, "`)` to close the trait value")?;
        Ok(TraitApp {
            id,
            value: Some(value),
        })
    }

    /// `NodeObjectKey`: an identifier or a quoted string; `what` names it.
    pub(super) fn object_key(&mut self, what: &str) -> Result<(String, Pos), SyntaxError> {
        let token = self.peek();
        match &token.kind {
            Kind::Str(s) => {
                let key = (s.clone(), token.pos);
                self.bump();
                Ok(key)
            }
            Kind::Word if is_identifier(token.text) => {
                let key = (token.text.to_owned(), token.pos);
                self.bump();
                Ok(key)
            }
            _ => Err(self.expected(&format!("{what} (an identifier or a quoted string)"))),
        }
    }

    pub(super) fn node(&mut self) -> Result<Node, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                self.peek().pos,
                format!("values nest more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let node = self.node_inner();
        self.depth -= 1;
        node
    }

    fn node_inner(&mut self) -> Result<Node, SyntaxError> {
        let token = self.bump();
        Ok(match token.kind {
            Kind::LBrace => {
                let mut entries: Vec<(String, Node)> = Vec::new();
                let mut keys = HashSet::new();
                while !self.is(&Kind::RBrace) {
                    let (key, pos) = self.object_key("an object key")?;
                    if !keys.insert(key.clone()) {
                        return Err(self.error(pos, format!("duplicate key `{}` in the object", shorten(&key))));
                    }
                    self.expect(Kind::Colon, "`:` after the key")?;
                    let value = self.node()?;
                    entries.push((key, value));
                }
                self.bump();
                Node::Object(entries)
            }
            Kind::LBracket => {
                let mut items = Vec::new();
                while !self.is(&Kind::RBracket) {
                    if self.is(&Kind::Eof) {
                        return Err(self.expected("`]`"));
                    }
                    items.push(self.node()?);
                }
                self.bump();
                Node::Array(items)
            }
            Kind::Number => match serde_json::from_str::<serde_json::Number>(token.text) {
                Ok(n) => Node::Number(n),
                Err(_) => {
                    return Err(self.error(token.pos, format!("number `{}` is out of range", shorten(token.text))))
                }
            },
            Kind::Str(s) | Kind::TextBlock(s) => Node::String(s),
            Kind::Word => match token.text {
                "true" => Node::Bool(true),
                "false" => Node::Bool(false),
                "null" => Node::Null,
                text if is_shape_id(text) => Node::ShapeId(IdRef {
                    text: text.to_owned(),
                    pos: token.pos,
                }),
                text => {
                    return Err(self.error(
                        token.pos,
                        format!("`{}` is not a valid value (quote strings; unquoted values are shape IDs)", shorten(text)),
                    ))
                }
            },
            _ => {
                return Err(self.error(
                    token.pos,
                    format!("expected a value (object, array, number, string, `true`, `false`, `null` or a shape ID), found {}", describe(&token)),
                ))
            }
        })
    }
}
