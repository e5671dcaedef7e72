//! A plain-text listing of a service's Rust API, one line per member.
//!
//! This is what the full-model snapshot holds: when a model update changes
//! the API, its snapshot diff reads like a changelog (a member added, a type
//! changed, an operation gone), while the generated code itself is guarded
//! by `cargo xtask codegen --check`.

use crate::emit::rust::RustType;
use crate::ir::{Field, Presence, Role, Service, Structure, TypeDef};
use crate::model::EnumLiteral;
use std::fmt::Write;

fn field_line(service: &Service, f: &Field) -> String {
    let t = RustType::field(service, f);
    let mut flags = Vec::new();
    match &f.presence {
        Presence::Required | Presence::RequiredInput => flags.push("required".to_owned()),
        Presence::Default(d) => flags.push(format!("default {d}")),
        Presence::Optional | Presence::IdempotencyToken => {}
    }
    if f.sensitive {
        flags.push("sensitive".to_owned());
    }
    if f.presence == Presence::IdempotencyToken {
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
        let errors: Vec<String> = op.errors.iter().map(|e| e.ty.to_string()).collect();
        if !errors.is_empty() {
            let _ = writeln!(out, "  errors: {}", errors.join(", "));
        }
        if let Some(p) = &op.paginated {
            let _ = writeln!(
                out,
                "  paginated: {} -> {}, items {}, page size {}",
                p.input_token.member,
                p.output_token_path,
                p.items_path.as_deref().unwrap_or("-"),
                p.page_size.as_ref().map_or("-", |s| s.member.as_str())
            );
        }
        if !op.waiters.is_empty() {
            let names: Vec<&str> = op.waiters.iter().map(|w| w.name.as_str()).collect();
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
                        e.fault.as_str(),
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
                    let t = match &v.ty {
                        None => String::new(),
                        Some(ty) => format!("({})", RustType::of(service, ty)),
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
