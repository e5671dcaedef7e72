//! A plain-text listing of a service's Rust API, one line per member.
//!
//! This is what the full-model snapshot holds: when a model update changes
//! the API, its snapshot diff reads like a changelog (a member added, a type
//! changed, an operation gone), while the generated code itself is guarded
//! by `cargo xtask codegen --check`.

use crate::ir::{Field, Role, Service, Structure, Type, TypeDef};
use crate::model::EnumLiteral;
use std::fmt::Write;

fn type_text(service: &Service, ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Bool => "bool".into(),
        Type::Byte => "i8".into(),
        Type::Short => "i16".into(),
        Type::Integer => "i32".into(),
        Type::Long => "i64".into(),
        Type::Float => "f32".into(),
        Type::Double => "f64".into(),
        Type::BigInteger => "BigInteger".into(),
        Type::BigDecimal => "BigDecimal".into(),
        Type::Timestamp(f) => format!("DateTime<{f:?}>"),
        Type::Blob => "Blob".into(),
        Type::Document => "Document".into(),
        Type::Unit => "()".into(),
        Type::Named(id) => service
            .type_def(id)
            .map_or_else(|| id.name().to_owned(), |d| d.name().to_owned()),
        Type::List { member, sparse } => {
            let m = type_text(service, member);
            if *sparse {
                format!("Vec<Option<{m}>>")
            } else {
                format!("Vec<{m}>")
            }
        }
        Type::Map { key, value, sparse } => {
            let (k, v) = (type_text(service, key), type_text(service, value));
            if *sparse {
                format!("BTreeMap<{k}, Option<{v}>>")
            } else {
                format!("BTreeMap<{k}, {v}>")
            }
        }
    }
}

fn field_line(service: &Service, f: &Field) -> String {
    let mut t = type_text(service, &f.ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    if f.optional {
        t = format!("Option<{t}>");
    }
    let mut flags = Vec::new();
    if f.required {
        flags.push("required".to_owned());
    }
    if let Some(d) = &f.default {
        flags.push(format!("default {d}"));
    }
    if f.sensitive {
        flags.push("sensitive".to_owned());
    }
    if f.idempotency_token {
        flags.push("idempotency token".to_owned());
    }
    if f.deprecated.is_some() {
        flags.push("deprecated".to_owned());
    }
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", flags.join(", "))
    };
    format!("{}: {t}{flags}", f.member)
}

fn structure(out: &mut String, service: &Service, s: &Structure, indent: &str) {
    let mut flags = Vec::new();
    if s.sensitive {
        flags.push("sensitive");
    }
    if s.deprecated.is_some() {
        flags.push("deprecated");
    }
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", flags.join(", "))
    };
    let _ = writeln!(out, "{indent}struct {}{flags}", s.name);
    for f in &s.fields {
        let _ = writeln!(out, "{indent}  {}", field_line(service, f));
    }
}

/// The listing for `service`.
pub fn summary(service: &Service) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "service {} \"{}\" (sdkId {}, {:?}, signing name {}, version {})",
        service.id,
        service.title,
        service.sdk_id,
        service.protocol,
        service.signing_name,
        service.version
    );
    let _ = writeln!(out, "\n{} operations", service.operations.len());
    for op in &service.operations {
        let dep = if op.deprecated.is_some() {
            "  [deprecated]"
        } else {
            ""
        };
        let _ = writeln!(out, "\noperation {} -> {}(){dep}", op.name, op.method);
        structure(&mut out, service, &op.input, "  ");
        structure(&mut out, service, &op.output, "  ");
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|e| {
                service
                    .type_def(e)
                    .map_or_else(|| e.name().to_owned(), |d| d.name().to_owned())
            })
            .collect();
        if !errors.is_empty() {
            let _ = writeln!(out, "  errors: {}", errors.join(", "));
        }
        if let Some(p) = &op.paginated {
            let _ = writeln!(
                out,
                "  paginated: {} -> {}, items {}, page size {}",
                p.input_token,
                p.output_token,
                p.items.as_deref().unwrap_or("-"),
                p.page_size.as_deref().unwrap_or("-")
            );
        }
        if let Some(w) = op.waiters.as_ref().and_then(|w| w.as_object()) {
            let names: Vec<&str> = w.keys().map(String::as_str).collect();
            let _ = writeln!(out, "  waiters: {}", names.join(", "));
        }
    }
    let _ = writeln!(out, "\n{} types", service.types.len());
    for def in service.types.values() {
        match def {
            TypeDef::Structure(s) if s.role == Role::Error => {
                if let Some(e) = &s.error {
                    let _ = writeln!(
                        out,
                        "\nerror ({} fault{}{})",
                        e.fault,
                        e.http_status
                            .map(|s| format!(", HTTP {s}"))
                            .unwrap_or_default(),
                        match e.retryable {
                            Some(true) => ", retryable throttling",
                            Some(false) => ", retryable",
                            None => "",
                        }
                    );
                }
                structure(&mut out, service, s, "");
            }
            TypeDef::Structure(s) => {
                out.push('\n');
                structure(&mut out, service, s, "");
            }
            TypeDef::Union(u) => {
                let _ = writeln!(
                    out,
                    "\nunion {}{}",
                    u.name,
                    if u.sensitive { "  [sensitive]" } else { "" }
                );
                for v in &u.variants {
                    let t = if v.ty == Type::Unit {
                        String::new()
                    } else {
                        format!("({})", type_text(service, &v.ty))
                    };
                    let _ = writeln!(out, "  {} (\"{}\"){t}", v.name, v.member);
                }
            }
            TypeDef::Enum(e) => {
                let kind = if e.int { "intEnum" } else { "enum" };
                let _ = writeln!(
                    out,
                    "\n{kind} {}{}",
                    e.name,
                    if e.sensitive { "  [sensitive]" } else { "" }
                );
                for v in &e.variants {
                    let value = match &v.value {
                        EnumLiteral::String(s) => format!("\"{s}\""),
                        EnumLiteral::Int(i) => i.to_string(),
                    };
                    let dep = if v.deprecated.is_some() {
                        "  [deprecated]"
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "  {} = {value}{dep}", v.name);
                }
            }
        }
    }
    out
}
