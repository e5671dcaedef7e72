//! Generated response property tests: no response body makes a call panic.
//!
//! From the IR, [`generate`] writes a second integration-test file next to
//! the per-operation tests: one proptest strategy per type a response can
//! carry (each structure member either a valid value of its type, absent,
//! `null`, or an arbitrary JSON value in its place; see the support crate's
//! `response_fuzz` module), one per operation output and modelled error,
//! and one test per operation feeding its real client call (through an
//! in-process HTTP double) arbitrary bytes, output bodies and
//! modelled-error bodies. Recursive types are not fuzzed inside: a member
//! reaching one holds the type's sample value.

use super::{members, raw_string, samples, Render, Sample, Samples, TestOptions};
use crate::emit::rust::{doc, inner_doc, rt_declaration};
use crate::error::Error;
use crate::ir::{Operation, Service, Structure, TimestampFormat, Type, TypeDef};
use crate::model::{EnumLiteral, ShapeId};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// Writes the strategies and tests.
struct Writer<'s> {
    service: &'s Service,
    /// Named types that reach themselves: never given a strategy function.
    cyclic: BTreeSet<ShapeId>,
}

/// The named types `ty` refers to directly (through lists and maps).
fn named_in(ty: &Type, out: &mut Vec<ShapeId>) {
    match ty {
        Type::List { member, .. } => named_in(member, out),
        Type::Map { key, value, .. } => {
            named_in(key, out);
            named_in(value, out);
        }
        Type::Named(id) => out.push(id.clone()),
        _ => {}
    }
}

/// The named types a type definition's members refer to directly.
fn references(def: &TypeDef) -> Vec<ShapeId> {
    let mut out = Vec::new();
    match def {
        TypeDef::Structure(s) => s.fields.iter().for_each(|f| named_in(&f.ty, &mut out)),
        TypeDef::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(|ty| named_in(ty, &mut out)),
        TypeDef::Enum(_) => {}
    }
    out
}

impl<'s> Writer<'s> {
    fn new(service: &'s Service) -> Self {
        // A type reaches itself when it holds itself or shares its strongly
        // connected component (found without recursion, in linear time: a
        // model may chain tens of thousands of types).
        let cyclic = crate::graph::on_cycles(service.types.keys().cloned(), |id| {
            service.type_def(id).map(references).unwrap_or_default()
        });
        Self { service, cyclic }
    }

    /// The named types a response can carry (from every output and
    /// modelled error), in id order, without the recursive ones.
    fn response_types(&self) -> BTreeSet<ShapeId> {
        let mut todo: Vec<ShapeId> = Vec::new();
        for op in &self.service.operations {
            op.output
                .fields
                .iter()
                .for_each(|f| named_in(&f.ty, &mut todo));
            todo.extend(op.errors.iter().map(|e| e.id.clone()));
        }
        let mut seen = BTreeSet::new();
        while let Some(id) = todo.pop() {
            if self.cyclic.contains(&id) || seen.contains(&id) {
                continue;
            }
            if let Some(def) = self.service.type_def(&id) {
                todo.extend(references(def));
                seen.insert(id);
            }
        }
        seen
    }

    /// The strategy function of a named type.
    fn type_fn(&self, id: &ShapeId) -> Option<proc_macro2::Ident> {
        let def = self.service.type_def(id)?;
        let (prefix, module) = match def {
            TypeDef::Structure(s) if s.error.is_some() => ("error", &s.module),
            TypeDef::Structure(s) => ("type", &s.module),
            TypeDef::Union(u) => ("type", &u.module),
            TypeDef::Enum(e) => ("type", &e.module),
        };
        Some(format_ident!("{}_{}", prefix, module.unraw()))
    }

    /// A fixed sample value of `ty` (`null` when none can be built).
    fn sample(&self, ty: &Type, member: &str) -> TokenStream {
        match Samples::new(self.service).value(ty, member) {
            Some(sample) => self.literal(&sample),
            None => quote!(fuzz::null()),
        }
    }

    fn literal(&self, sample: &Sample) -> TokenStream {
        let json = serde_json::to_string(&sample.to_json(self.service)).unwrap_or_default();
        let json = raw_string(&json);
        quote!(fuzz::literal(#json))
    }

    /// The strategy expression of `ty`, for the member called `member`.
    fn strategy(&self, ty: &Type, member: &str) -> TokenStream {
        match ty {
            Type::String => quote!(fuzz::string()),
            Type::Bool => quote!(fuzz::boolean()),
            Type::Byte => quote!(fuzz::integer(i8::MIN.into(), i8::MAX.into())),
            Type::Short => quote!(fuzz::integer(i16::MIN.into(), i16::MAX.into())),
            Type::Integer => quote!(fuzz::integer(i32::MIN.into(), i32::MAX.into())),
            Type::Long => quote!(fuzz::integer(i64::MIN, i64::MAX)),
            Type::Float => quote!(fuzz::float32()),
            Type::Double => quote!(fuzz::float64()),
            Type::BigInteger => quote!(fuzz::big_integer()),
            Type::BigDecimal => quote!(fuzz::big_decimal()),
            Type::Timestamp(TimestampFormat::EpochSeconds) => quote!(fuzz::epoch_seconds()),
            Type::Timestamp(format) => self.literal(&Sample::Timestamp(*format)),
            Type::Blob => quote!(fuzz::blob()),
            Type::Document => quote!(fuzz::document()),
            Type::List {
                member: item,
                sparse,
            } => {
                let item = self.strategy(item, member);
                quote!(fuzz::list(#item, #sparse))
            }
            Type::Map { key, value, sparse } => {
                let key = self.strategy(key, &format!("{member}Key"));
                let value = self.strategy(value, member);
                quote!(fuzz::map(#key, #value, #sparse))
            }
            Type::Named(id) if self.cyclic.contains(id) => self.sample(ty, member),
            Type::Named(id) => match self.type_fn(id) {
                Some(f) => quote!(#f()),
                None => quote!(fuzz::null()),
            },
        }
    }

    fn structure_strategy(&self, s: &Structure) -> TokenStream {
        let fields = s.fields.iter().map(|f| {
            let name = &f.member;
            let value = self.strategy(&f.ty, &f.member);
            quote!(fuzz::member(#name, #value))
        });
        quote!(fuzz::structure(vec![#(#fields),*]))
    }

    fn type_strategy(&self, id: &ShapeId) -> Option<TokenStream> {
        let f = self.type_fn(id)?;
        let body = match self.service.type_def(id)? {
            TypeDef::Structure(s) => self.structure_strategy(s),
            TypeDef::Union(u) => {
                let variants = u.variants.iter().map(|v| {
                    let name = &v.member;
                    match &v.ty {
                        Some(ty) => {
                            let value = self.strategy(ty, &v.member);
                            quote!((#name, Some(#value)))
                        }
                        None => quote!((#name, None)),
                    }
                });
                quote!(fuzz::union(vec![#(#variants),*]))
            }
            TypeDef::Enum(e) if e.int => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumLiteral::Int(i) => Some(*i),
                    EnumLiteral::String(_) => None,
                });
                quote!(fuzz::int_enum(&[#(#values),*]))
            }
            TypeDef::Enum(e) => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumLiteral::String(s) => Some(s.as_str()),
                    EnumLiteral::Int(_) => None,
                });
                quote!(fuzz::string_enum(&[#(#values),*]))
            }
        };
        let docs = doc(&format!("`{id}`."));
        Some(quote! {
            #docs
            fn #f() -> Gen {
                #body
            }
        })
    }

    fn operation_test(&self, render: &Render<'_>, op: &Operation) -> Result<TokenStream, Error> {
        let client = &render.client;
        let (input, _) = samples(self.service, op)?;
        let calls = render.setter_calls(&op.input.fields, members(&input));
        let method = &op.method;
        let name = &op.name;
        let output_fn = format_ident!("output_{}", method.unraw());
        let output = self.structure_strategy(&op.output);
        let error = &op.error;
        let error_path = quote!(#client::operation::#method::#error);
        let mut errors = Vec::new();
        let mut arms = Vec::new();
        for e in &op.errors {
            let code = &e.code;
            let variant = &e.variant;
            if let Some(f) = self.type_fn(&e.id) {
                errors.push(quote!((#code, #f())));
            }
            arms.push(quote!(Err(E::#variant(e)) => Outcome::Modeled(#code, e.to_string()),));
        }
        let present: Vec<TokenStream> = op
            .output
            .fields
            .iter()
            .filter(|f| f.presence.is_option())
            .map(|f| {
                let member = &f.member;
                let field = &f.name;
                quote!((#member, output.#field.is_some()))
            })
            .collect();
        let ok = if present.is_empty() {
            quote!(Ok(_) => Outcome::Output(Vec::new()),)
        } else {
            quote!(Ok(output) => Outcome::Output(vec![#(#present),*]),)
        };
        let output_docs = doc(&format!("The output of `{name}`."));
        let test_docs = doc(&format!(
            "`{name}`: arbitrary bytes, output bodies and modelled-error bodies give the output or a clear error, never a panic."
        ));
        Ok(quote! {
            #output_docs
            fn #output_fn() -> Gen {
                #output
            }

            #test_docs
            #[test]
            fn #method() {
                fuzz::run(
                    fuzz::Operation {
                        name: #name,
                        output: #output_fn(),
                        errors: vec![#(#errors),*],
                    },
                    #client::Client::new,
                    |client| async move {
                        use #error_path as E;
                        match client.#method() #(#calls)* .send().await {
                            #ok
                            #(#arms)*
                            Err(E::Unhandled(e)) => Outcome::Unhandled(e.to_string()),
                            Err(E::Request(e)) => Outcome::Request(e.kind(), e.to_string()),
                            Err(e) => Outcome::Other(e.to_string()),
                        }
                    },
                );
            }
        })
    }
}

/// The response property-test file for `service`.
pub fn generate(service: &Service, options: &TestOptions) -> Result<String, Error> {
    let render = super::render(service, options)?;
    let support = super::parse_path(&options.support_crate)?;
    let writer = Writer::new(service);
    let types: Vec<TokenStream> = writer
        .response_types()
        .iter()
        .filter_map(|id| writer.type_strategy(id))
        .collect();
    let tests = service
        .operations
        .iter()
        .map(|op| writer.operation_test(&render, op))
        .collect::<Result<Vec<_>, Error>>()?;
    let docs = format!(
        "Property tests of every operation of `{}`: arbitrary bytes, output bodies and modelled-error bodies (each member a valid value of its type, absent, `null`, or an arbitrary JSON value) answer the real client call through an in-process HTTP double; the call gives its output or a clear error, never a panic, and what parses agrees with the body.\n\nA few cases per operation under `cargo test`; `PROPTEST_CASES=N` for a long campaign.",
        service.id
    );
    let module_docs = inner_doc(&docs);
    // Input samples of some types (timestamps, documents, ...) are built
    // with the runtime.
    let uses_rt = tests.iter().any(|t| t.to_string().contains("crate :: rt"));
    let rt_declaration = if uses_rt {
        rt_declaration()
    } else {
        TokenStream::new()
    };
    let tokens = quote! {
        #module_docs
        #rt_declaration

        // Every member is read on purpose, deprecated or not.
        #[rustfmt::skip]
        #[allow(deprecated)]
        mod responses {
            use #support::response_fuzz::{self as fuzz, Gen, Outcome};

            #(#types)*

            #(#tests)*
        }
    };
    Ok(format!(
        "{}{}",
        crate::emit::header(service),
        crate::render::render("tests", tokens)?
    ))
}
