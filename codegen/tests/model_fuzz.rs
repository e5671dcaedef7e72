//! No model makes the generator panic: mutations of the fixture models
//! (JSON AST: members deleted or retargeted, shape types changed, trait
//! values corrupted or added, references broken, required keys dropped,
//! members retargeted to chains of up to 300 new lists, maps, structures
//! or unions;
//! IDL: lines deleted and repeated, words swapped, IDL pieces put in,
//! bytes cut) go through the whole pipeline — load, IR build, emission of
//! the crate and all its tests, into memory — and give generated files or
//! an error that names where (`file:line:column`, a shape id, or the file
//! for the model as a whole). The output is not compiled.
//!
//! A few dozen cases under `cargo test`; set `PROPTEST_CASES` for a long
//! campaign (`PROPTEST_CASES=2000 cargo test -p codegen --test model_fuzz`).
//! A stack overflow aborts the process before proptest can report the
//! input: set `MODEL_FUZZ_LAST` to a directory and each case is written
//! there (`json.json`, `idl.smithy`) before it runs, so the file left
//! holds the input that aborted.

mod common;

use codegen::Model;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

const JSON_SOURCE: &str = "fuzz.json";
const IDL_SOURCE: &str = "fuzz.smithy";

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Everything the project generates from a model: the crate, its
/// per-operation and response tests, and its conformance tests.
fn options() -> codegen::Options {
    codegen::Options {
        crate_name: Some("fixture-fuzz".to_owned()),
        test_support_crate: Some("workspace_tests".to_owned()),
        protocol_tests: true,
        ..codegen::Options::default()
    }
}

/// Whether `text` holds a shape id (`namespace#Name`, maybe `$member`).
fn has_shape_id(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "`'\"(),;[]{}".contains(c))
        .any(|word| {
            let word = word.trim_end_matches([':', '.']);
            word.split_once('#').is_some_and(|(ns, name)| {
                !ns.is_empty()
                    && !name.is_empty()
                    && ns
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                    && name
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
            })
        })
}

/// An error names where: `file:line:column`, a shape id, or the file for
/// what concerns the model as a whole (its root, no service, several
/// services).
fn located(message: &str, source: &str) -> bool {
    if has_shape_id(message) {
        return true;
    }
    let Some(rest) = message
        .strip_prefix(source)
        .and_then(|r| r.strip_prefix(':'))
    else {
        return false;
    };
    let line_column = rest
        .splitn(3, ':')
        .take(2)
        .all(|n| n.trim().parse::<u32>().is_ok_and(|n| n > 0));
    line_column
        || rest.contains("shape `(root)`")
        || rest.contains("the model has no service shape")
}

/// Writes the input about to run to `$MODEL_FUZZ_LAST/<file>`, if set.
fn keep(file: &str, input: &str) {
    if let Some(dir) = std::env::var_os("MODEL_FUZZ_LAST") {
        let path = std::path::Path::new(&dir).join(file);
        std::fs::write(&path, input).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// Runs the whole pipeline on a loaded (or refused) model.
fn check(
    loaded: Result<Model, codegen::Error>,
    source: &str,
    input: &str,
) -> Result<(), TestCaseError> {
    let result = loaded.and_then(|model| codegen::generate(&model, None, &options()));
    if let Err(e) = result {
        let message = e.to_string();
        prop_assert!(
            located(&message, source),
            "not located: {message}\n--- input ---\n{input}"
        );
    }
    Ok(())
}

/// The JSON AST fixtures.
fn json_seeds() -> Vec<Value> {
    let mut names: Vec<_> = std::fs::read_dir(common::fixture(""))
        .expect("the fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.push(common::fixture("idl/mixins.json"));
    names.sort();
    names
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("a fixture");
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

/// The IDL fixtures that load alone.
fn idl_seeds() -> Vec<String> {
    ["features.smithy", "resources.smithy", "unions.smithy"]
        .iter()
        .map(|name| std::fs::read_to_string(common::fixture(name)).expect("a fixture"))
        .collect()
}

/// Shape types, valid and not.
const SHAPE_TYPES: &[&str] = &[
    "structure",
    "union",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "string",
    "integer",
    "long",
    "timestamp",
    "blob",
    "document",
    "boolean",
    "bigDecimal",
    "operation",
    "service",
    "resource",
    "apply",
    "bogus",
];

/// Targets that exist (the prelude) or not, or are not values.
const TARGETS: &[&str] = &[
    "smithy.api#String",
    "smithy.api#Unit",
    "smithy.api#Document",
    "smithy.api#Timestamp",
    "smithy.api#PrimitiveInteger",
    "smithy.api#Nope",
    "x#Missing",
    "",
    "#",
    "no-namespace",
];

/// Traits the generator reads, and a few it does not.
const TRAITS: &[&str] = &[
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#retryable",
    "smithy.api#paginated",
    "smithy.api#timestampFormat",
    "smithy.api#sparse",
    "smithy.api#streaming",
    "smithy.api#sensitive",
    "smithy.api#enumValue",
    "smithy.api#idempotencyToken",
    "smithy.api#documentation",
    "smithy.api#deprecated",
    "smithy.api#title",
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#clientOptional",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#uniqueItems",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#unitType",
    "smithy.api#requestCompression",
    "smithy.waiters#waitable",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#clientContextParams",
    "smithy.test#httpRequestTests",
    "smithy.test#httpResponseTests",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.protocols#awsQueryCompatible",
    "aws.api#service",
    "aws.api#clientDiscoveredEndpoint",
    "aws.auth#sigv4",
    "x.y#unknown",
];

/// Keys shapes and members hold.
const KEYS: &[&str] = &[
    "type",
    "target",
    "member",
    "key",
    "value",
    "members",
    "traits",
    "input",
    "output",
    "errors",
    "operations",
    "resources",
    "identifiers",
    "version",
    "read",
    "list",
    "create",
    "mixins",
];

/// Small JSON values of every kind, with the words trait values use.
fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(1.5)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(u64::MAX)),
        prop::sample::select(vec![
            "",
            "x",
            "client",
            "server",
            "date-time",
            "epoch-seconds",
            "http-date",
            "gzip",
            "nextToken",
            "items",
            "a.b",
            "a[0]",
            "{x}.",
            "smithy.api#String",
            "x#Missing",
            "1.0",
            "2.0",
            "https://{Region}.x",
            "é",
        ])
        .prop_map(|s| json!(s)),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "target",
                        "min",
                        "max",
                        "items",
                        "inputToken",
                        "outputToken",
                        "pageSize",
                        "acceptors",
                        "state",
                        "matcher",
                        "version",
                        "parameters",
                        "rules",
                        "type",
                        "documentation",
                        "name",
                        "sdkId",
                        "x",
                    ]),
                    inner
                ),
                0..4
            )
            .prop_map(|entries| Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect()
            )),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    DeleteMember {
        shape: Index,
        member: Index,
    },
    Retarget {
        shape: Index,
        member: Index,
        target: Index,
        to_model_shape: bool,
    },
    ChangeType {
        shape: Index,
        to: &'static str,
    },
    SetTrait {
        shape: Index,
        member: Option<Index>,
        id: &'static str,
        value: Value,
    },
    CorruptTrait {
        shape: Index,
        member: Option<Index>,
        which: Index,
        value: Value,
    },
    SetKey {
        shape: Index,
        key: &'static str,
        target: Index,
        to_model_shape: bool,
    },
    DropKey {
        shape: Index,
        member: Option<Index>,
        which: Index,
    },
    DeleteShape {
        shape: Index,
    },
    Version {
        to: Value,
    },
    /// A member retargeted to a chain of `len` new shapes of one kind
    /// leading to its old target: deep nesting, legal (structures,
    /// unions) or past a limit (lists and maps).
    Deepen {
        shape: Index,
        member: Index,
        kind: &'static str,
        len: usize,
    },
}

/// What [`Mutation::Deepen`] chains: lists, maps, structures, unions, and
/// structures whose link is `@required`.
const DEEP_KINDS: &[&str] = &["list", "map", "structure", "union", "required"];

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = || any::<Index>();
    prop_oneof![
        (index(), index()).prop_map(|(shape, member)| Mutation::DeleteMember { shape, member }),
        (index(), index(), index(), any::<bool>()).prop_map(|(shape, member, target, m)| {
            Mutation::Retarget {
                shape,
                member,
                target,
                to_model_shape: m,
            }
        }),
        (index(), prop::sample::select(SHAPE_TYPES))
            .prop_map(|(shape, to)| Mutation::ChangeType { shape, to }),
        (
            index(),
            prop::option::of(index()),
            prop::sample::select(TRAITS),
            junk()
        )
            .prop_map(|(shape, member, id, value)| Mutation::SetTrait {
                shape,
                member,
                id,
                value
            }),
        (index(), prop::option::of(index()), index(), junk()).prop_map(
            |(shape, member, which, value)| Mutation::CorruptTrait {
                shape,
                member,
                which,
                value
            }
        ),
        (index(), prop::sample::select(KEYS), index(), any::<bool>()).prop_map(
            |(shape, key, target, m)| Mutation::SetKey {
                shape,
                key,
                target,
                to_model_shape: m
            }
        ),
        (index(), prop::option::of(index()), index()).prop_map(|(shape, member, which)| {
            Mutation::DropKey {
                shape,
                member,
                which,
            }
        }),
        index().prop_map(|shape| Mutation::DeleteShape { shape }),
        junk().prop_map(|to| Mutation::Version { to }),
        (
            index(),
            index(),
            prop::sample::select(DEEP_KINDS),
            prop_oneof![1..8usize, 28..40usize, 100..300usize]
        )
            .prop_map(|(shape, member, kind, len)| Mutation::Deepen {
                shape,
                member,
                kind,
                len
            }),
    ]
}

fn shapes(model: &mut Value) -> Option<&mut Map<String, Value>> {
    model.get_mut("shapes")?.as_object_mut()
}

/// The shape ids of the model.
fn ids(model: &Value) -> Vec<String> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

/// The `index`th shape (an object), if any.
fn shape<'a>(model: &'a mut Value, index: &Index) -> Option<&'a mut Map<String, Value>> {
    let shapes = shapes(model)?;
    if shapes.is_empty() {
        return None;
    }
    let i = index.index(shapes.len());
    shapes.values_mut().nth(i)?.as_object_mut()
}

/// The members map of a shape (`members`, or `member`/`key`/`value` as one).
fn member<'a>(
    shape: &'a mut Map<String, Value>,
    index: &Index,
) -> Option<&'a mut Map<String, Value>> {
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        if members.is_empty() {
            return None;
        }
        let i = index.index(members.len());
        return shape
            .get_mut("members")?
            .as_object_mut()?
            .values_mut()
            .nth(i)?
            .as_object_mut();
    }
    let key = ["member", "key", "value"][index.index(3)];
    shape.get_mut(key)?.as_object_mut()
}

fn target(ids: &[String], index: &Index, to_model_shape: bool) -> String {
    if to_model_shape && !ids.is_empty() {
        ids[index.index(ids.len())].clone()
    } else {
        TARGETS[index.index(TARGETS.len())].to_owned()
    }
}

fn apply(model: &mut Value, m: &Mutation) {
    let ids = ids(model);
    match m {
        Mutation::DeleteMember {
            shape: s,
            member: i,
        } => {
            if let Some(members) = shape(model, s)
                .and_then(|s| s.get_mut("members"))
                .and_then(Value::as_object_mut)
            {
                if !members.is_empty() {
                    let key = members.keys().nth(i.index(members.len())).cloned();
                    if let Some(key) = key {
                        members.remove(&key);
                    }
                }
            }
        }
        Mutation::Retarget {
            shape: s,
            member: i,
            target: t,
            to_model_shape,
        } => {
            if let Some(member) = shape(model, s).and_then(|s| member(s, i)) {
                member.insert("target".to_owned(), json!(target(&ids, t, *to_model_shape)));
            }
        }
        Mutation::ChangeType { shape: s, to } => {
            if let Some(shape) = shape(model, s) {
                shape.insert("type".to_owned(), json!(to));
            }
        }
        Mutation::SetTrait {
            shape: s,
            member: i,
            id,
            value,
        } => {
            let Some(shape) = shape(model, s) else { return };
            let holder = match i {
                Some(i) => match member(shape, i) {
                    Some(m) => m,
                    None => return,
                },
                None => shape,
            };
            let traits = holder.entry("traits").or_insert_with(|| json!({}));
            if let Some(traits) = traits.as_object_mut() {
                traits.insert((*id).to_owned(), value.clone());
            }
        }
        Mutation::CorruptTrait {
            shape: s,
            member: i,
            which,
            value,
        } => {
            let Some(shape) = shape(model, s) else { return };
            let holder = match i {
                Some(i) => match member(shape, i) {
                    Some(m) => m,
                    None => return,
                },
                None => shape,
            };
            if let Some(traits) = holder.get_mut("traits").and_then(Value::as_object_mut) {
                if !traits.is_empty() {
                    let i = which.index(traits.len());
                    if let Some(v) = traits.values_mut().nth(i) {
                        *v = value.clone();
                    }
                }
            }
        }
        Mutation::SetKey {
            shape: s,
            key,
            target: t,
            to_model_shape,
        } => {
            let reference = json!({ "target": target(&ids, t, *to_model_shape) });
            let Some(shape) = shape(model, s) else { return };
            let value = match *key {
                "errors" | "operations" | "resources" | "mixins" => json!([reference]),
                "members" | "identifiers" => json!({ "m": reference }),
                "type" | "version" => reference["target"].clone(),
                _ => reference,
            };
            shape.insert((*key).to_owned(), value);
        }
        Mutation::DropKey {
            shape: s,
            member: i,
            which,
        } => {
            let Some(shape) = shape(model, s) else { return };
            let holder = match i {
                Some(i) => match member(shape, i) {
                    Some(m) => m,
                    None => return,
                },
                None => shape,
            };
            if !holder.is_empty() {
                let key = holder.keys().nth(which.index(holder.len())).cloned();
                if let Some(key) = key {
                    holder.remove(&key);
                }
            }
        }
        Mutation::DeleteShape { shape: s } => {
            if let Some(shapes) = shapes(model) {
                if !shapes.is_empty() {
                    let key = shapes.keys().nth(s.index(shapes.len())).cloned();
                    if let Some(key) = key {
                        shapes.remove(&key);
                    }
                }
            }
        }
        Mutation::Version { to } => {
            if let Some(top) = model.as_object_mut() {
                top.insert("smithy".to_owned(), to.clone());
            }
        }
        Mutation::Deepen {
            shape: s,
            member: i,
            kind,
            len,
        } => {
            // Names not in the model yet (a model may be deepened twice).
            let prefix = format!("fuzz.deep#D{}_", ids.len());
            let Some(member) = shape(model, s).and_then(|s| member(s, i)) else {
                return;
            };
            let Some(end) = member.get("target").cloned() else {
                return;
            };
            member.insert("target".to_owned(), json!(format!("{prefix}0")));
            let Some(shapes) = shapes(model) else { return };
            for link in 0..*len {
                let next = if link + 1 < *len {
                    json!(format!("{prefix}{}", link + 1))
                } else {
                    end.clone()
                };
                let shape = match *kind {
                    "list" => json!({"type": "list", "member": {"target": next}}),
                    "map" => json!({"type": "map", "key": {"target": "smithy.api#String"},
                                    "value": {"target": next}}),
                    "required" => json!({"type": "structure", "members": {
                        "next": {"target": next, "traits": {"smithy.api#required": {}}}}}),
                    other => json!({"type": other, "members": {"next": {"target": next}}}),
                };
                shapes.insert(format!("{prefix}{link}"), shape);
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Edit {
    /// Whole lines deleted.
    DeleteLines { at: Index, count: usize },
    /// Whole lines repeated.
    DuplicateLines { at: Index, count: usize },
    /// A piece of IDL put at a line start.
    Insert { at: Index, text: &'static str },
    /// A word (identifier, keyword) replaced with another word of the model.
    ReplaceWord { at: Index, with: Index },
    /// Bytes cut anywhere.
    Cut { at: Index, len: usize },
}

/// Pieces of IDL that change meaning rather than syntax.
const IDL_PIECES: &[&str] = &[
    "@required\n",
    "@sparse\n",
    "@error(\"client\")\n",
    "@default(0)\n",
    "@timestampFormat(\"http-date\")\n",
    "@paginated(inputToken: \"x\", outputToken: \"y\")\n",
    "@streaming\n",
    "@documentation(1)\n",
    "structure S { a: S }\n",
    "list L { member: L }\n",
    "union U {}\n",
    "enum E { A }\n",
    "intEnum I { A = 1 }\n",
    "x: Missing\n",
    "a: String\n",
    "operation O { input: O, output: O }\n",
    "errors: [String]\n",
    "operations: [Nope]\n",
    "smithy.api#Unit",
    "String",
    "Timestamp",
    "Document",
    "}",
    "{",
    "\n",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), 1..4usize).prop_map(|(at, count)| Edit::DeleteLines { at, count }),
        (any::<Index>(), 1..4usize).prop_map(|(at, count)| Edit::DuplicateLines { at, count }),
        (any::<Index>(), prop::sample::select(IDL_PIECES))
            .prop_map(|(at, text)| Edit::Insert { at, text }),
        (any::<Index>(), any::<Index>()).prop_map(|(at, with)| Edit::ReplaceWord { at, with }),
        (any::<Index>(), 1..20usize).prop_map(|(at, len)| Edit::Cut { at, len }),
    ]
}

/// The char boundary at or before byte `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The byte ranges of the words (runs of identifier characters) of `text`.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word = c.is_alphanumeric() || c == '_';
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Applies edits, mostly along lines and words, so that most mutants
/// still parse and reach the generator.
fn edit_text(mut text: String, edits: &[Edit]) -> String {
    for e in edits {
        let lines: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .chain(std::iter::once(text.len()))
            .collect();
        let line = |at: &Index| at.index(lines.len());
        match e {
            Edit::DeleteLines { at, count } => {
                let first = line(at);
                let end = lines[(first + count).min(lines.len() - 1)];
                text.replace_range(lines[first]..end.max(lines[first]), "");
            }
            Edit::DuplicateLines { at, count } => {
                let first = line(at);
                let end = lines[(first + count).min(lines.len() - 1)].max(lines[first]);
                let copy = text[lines[first]..end].to_owned();
                text.insert_str(end, &copy);
            }
            Edit::Insert { at, text: piece } => {
                let at = lines[line(at)];
                text.insert_str(at, piece);
            }
            Edit::ReplaceWord { at, with } => {
                let words = words(&text);
                if !words.is_empty() {
                    let (s, e) = words[at.index(words.len())];
                    let (ws, we) = words[with.index(words.len())];
                    let replacement = text[ws..we].to_owned();
                    text.replace_range(s..e, &replacement);
                }
            }
            Edit::Cut { at, len } => {
                let start = floor(&text, at.index(text.len() + 1));
                let end = floor(&text, start + len);
                text.replace_range(start..end, "");
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(config(40))]

    #[test]
    fn mutated_json_models_generate_or_give_a_located_error(
        seed in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let seeds = json_seeds();
        let mut model = seeds[seed.index(seeds.len())].clone();
        for m in &mutations {
            apply(&mut model, m);
        }
        let text = serde_json::to_string_pretty(&model).unwrap_or_default();
        keep("json.json", &text);
        check(Model::from_json(&text, JSON_SOURCE), JSON_SOURCE, &text)?;
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn mutated_idl_models_generate_or_give_a_located_error(
        seed in any::<Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let seeds = idl_seeds();
        let text = edit_text(seeds[seed.index(seeds.len())].clone(), &edits);
        keep("idl.smithy", &text);
        check(Model::from_idl(&text, IDL_SOURCE), IDL_SOURCE, &text)?;
    }
}

#[test]
fn the_seeds_generate_unmutated() {
    // A seed that does not generate would make its mutations prove little.
    for (i, seed) in json_seeds().iter().enumerate() {
        let text = seed.to_string();
        let model =
            Model::from_json(&text, JSON_SOURCE).unwrap_or_else(|e| panic!("JSON seed {i}: {e}"));
        if let Err(e) = codegen::generate(&model, None, &options()) {
            // Fixtures of the generator's refusals and multi-service
            // fixtures are seeds too; they must still name where.
            assert!(located(&e.to_string(), JSON_SOURCE), "JSON seed {i}: {e}");
        }
    }
    for (i, seed) in idl_seeds().iter().enumerate() {
        let model =
            Model::from_idl(seed, IDL_SOURCE).unwrap_or_else(|e| panic!("IDL seed {i}: {e}"));
        codegen::generate(&model, None, &options()).unwrap_or_else(|e| panic!("IDL seed {i}: {e}"));
    }
}

/// Mutants that once overflowed the stack in the IR builder: a list or map
/// whose type holds itself with no structure or union on the way (the
/// campaign that reproduced the CI crash met the map keyed by itself).
/// Each is refused, naming the shape and the members that lead back.
#[test]
fn collections_holding_themselves_are_located_errors() {
    let text = std::fs::read_to_string(common::fixture("primitives.json")).expect("a fixture");
    for (shape, member) in [
        ("example.primitives#SparseMap", "key"),
        ("example.primitives#SparseMap", "value"),
        ("example.primitives#SparseStrings", "member"),
    ] {
        let mut model: Value = serde_json::from_str(&text).expect("the fixture");
        model["shapes"][shape][member]["target"] = json!(shape);
        let text = model.to_string();
        let err = Model::from_json(&text, JSON_SOURCE)
            .and_then(|m| codegen::generate(&m, None, &options()))
            .expect_err("a collection holding itself has no Rust type");
        let message = err.to_string();
        let expected = format!(
            "{JSON_SOURCE}: `{shape}`: contains itself through list and map members only (`{shape}${member}`)"
        );
        assert!(
            message.contains(&expected),
            "got  {message}\nwant {expected}"
        );
        assert!(located(&message, JSON_SOURCE), "{message}");
    }
}

#[test]
fn errors_without_a_location_are_caught() {
    // The check itself: what it accepts and refuses.
    assert!(located("fuzz.json:3:7: invalid JSON: x", JSON_SOURCE));
    assert!(located("fuzz.json: shape `a.b#C`: bad", JSON_SOURCE));
    assert!(located("a.b#Svc: `a.b#Out`: no sample value", JSON_SOURCE));
    assert!(!located("fuzz.json: something went wrong", JSON_SOURCE));
    assert!(!located("fuzz.json:0:0: x", JSON_SOURCE));
    assert!(!located("tests: the file does not parse", JSON_SOURCE));
}
