//! A waiter path's typed JMESPath ([`Typed`]) compiled to Rust over the
//! operation's typed input and output.
//!
//! Every value is an `Option` (`None` is JMESPath `null`) of a
//! representation decided by its [`JType`]: `()` for null, `bool`, `f64`,
//! `&str`, `&T` for a structure or union, `Vec<Option<R>>` for a list and a
//! key-sorted `Vec<(&str, Option<R>)>` for a map (lists and maps are built
//! from the model's values when a path reaches them; a waiter polls every
//! few seconds, so clarity wins over avoiding those small vectors). Member
//! chains stay one expression (`output.service.as_ref().map(|v| v.status.as_str())`);
//! everything else is a statement binding a local. An evaluation error (a
//! function given null) breaks out of the acceptor's labelled block: the
//! acceptor does not match. The IR decided every type; this module only
//! spells them.

use super::rust::{rt, RustType};
use crate::ir::jmespath::Comparator;
use crate::ir::jmespath_typed::{Access, Function, JType, Kind, Literal, Truth, TruthTest, Typed};
use crate::ir::{Operation, Root, Service, Type, TypeDef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// A compiled value.
#[derive(Clone)]
enum Val {
    /// An expression of type `&T` (the input, the output, an element).
    Ref(TokenStream),
    /// A place of type `T` (a required member: `output.service`), never
    /// null; `boxed` when it is a `Box<T>`.
    Place(TokenStream, bool),
    /// An expression of the representation: `Option<R>`.
    Opt(TokenStream),
    /// The `{input, output}` root of an `inputOutput` path (only its
    /// members are read).
    InputOutput,
}

/// A value read through a reference or a place, for lifting a model value
/// into its representation.
#[derive(Clone)]
enum Read {
    /// An expression of type `&T`.
    Ref(TokenStream),
    /// A place of type `T` (boxed: `Box<T>`).
    Place(TokenStream, bool),
}

impl Read {
    /// As a method receiver.
    fn recv(&self) -> TokenStream {
        match self {
            Read::Ref(r) | Read::Place(r, _) => r.clone(),
        }
    }

    /// A copy of a `Copy` value.
    fn copy(&self) -> TokenStream {
        match self {
            Read::Ref(r) => quote!(*#r),
            Read::Place(p, _) => p.clone(),
        }
    }

    /// As `&T`.
    fn reference(&self) -> TokenStream {
        match self {
            Read::Ref(r) => r.clone(),
            Read::Place(p, true) => quote!(&*#p),
            Read::Place(p, false) => quote!(&#p),
        }
    }
}

/// A lifted model value: the representation `R`, or already `Option<R>`.
enum Lift {
    Some(TokenStream),
    Opt(TokenStream),
}

impl Lift {
    fn opt(self) -> TokenStream {
        match self {
            Lift::Some(v) => quote!(Some(#v)),
            Lift::Opt(o) => o,
        }
    }
}

/// The current value (`@`) while compiling a node.
#[derive(Clone)]
struct Cur {
    val: Val,
    ty: JType,
    /// Read more than once: a list or map is cloned at each read.
    shared: bool,
}

/// Compiles one acceptor's path.
pub(super) struct Compiler<'a> {
    service: &'a Service,
    /// The operation, whose input and output types are not in `crate::types`.
    op: &'a Operation,
    stmts: Vec<TokenStream>,
    next: u32,
    /// Some statement breaks out of the acceptor's block.
    fallible: bool,
}

/// A compiled path: statements, then the value as an `Option<R>` expression.
pub(super) struct Compiled {
    /// Statements computing locals the value reads.
    pub stmts: Vec<TokenStream>,
    /// The value.
    pub value: TokenStream,
    /// Some statement may `break 'acceptor` (an evaluation error).
    pub fallible: bool,
}

impl<'a> Compiler<'a> {
    pub(super) fn new(service: &'a Service, op: &'a Operation) -> Self {
        Self {
            service,
            op,
            stmts: Vec::new(),
            next: 0,
            fallible: false,
        }
    }

    /// Compiles `path` with the output (or, for `inputOutput`, the
    /// `{input, output}` root) as the current value.
    pub(super) fn path(mut self, path: &Typed, input_output: bool) -> Compiled {
        self.next = 0;
        let cur = if input_output {
            Cur {
                val: Val::InputOutput,
                ty: JType::InputOutput,
                shared: true,
            }
        } else {
            // The root is the output: its type is that of the node reading it.
            Cur {
                val: Val::Ref(quote!(output)),
                ty: JType::Object(self.op.output.id.clone()),
                shared: true,
            }
        };
        let value = self.value(path, &cur);
        let value = self.opt(value);
        Compiled {
            stmts: self.stmts,
            value,
            fallible: self.fallible,
        }
    }

    fn fresh(&mut self, prefix: &str) -> Ident {
        let n = self.next;
        self.next += 1;
        format_ident!("{prefix}{n}")
    }

    /// `let vN = expr;`, and `vN`.
    fn bind(&mut self, expr: TokenStream) -> TokenStream {
        let v = self.fresh("v");
        self.stmts.push(quote!(let #v = #expr;));
        quote!(#v)
    }

    /// `let vN: Option<R> = expr;`, and `vN` (where the type cannot be inferred).
    fn bind_typed(&mut self, expr: TokenStream, ty: &JType) -> TokenStream {
        let v = self.fresh("v");
        let r = self.repr(ty);
        self.stmts.push(quote!(let #v: Option<#r> = #expr;));
        quote!(#v)
    }

    /// Statements compiled by `f`, taken apart from the current ones.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (Vec<TokenStream>, T) {
        let saved = std::mem::take(&mut self.stmts);
        let out = f(self);
        (std::mem::replace(&mut self.stmts, saved), out)
    }

    /// `let Some(x) = value else { break 'acceptor; };`, and `x`: a
    /// function given null is an evaluation error.
    fn require(&mut self, value: TokenStream) -> TokenStream {
        let x = self.fresh("x");
        self.fallible = true;
        self.stmts
            .push(quote!(let Some(#x) = #value else { break 'acceptor; };));
        quote!(#x)
    }

    /// The Rust type `R` of the representation of `ty`.
    fn repr(&self, ty: &JType) -> TokenStream {
        match ty {
            JType::Null | JType::InputOutput => quote!(()),
            JType::Bool => quote!(bool),
            JType::Number => quote!(f64),
            JType::String => quote!(&str),
            // The operation's input and output are in its module.
            JType::Object(id) if *id == self.op.input.id => {
                let t = &self.op.input.name;
                quote!(&#t)
            }
            JType::Object(id) if *id == self.op.output.id => {
                let t = &self.op.output.name;
                quote!(&#t)
            }
            JType::Object(id) => {
                let t = RustType::of(self.service, &Type::Named(id.clone()));
                quote!(&#t)
            }
            JType::List(e) => {
                let e = self.repr(e);
                quote!(Vec<Option<#e>>)
            }
            JType::Map(v) => {
                let v = self.repr(v);
                quote!(Vec<(&str, Option<#v>)>)
            }
        }
    }

    /// The current value, read once more.
    fn read_cur(&self, cur: &Cur) -> Val {
        match &cur.val {
            Val::Opt(v) if cur.shared && !cur.ty.is_copy() => Val::Opt(quote!(#v.clone())),
            other => other.clone(),
        }
    }

    /// `val` (of type `ty`) as an `Option<R>` expression.
    fn opt(&mut self, val: Val) -> TokenStream {
        match val {
            Val::Opt(o) => o,
            Val::Ref(r) => quote!(Some(#r)),
            // Only structure members stay places: a reference to it.
            Val::Place(p, boxed) => {
                let r = Read::Place(p, boxed).reference();
                quote!(Some(#r))
            }
            Val::InputOutput => quote!(None::<()>),
        }
    }

    /// Evaluates and drops `v` (a value an operation ignores once its type
    /// is known: its evaluation errors still count).
    fn discard(&mut self, v: &TokenStream) {
        self.stmts.push(quote!(let _ = #v;));
    }

    /// `val` bound to a local unless it already is a plain local.
    fn opt_local(&mut self, val: Val) -> TokenStream {
        let expr = self.opt(val);
        if syn::parse2::<syn::Ident>(expr.clone()).is_ok() {
            expr
        } else {
            self.bind(expr)
        }
    }

    fn value(&mut self, node: &Typed, cur: &Cur) -> Val {
        match &node.kind {
            Kind::Current => self.read_cur(cur),
            Kind::Root(Root::Input) => Val::Ref(quote!(input)),
            Kind::Root(Root::Output) => Val::Ref(quote!(output)),
            Kind::Field(access) => self.field(access, cur, &node.ty),
            Kind::Index(i) => {
                let list = self.read_cur(cur);
                let list = self.opt(list);
                let rt = rt();
                Val::Opt(self.bind(quote!(#rt::jmespath::index(#list, #i))))
            }
            Kind::Slice { start, stop, step } => {
                let list = self.read_cur(cur);
                let list = self.opt(list);
                let rt = rt();
                let part = |v: &Option<i64>| match v {
                    Some(v) => quote!(Some(#v)),
                    None => quote!(None),
                };
                let (start, stop, step) = (part(start), part(stop), part(step));
                Val::Opt(self.bind(quote!(#rt::jmespath::slice(#list, #start, #stop, #step))))
            }
            Kind::Then { first, then } => {
                let value = self.value(first, cur);
                let uses = then.reads_current();
                let val = match value {
                    // Member chains stay one expression when read once.
                    Val::Opt(o) if uses > 1 => Val::Opt(self.bind(o)),
                    other => other,
                };
                let next = Cur {
                    val,
                    ty: first.ty.clone(),
                    shared: uses > 1,
                };
                self.value(then, &next)
            }
            Kind::Project { list, each } => self.project(list, each, cur),
            Kind::Flatten(inner) => {
                let value = self.value(inner, cur);
                let nested = matches!(&inner.ty, JType::List(e) if matches!(**e, JType::List(_)));
                if nested {
                    let list = self.opt(value);
                    let rt = rt();
                    Val::Opt(self.bind(quote!(#rt::jmespath::flatten(#list))))
                } else {
                    value
                }
            }
            Kind::Values(inner) => {
                let value = self.value(inner, cur);
                // A local, never `Some(..).map(..)` (clippy's `unnecessary_map_on_constructor`).
                let map = self.opt_local(value);
                let rt = rt();
                Val::Opt(self.bind(quote!(#map.map(#rt::jmespath::values))))
            }
            Kind::Filter { test, then } => {
                let test = self.truth(test, cur);
                let (stmts, then_value) = self.nested(|c| {
                    let v = c.value(then, cur);
                    c.opt(v)
                });
                let then_block = block(stmts, then_value);
                Val::Opt(self.bind_typed(quote!(if #test #then_block else { None }), &node.ty))
            }
            Kind::Compare { op, lhs, rhs } => self.compare(*op, lhs, rhs, cur, &node.ty),
            Kind::And(a, b, test) | Kind::Or(a, b, test) => {
                let is_and = matches!(node.kind, Kind::And(..));
                let lhs = self.value(a, cur);
                let lhs = self.opt_local(lhs);
                let test = self.truth_of(&lhs, &a.ty, test);
                let (stmts, rhs) = self.nested(|c| {
                    let v = c.value(b, cur);
                    c.opt(v)
                });
                // A null-typed branch is `None` of the other's type.
                let lhs = if a.ty == JType::Null && node.ty != JType::Null {
                    quote!(None)
                } else {
                    lhs
                };
                let rhs = if b.ty == JType::Null && node.ty != JType::Null {
                    quote!({ let _ = #rhs; None })
                } else {
                    rhs
                };
                let rhs = block(stmts, rhs);
                let expr = if is_and {
                    quote!(if #test #rhs else { #lhs })
                } else {
                    quote!(if #test { #lhs } else #rhs)
                };
                Val::Opt(self.bind_typed(expr, &node.ty))
            }
            Kind::Truth(t) => {
                let t = self.truth(t, cur);
                Val::Opt(self.bind(quote!(Some(#t))))
            }
            Kind::Literal(l) => Val::Opt(self.literal(l, &node.ty)),
            Kind::List(items) => {
                let JType::List(element) = &node.ty else {
                    return Val::Opt(quote!(None::<()>));
                };
                let (stmts, values) = self.nested(|c| {
                    items
                        .iter()
                        .map(|item| {
                            let v = c.value(item, cur);
                            let v = c.opt(v);
                            if item.ty == JType::Null && **element != JType::Null {
                                quote!({ let _ = #v; None })
                            } else {
                                v
                            }
                        })
                        .collect::<Vec<_>>()
                });
                let list = quote!({ #(#stmts)* Some(vec![#(#values),*]) });
                match &cur.val {
                    // A multi-select list of null is null.
                    Val::Opt(c) => {
                        let c = c.clone();
                        Val::Opt(
                            self.bind_typed(quote!(if #c.is_some() #list else { None }), &node.ty),
                        )
                    }
                    _ => Val::Opt(self.bind_typed(list, &node.ty)),
                }
            }
            Kind::Call { function, args } => self.call(*function, args, cur, &node.ty),
            // Only `map` reads an expression reference, itself.
            Kind::ExpRef(_) => Val::Opt(quote!(None::<()>)),
        }
    }

    /// Reads member `access` of the current value.
    fn field(&mut self, access: &Access, cur: &Cur, ty: &JType) -> Val {
        let service = self.service;
        match access {
            Access::Member {
                field,
                optional,
                boxed,
                ty: member_ty,
                ..
            } => {
                // A structure member stays a place while the chain goes on.
                let keep_place = !optional && matches!(ty, JType::Object(_));
                match &cur.val {
                    Val::Ref(r) | Val::Place(r, _) => {
                        let place = quote!(#r.#field);
                        if keep_place {
                            Val::Place(place, *boxed)
                        } else if *optional {
                            Val::Opt(self.lift_option(&place, member_ty, *boxed))
                        } else {
                            Val::Opt(self.lift(&Read::Place(place, *boxed), member_ty).opt())
                        }
                    }
                    Val::Opt(o) => {
                        let v = self.fresh("o");
                        let place = quote!(#v.#field);
                        if *optional {
                            let inner = self.lift_option(&place, member_ty, *boxed);
                            Val::Opt(quote!(#o.and_then(|#v| #inner)))
                        } else {
                            match self.lift(&Read::Place(place, *boxed), member_ty) {
                                Lift::Some(x) => Val::Opt(quote!(#o.map(|#v| #x))),
                                Lift::Opt(x) => Val::Opt(quote!(#o.and_then(|#v| #x))),
                            }
                        }
                    }
                    Val::InputOutput => Val::Opt(quote!(None::<()>)),
                }
            }
            Access::Variant {
                union,
                variant,
                boxed,
                ty: member_ty,
            } => {
                let union_ty = RustType::of(service, &Type::Named(union.clone()));
                let x = self.fresh("x");
                let inner = self
                    .lift(
                        &if *boxed {
                            Read::Ref(quote!(&**#x))
                        } else {
                            Read::Ref(quote!(#x))
                        },
                        member_ty,
                    )
                    .opt();
                let arms = quote!(#union_ty::#variant(#x) => #inner, _ => None,);
                match &cur.val {
                    Val::Ref(r) => Val::Opt(quote!(match #r { #arms })),
                    Val::Place(p, true) => Val::Opt(quote!(match &*#p { #arms })),
                    Val::Place(p, false) => Val::Opt(quote!(match &#p { #arms })),
                    Val::Opt(o) => {
                        let u = self.fresh("u");
                        Val::Opt(quote!(#o.and_then(|#u| match #u { #arms })))
                    }
                    Val::InputOutput => Val::Opt(quote!(None::<()>)),
                }
            }
            Access::Key(key) => {
                let map = self.read_cur(cur);
                let map = self.opt(map);
                let map = if syn::parse2::<syn::Ident>(map.clone()).is_ok() {
                    map
                } else {
                    self.bind(map)
                };
                let rt = rt();
                Val::Opt(quote!(#rt::jmespath::get(&#map, #key)))
            }
        }
    }

    /// A model value of type `ty`, read through `read`, as its representation.
    fn lift(&mut self, read: &Read, ty: &Type) -> Lift {
        let rt = rt();
        match ty {
            Type::String => {
                let r = read.recv();
                Lift::Some(quote!(#r.as_str()))
            }
            Type::Bool => Lift::Some(read.copy()),
            Type::Byte | Type::Short | Type::Integer | Type::Float => {
                let v = read.copy();
                Lift::Some(quote!(f64::from(#v)))
            }
            Type::Double => Lift::Some(read.copy()),
            // Past 2^53 a long loses precision as a JMESPath number does.
            Type::Long => {
                let v = read.copy();
                Lift::Some(quote!(#v as f64))
            }
            Type::Timestamp(_) => {
                let r = read.recv();
                Lift::Some(quote!(#r.as_secs_f64()))
            }
            Type::BigInteger | Type::BigDecimal => {
                let r = read.recv();
                Lift::Opt(quote!(#r.as_str().parse::<f64>().ok()))
            }
            // The IR refuses paths that read blobs and documents.
            Type::Blob | Type::Document => Lift::Opt(quote!(None::<()>)),
            Type::Named(id) => match self.service.type_def(id) {
                Some(TypeDef::Enum(e)) if e.int => {
                    let r = read.recv();
                    Lift::Some(quote!(f64::from(#r.as_i32())))
                }
                Some(TypeDef::Enum(_)) => {
                    let r = read.recv();
                    Lift::Some(quote!(#r.as_str()))
                }
                _ => Lift::Some(read.reference()),
            },
            Type::List { member, sparse } => {
                let e = self.fresh("e");
                let r = read.recv();
                let element = if *sparse {
                    self.lift_option(&quote!((*#e)), member, false)
                } else {
                    match self.lift(&Read::Ref(quote!(#e)), member) {
                        // A reference to the element as it is.
                        Lift::Some(x) if e == x.to_string() => {
                            return Lift::Some(quote!(#r.iter().map(Some).collect::<Vec<_>>()))
                        }
                        other => other.opt(),
                    }
                };
                Lift::Some(quote!(#r.iter().map(|#e| #element).collect::<Vec<_>>()))
            }
            Type::Map { value, sparse, .. } => {
                let (k, v) = (self.fresh("k"), self.fresh("e"));
                let element = if *sparse {
                    self.lift_option(&quote!((*#v)), value, false)
                } else {
                    self.lift(&Read::Ref(quote!(#v)), value).opt()
                };
                let r = read.recv();
                Lift::Some(
                    quote!(#rt::jmespath::map(#r.iter().map(|(#k, #v)| (#k.as_str(), #element)))),
                )
            }
        }
    }

    /// A model value of type `Option<ty>` (boxed: `Option<Box<ty>>`) at
    /// place `place`, as an `Option<R>`.
    fn lift_option(&mut self, place: &TokenStream, ty: &Type, boxed: bool) -> TokenStream {
        match ty {
            Type::String => quote!(#place.as_deref()),
            Type::Bool | Type::Double => quote!(#place),
            Type::Byte | Type::Short | Type::Integer | Type::Float => {
                quote!(#place.map(f64::from))
            }
            Type::Named(id)
                if matches!(
                    self.service.type_def(id),
                    Some(TypeDef::Structure(_) | TypeDef::Union(_))
                ) =>
            {
                if boxed {
                    quote!(#place.as_deref())
                } else {
                    quote!(#place.as_ref())
                }
            }
            _ => {
                let x = self.fresh("x");
                match self.lift(&Read::Ref(quote!(#x)), ty) {
                    Lift::Some(v) => quote!(#place.as_ref().map(|#x| #v)),
                    Lift::Opt(v) => quote!(#place.as_ref().and_then(|#x| #v)),
                }
            }
        }
    }

    /// `each` on one element `e` (of type `element`) of a list, in a nested
    /// scope: its statements, its value (an `Option`) and the type inside.
    fn each_element(
        &mut self,
        each: &Typed,
        element: &JType,
        e: &Ident,
    ) -> (Vec<TokenStream>, TokenStream, TokenStream) {
        let each_cur = Cur {
            val: Val::Opt(quote!(#e)),
            ty: element.clone(),
            shared: each.reads_current() > 1,
        };
        let (stmts, value) = self.nested(|c| {
            let v = c.value(each, &each_cur);
            c.opt(v)
        });
        (stmts, value, self.repr(&each.ty))
    }

    /// `each` on every element of `list`, nulls dropped.
    fn project(&mut self, list: &Typed, each: &Typed, cur: &Cur) -> Val {
        let rt = rt();
        let value = self.value(list, cur);
        let list_value = self.opt_local(value);
        let JType::List(element) = &list.ty else {
            return Val::Opt(quote!(None::<()>));
        };
        if each.kind == Kind::Current {
            return Val::Opt(self.bind(quote!(#rt::jmespath::compact(#list_value))));
        }
        let (e, items, out, x) = (
            self.fresh("e"),
            self.fresh("items"),
            self.fresh("v"),
            self.fresh("x"),
        );
        let (stmts, value, r) = self.each_element(each, element, &e);
        let out_ty = self.repr(&JType::List(Box::new(each.ty.clone())));
        self.stmts.push(quote! {
            let mut #out: Option<#out_ty> = None;
            if let Some(list) = #list_value {
                let mut #items: Vec<Option<#r>> = Vec::new();
                for #e in list {
                    #(#stmts)*
                    if let Some(#x) = #value {
                        #items.push(Some(#x));
                    }
                }
                #out = Some(#items);
            }
        });
        Val::Opt(quote!(#out))
    }

    /// `lhs == rhs` or `lhs != rhs` as a `bool`.
    fn compare_test(&mut self, op: Comparator, lhs: &Typed, rhs: &Typed, cur: &Cur) -> TokenStream {
        let a = self.value(lhs, cur);
        let a = self.opt_local(a);
        let b = self.value(rhs, cur);
        let b = self.opt_local(b);
        let eq = self.equal(&a, &b, &lhs.ty, &rhs.ty);
        if op == Comparator::Ne {
            // `!t`, not `!(a == b)` (clippy's `nonminimal_bool`).
            let t = self.fresh("t");
            self.stmts.push(quote!(let #t = #eq;));
            quote!(!#t)
        } else {
            eq
        }
    }

    fn compare(&mut self, op: Comparator, lhs: &Typed, rhs: &Typed, cur: &Cur, ty: &JType) -> Val {
        let rt = rt();
        if matches!(op, Comparator::Eq | Comparator::Ne) {
            let test = self.compare_test(op, lhs, rhs, cur);
            return Val::Opt(self.bind(quote!(Some(#test))));
        }
        let a = self.value(lhs, cur);
        let a = self.opt_local(a);
        let b = self.value(rhs, cur);
        let b = self.opt_local(b);
        match op {
            _ if *ty == JType::Null => {
                // Ordering anything but two numbers is null; the operands
                // were still evaluated (an error in them still counts).
                self.stmts.push(quote!(let _ = (#a, #b);));
                Val::Opt(quote!(None::<()>))
            }
            Comparator::Lt => Val::Opt(quote!(#rt::jmespath::lt(#a, #b))),
            Comparator::Le => Val::Opt(quote!(#rt::jmespath::le(#a, #b))),
            Comparator::Gt => Val::Opt(quote!(#rt::jmespath::gt(#a, #b))),
            _ => Val::Opt(quote!(#rt::jmespath::ge(#a, #b))),
        }
    }

    /// Deep equality of the `Option<R>` locals `a` and `b`, as a `bool`.
    fn equal(&self, a: &TokenStream, b: &TokenStream, ta: &JType, tb: &JType) -> TokenStream {
        let rt = rt();
        match (ta, tb) {
            (JType::List(x), JType::List(y)) if x != y => {
                let f = self.element_equal(x, y);
                quote!(#rt::jmespath::list_eq(&#a, &#b, #f))
            }
            (JType::Map(x), JType::Map(y)) if x != y => {
                let f = self.element_equal(x, y);
                quote!(#rt::jmespath::map_eq(&#a, &#b, #f))
            }
            _ if ta == tb => quote!(#a == #b),
            // Values of different types are equal only when both are null.
            _ => quote!(#a.is_none() && #b.is_none()),
        }
    }

    /// A closure comparing `&Option<Ra>` with `&Option<Rb>`.
    fn element_equal(&self, ta: &JType, tb: &JType) -> TokenStream {
        let rt = rt();
        match (ta, tb) {
            (JType::List(x), JType::List(y)) if x != y => {
                let f = self.element_equal(x, y);
                quote!(|a, b| #rt::jmespath::list_eq(a, b, #f))
            }
            (JType::Map(x), JType::Map(y)) if x != y => {
                let f = self.element_equal(x, y);
                quote!(|a, b| #rt::jmespath::map_eq(a, b, #f))
            }
            _ if ta == tb => quote!(|a, b| a == b),
            _ => quote!(|a, b| a.is_none() && b.is_none()),
        }
    }

    /// A truth test as a `bool` expression.
    fn truth(&mut self, t: &Truth, cur: &Cur) -> TokenStream {
        match t {
            // A comparison is a boolean never null: its truth is itself.
            Truth::Of(
                Typed {
                    kind: Kind::Compare { op, lhs, rhs },
                    ty: JType::Bool,
                },
                _,
            ) if matches!(op, Comparator::Eq | Comparator::Ne) => {
                let test = self.compare_test(*op, lhs, rhs, cur);
                let t = self.fresh("t");
                self.stmts.push(quote!(let #t = #test;));
                quote!(#t)
            }
            Truth::Of(value, test) => {
                let v = self.value(value, cur);
                let v = self.opt_local(v);
                self.truth_of(&v, &value.ty, test)
            }
            Truth::Not(inner) => {
                let inner = self.truth(inner, cur);
                // Negate a local, never an expression (clippy's `nonminimal_bool`).
                let inner = if syn::parse2::<syn::Ident>(inner.clone()).is_ok() {
                    inner
                } else {
                    let t = self.fresh("t");
                    self.stmts.push(quote!(let #t = #inner;));
                    quote!(#t)
                };
                let t = self.fresh("t");
                self.stmts.push(quote!(let #t = !#inner;));
                quote!(#t)
            }
            Truth::And(a, b) | Truth::Or(a, b) => {
                let is_and = matches!(t, Truth::And(..));
                let a = self.truth(a, cur);
                // The second test runs only when the first does not decide.
                let (stmts, b) = self.nested(|c| c.truth(b, cur));
                let b = if stmts.is_empty() { b } else { block(stmts, b) };
                let t = self.fresh("t");
                if is_and {
                    self.stmts.push(quote!(let #t = #a && #b;));
                } else {
                    self.stmts.push(quote!(let #t = #a || #b;));
                }
                quote!(#t)
            }
        }
    }

    /// Whether the local `v` (of type `ty`) is truthy.
    fn truth_of(&self, v: &TokenStream, ty: &JType, test: &TruthTest) -> TokenStream {
        let rt = rt();
        match (ty, test) {
            (
                JType::Object(_),
                TruthTest::Structure {
                    always: false,
                    optional,
                },
            ) => {
                if optional.is_empty() {
                    // A structure without members is `{}`: falsy.
                    quote!(#rt::jmespath::never(&#v))
                } else {
                    quote!(#v.is_some_and(|s| #(s.#optional.is_some())||*))
                }
            }
            (JType::Object(_), _) => quote!(#v.is_some()),
            _ => quote!(#rt::jmespath::truthy(&#v)),
        }
    }

    fn literal(&self, l: &Literal, ty: &JType) -> TokenStream {
        match (l, ty) {
            (Literal::Null, JType::Null) => quote!(None::<()>),
            (Literal::Null, _) => {
                let r = self.repr(ty);
                quote!(None::<#r>)
            }
            (Literal::Bool(b), _) => quote!(Some(#b)),
            (Literal::Number(n), _) => {
                let magnitude = proc_macro2::Literal::f64_suffixed(n.abs());
                if *n < 0.0 {
                    quote!(Some(-#magnitude))
                } else {
                    quote!(Some(#magnitude))
                }
            }
            (Literal::String(s), _) => quote!(Some(#s)),
            (Literal::List(items), JType::List(element)) => {
                let items = items.iter().map(|i| self.literal(i, element));
                let r = self.repr(element);
                quote!(Some(::std::vec::Vec::<Option<#r>>::from([#(#items),*])))
            }
            (Literal::List(_), _) => quote!(None::<()>),
        }
    }

    fn call(&mut self, function: Function, args: &[Typed], cur: &Cur, ty: &JType) -> Val {
        let rt = rt();
        if function == Function::Map {
            return self.map(args, cur, ty);
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            let v = self.value(arg, cur);
            values.push(self.opt_local(v));
        }
        let t = |i: usize| &args[i].ty;
        let out = match function {
            Function::Length => {
                let x = self.require(values[0].clone());
                match t(0) {
                    JType::String => quote!(Some(#rt::jmespath::str_length(#x))),
                    _ => quote!(Some(#x.len() as f64)),
                }
            }
            Function::Contains => {
                let subject = self.require(values[0].clone());
                let search = &values[1];
                match (t(0), t(1)) {
                    (JType::String, JType::String) => {
                        quote!(Some(#search.is_some_and(|n| #subject.contains(n))))
                    }
                    (JType::String, _) => {
                        self.discard(search);
                        quote!(Some(false))
                    }
                    (JType::List(e), s) => {
                        let eq = self.element_equal(e, s);
                        quote!(Some(#rt::jmespath::contains(&#subject, &#search, #eq)))
                    }
                    _ => quote!(None::<bool>),
                }
            }
            Function::StartsWith | Function::EndsWith => {
                let s = self.require(values[0].clone());
                let p = self.require(values[1].clone());
                if function == Function::StartsWith {
                    quote!(Some(#s.starts_with(#p)))
                } else {
                    quote!(Some(#s.ends_with(#p)))
                }
            }
            Function::Abs | Function::Ceil | Function::Floor => {
                let x = self.require(values[0].clone());
                let method = match function {
                    Function::Abs => quote!(abs),
                    Function::Ceil => quote!(ceil),
                    _ => quote!(floor),
                };
                quote!(Some(#x.#method()))
            }
            Function::Sum | Function::Avg | Function::Max | Function::Min | Function::Sort => {
                let list = self.require(values[0].clone());
                let f = match function {
                    Function::Sum => quote!(sum),
                    Function::Avg => quote!(avg),
                    Function::Max => quote!(max),
                    Function::Min => quote!(min),
                    _ => quote!(sort),
                };
                // `None`: an element is not a number (or string): an error.
                let result = self.require(quote!(#rt::jmespath::#f(#list)));
                match function {
                    Function::Sum | Function::Sort => quote!(Some(#result)),
                    _ => quote!(#result),
                }
            }
            Function::Reverse => {
                let list = self.require(values[0].clone());
                quote!(Some(#rt::jmespath::reversed(#list)))
            }
            Function::Keys => {
                let map = self.require(values[0].clone());
                quote!(Some(#rt::jmespath::keys(&#map)))
            }
            Function::Values => {
                let map = self.require(values[0].clone());
                quote!(Some(#rt::jmespath::values(#map)))
            }
            Function::NotNull => {
                let mut present = Vec::new();
                for (v, a) in values.iter().zip(args) {
                    if a.ty == JType::Null {
                        self.discard(v);
                    } else {
                        present.push(v.clone());
                    }
                }
                match present.split_first() {
                    None => quote!(None::<()>),
                    Some((first, rest)) => quote!(#first #(.or(#rest))*),
                }
            }
            Function::Type => {
                let name = match t(0) {
                    JType::Null => "null",
                    JType::Bool => "boolean",
                    JType::Number => "number",
                    JType::String => "string",
                    JType::List(_) => "array",
                    JType::Object(_) | JType::Map(_) | JType::InputOutput => "object",
                };
                let v = &values[0];
                quote!(Some(if #v.is_some() { #name } else { "null" }))
            }
            Function::ToNumber => {
                let v = &values[0];
                match t(0) {
                    JType::Number => quote!(#v),
                    JType::String => quote!(#v.and_then(#rt::jmespath::to_number)),
                    _ => {
                        let v = v.clone();
                        self.discard(&v);
                        quote!(None::<f64>)
                    }
                }
            }
            Function::ToArray => {
                let v = &values[0];
                match t(0) {
                    JType::List(_) => quote!(#v),
                    _ => quote!(Some(vec![#v])),
                }
            }
            Function::Map => quote!(None::<()>),
        };
        Val::Opt(self.bind_typed(out, ty))
    }

    /// `map(&each, list)`: `each` on every element, nulls kept.
    fn map(&mut self, args: &[Typed], cur: &Cur, ty: &JType) -> Val {
        let (Some(Kind::ExpRef(each)), Some(list)) = (args.first().map(|a| &a.kind), args.get(1))
        else {
            return Val::Opt(quote!(None::<()>));
        };
        let JType::List(element) = &list.ty else {
            return Val::Opt(quote!(None::<()>));
        };
        let value = self.value(list, cur);
        let value = self.opt_local(value);
        let list_local = self.require(value);
        let (e, items) = (self.fresh("e"), self.fresh("items"));
        let (stmts, value, r) = self.each_element(each, element, &e);
        self.stmts.push(quote! {
            let mut #items: Vec<Option<#r>> = Vec::new();
            for #e in #list_local {
                #(#stmts)*
                #items.push(#value);
            }
        });
        Val::Opt(self.bind_typed(quote!(Some(#items)), ty))
    }
}

/// `{ stmts value }`, with a last `let value = expr;` folded into `expr`
/// (clippy's `let_and_return`).
fn block(mut stmts: Vec<TokenStream>, value: TokenStream) -> TokenStream {
    let head = format!("let {value} = ");
    let folded = stmts.last().and_then(|last| {
        let text = last.to_string();
        let expr = text.strip_prefix(&head)?.trim_end().strip_suffix(';')?;
        expr.parse::<TokenStream>().ok()
    });
    match folded {
        Some(expr) => {
            stmts.pop();
            quote!({ #(#stmts)* #expr })
        }
        None => quote!({ #(#stmts)* #value }),
    }
}

