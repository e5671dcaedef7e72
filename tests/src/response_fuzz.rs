//! Support for the generated response property tests
//! (`tests/tests/proton_responses.rs`): JSON values and the strategies the
//! generated per-type strategies are built from, and [`run`], which feeds
//! an operation's client call arbitrary response bodies through an
//! in-process HTTP double and checks every outcome.
//!
//! Every strategy yields a [`Value`]: a JSON value and whether it is known
//! to be valid for its type (a member replaced by an arbitrary JSON value
//! makes its whole body "not known valid": it may still happen to parse).

use crate::{test_loader, InProcess, Reply};
use aws_json_runtime::config::SdkConfig;
use aws_json_runtime::retry::RetryConfig;
use aws_json_runtime::RequestErrorKind;
use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A JSON value as written on the wire: numbers keep their text (big
/// numbers, exact decimals), object members keep their order and may
/// repeat.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as its JSON text.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The value of member `name` of an object (the last one, as readers
    /// take it), `None` when absent or not an object.
    pub fn member(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A generated JSON value and whether it is known to be valid for the type
/// it was generated for.
#[derive(Clone, Debug)]
pub struct Value {
    /// The value.
    pub json: Json,
    /// Every part of it is a valid value of its type.
    pub valid: bool,
}

/// A strategy for values of one type.
pub type Gen = BoxedStrategy<Value>;

/// A strategy for one structure member: absent (`None`) or its name and value.
pub type MemberGen = BoxedStrategy<Option<(String, Value)>>;

fn valid(strategy: impl Strategy<Value = Json> + 'static) -> Gen {
    strategy
        .prop_map(|json| Value { json, valid: true })
        .boxed()
}

/// Strings, with the characters JSON escapes and some beyond the BMP.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,12}",
        prop::collection::vec(
            prop::sample::select(vec![
                "a", "\"", "\\", "\n", "\u{0}", "\u{1f}", "é", "😀", "/", " "
            ]),
            0..8
        )
        .prop_map(|p| p.concat()),
    ]
}

/// Number texts: integers of every size, decimals, exponents, negative zero.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        "-?(0|[1-9][0-9]{0,39})(\\.[0-9]{1,20})?([eE][-+]?[0-9]{1,4})?",
        Just("-0".to_owned()),
    ]
}

/// Any JSON value (nested at most four levels, at most a few dozen nodes).
pub fn any_json() -> BoxedStrategy<Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number_text().prop_map(Json::Number),
        text().prop_map(Json::String),
        prop::sample::select(vec![
            "NaN",
            "Infinity",
            "-Infinity",
            "",
            "1600000000",
            "YmxvYg=="
        ])
        .prop_map(|s| Json::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec((text(), inner), 0..4).prop_map(Json::Object),
        ]
    })
    .boxed()
}

/// A fixed value (a sample the generator wrote), valid.
pub fn literal(text: &str) -> Gen {
    Just(Value {
        json: parse(text),
        valid: true,
    })
    .boxed()
}

/// `null` (an unset value), valid.
pub fn null() -> Gen {
    literal("null")
}

/// A string.
pub fn string() -> Gen {
    valid(text().prop_map(Json::String))
}

/// A boolean.
pub fn boolean() -> Gen {
    valid(any::<bool>().prop_map(Json::Bool))
}

/// An integer in `min..=max`, or at a bound.
pub fn integer(min: i64, max: i64) -> Gen {
    valid(
        prop_oneof![min..=max, Just(min), Just(max), Just(0)]
            .prop_map(|n| Json::Number(n.to_string())),
    )
}

/// A `float`: an `f32` as a number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
pub fn float32() -> Gen {
    floats(any::<f32>().prop_map(f64::from).boxed())
}

/// A `double`.
pub fn float64() -> Gen {
    floats(any::<f64>().boxed())
}

fn floats(numbers: BoxedStrategy<f64>) -> Gen {
    valid(numbers.prop_map(|f| {
        if f.is_nan() {
            Json::String("NaN".to_owned())
        } else if f.is_infinite() {
            Json::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned())
        } else {
            Json::Number(f.to_string())
        }
    }))
}

/// A big integer (any number of digits).
pub fn big_integer() -> Gen {
    valid("-?(0|[1-9][0-9]{0,40})".prop_map(Json::Number))
}

/// A big decimal.
pub fn big_decimal() -> Gen {
    valid("-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?".prop_map(Json::Number))
}

/// An epoch-seconds timestamp: whole or with up to three decimals, years 1 to 9999.
pub fn epoch_seconds() -> Gen {
    valid(
        (
            -62_135_596_800i64..=253_402_300_799,
            prop::option::of(0u32..1000),
        )
            .prop_map(|(secs, millis)| match millis {
                Some(m) if secs < 253_402_300_799 => Json::Number(format!("{secs}.{m:03}")),
                _ => Json::Number(secs.to_string()),
            }),
    )
}

/// A blob: base64 of arbitrary bytes.
pub fn blob() -> Gen {
    valid(
        prop::collection::vec(any::<u8>(), 0..24)
            .prop_map(|b| Json::String(base64::engine::general_purpose::STANDARD.encode(b))),
    )
}

/// A document: any JSON value.
pub fn document() -> Gen {
    valid(any_json())
}

/// A string enum: one of `values`, or an unknown value (readers keep it).
pub fn string_enum(values: &[&str]) -> Gen {
    let known: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
    if known.is_empty() {
        return valid(text().prop_map(Json::String));
    }
    valid(
        prop_oneof![
            3 => prop::sample::select(known),
            1 => text(),
        ]
        .prop_map(Json::String),
    )
}

/// An intEnum: one of `values`, or another `i32` (readers keep it).
pub fn int_enum(values: &[i64]) -> Gen {
    let known = values.to_vec();
    if known.is_empty() {
        return integer(i32::MIN.into(), i32::MAX.into());
    }
    valid(
        prop_oneof![
            3 => prop::sample::select(known),
            1 => any::<i32>().prop_map(i64::from),
        ]
        .prop_map(|n| Json::Number(n.to_string())),
    )
}

/// A list of up to three `item`s; a `sparse` list may hold `null`s (a
/// dense list drops them, so they are valid either way).
pub fn list(item: Gen, sparse: bool) -> Gen {
    let item = if sparse {
        prop_oneof![4 => item, 1 => null()].boxed()
    } else {
        item
    };
    prop::collection::vec(item, 0..4)
        .prop_map(|items| Value {
            valid: items.iter().all(|i| i.valid),
            json: Json::Array(items.into_iter().map(|i| i.json).collect()),
        })
        .boxed()
}

/// A map of up to three entries; a key that is not a JSON string is written as its JSON text.
pub fn map(key: Gen, value: Gen, sparse: bool) -> Gen {
    let value = if sparse {
        prop_oneof![4 => value, 1 => null()].boxed()
    } else {
        value
    };
    prop::collection::vec((key, value), 0..4)
        .prop_map(|entries| Value {
            valid: entries.iter().all(|(k, v)| k.valid && v.valid),
            json: Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = match k.json {
                            Json::String(s) => s,
                            other => other.to_text(),
                        };
                        (key, v.json)
                    })
                    .collect(),
            ),
        })
        .boxed()
}

/// A structure member: mostly a valid value, else absent, `null`, or an
/// arbitrary JSON value in its place. (An absent or `null` member is
/// valid even when required: readers fill in the zero value.)
pub fn member(name: &'static str, value: Gen) -> MemberGen {
    prop_oneof![
        6 => value.prop_map(move |v| Some((name.to_owned(), v))),
        1 => Just(None),
        1 => Just(Some((name.to_owned(), Value { json: Json::Null, valid: true }))),
        2 => any_json().prop_map(move |json| Some((name.to_owned(), Value { json, valid: false }))),
    ]
    .boxed()
}

/// A structure from its members' strategies, in model order.
pub fn structure(members: Vec<MemberGen>) -> Gen {
    members
        .prop_map(|members| {
            let members: Vec<(String, Value)> = members.into_iter().flatten().collect();
            Value {
                valid: members.iter().all(|(_, v)| v.valid),
                json: Json::Object(members.into_iter().map(|(k, v)| (k, v.json)).collect()),
            }
        })
        .boxed()
}

/// A union: exactly one of `variants` set (`None` for a unit variant, set as `{}`).
pub fn union(variants: Vec<(&'static str, Option<Gen>)>) -> Gen {
    let choices: Vec<Gen> = variants
        .into_iter()
        .map(|(name, value)| {
            let value = value.unwrap_or_else(|| literal("{}"));
            value
                .prop_map(move |v| Value {
                    json: Json::Object(vec![(name.to_owned(), v.json)]),
                    valid: v.valid,
                })
                .boxed()
        })
        .collect();
    if choices.is_empty() {
        return literal("{}");
    }
    prop::strategy::Union::new(choices).boxed()
}

/// Parses JSON text the generator wrote.
fn parse(text: &str) -> Json {
    fn convert(d: aws_json_runtime::Document) -> Json {
        use aws_json_runtime::Document as D;
        match d {
            D::Null => Json::Null,
            D::Bool(b) => Json::Bool(b),
            D::Number(aws_json_runtime::document::Number::PosInt(n)) => Json::Number(n.to_string()),
            D::Number(aws_json_runtime::document::Number::NegInt(n)) => Json::Number(n.to_string()),
            D::Number(aws_json_runtime::document::Number::Float(f)) => Json::Number(f.to_string()),
            D::String(s) => Json::String(s),
            D::Array(items) => Json::Array(items.into_iter().map(convert).collect()),
            D::Object(members) => {
                Json::Object(members.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    convert(crate::json(text))
}

/// How a call ended, as the generated test reads its result.
#[derive(Debug)]
pub enum Outcome {
    /// The output: each `Option` member of the output (by JSON name), and
    /// whether the output holds it.
    Output(Vec<(&'static str, bool)>),
    /// A modelled error, by code, and its `Display`.
    Modeled(&'static str, String),
    /// A service error the model does not list: its `Display`.
    Unhandled(String),
    /// No usable answer: the kind and `Display`.
    Request(RequestErrorKind, String),
    /// Another error variant (the error enum is `#[non_exhaustive]`).
    Other(String),
}

/// What an operation's tests feed it.
pub struct Operation {
    /// The operation's name (for failure messages).
    pub name: &'static str,
    /// Its output structure's strategy.
    pub output: Gen,
    /// Its modelled errors: the code (`__type`) and the structure's strategy.
    pub errors: Vec<(&'static str, Gen)>,
}

/// The case count: `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default_cases),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Cases per operation under plain `cargo test` (the file covers every
/// operation, on a two-core machine): arbitrary bytes, output bodies and
/// modelled-error bodies.
const BYTES_CASES: u32 = 6;
const OUTPUT_CASES: u32 = 16;
const ERROR_CASES: u32 = 6;

/// A response body: arbitrary bytes, or a valid-looking body cut or
/// with a byte changed.
fn bytes(output: Gen) -> BoxedStrategy<(u16, Vec<u8>)> {
    let status = prop::sample::select(vec![200u16, 200, 400, 500]);
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        (
            output,
            any::<prop::sample::Index>(),
            any::<u8>(),
            any::<bool>()
        )
            .prop_map(|(v, at, byte, cut)| {
                let mut b = v.json.to_text().into_bytes();
                if !b.is_empty() {
                    let i = at.index(b.len());
                    if cut {
                        b.truncate(i);
                    } else {
                        b[i] = byte;
                    }
                }
                b
            }),
    ];
    (status, body).boxed()
}

/// Runs the three properties for one operation: `call` makes the call on a
/// client `client` built (once) from a configuration whose HTTP client
/// answers with the body under test, and reports how it ended.
///
/// * Any bytes (status 200, 400 or 500): never a panic; a 200 answers
///   with the output or a `Response` error, and never with the output
///   when the body is not JSON; an error status never gives the output.
/// * Output bodies (status 200): the output or a `Response` error; always
///   the output when every member is valid; and an output holds exactly
///   the `Option` members the body set to something other than `null`.
/// * Modelled-error bodies (status 400, `__type` set): never the output;
///   that modelled error when the body is valid.
///
/// Every error must say something (`Display` not empty).
pub fn run<C, F, Fut>(op: Operation, client: impl FnOnce(&SdkConfig) -> C, call: F)
where
    C: Clone,
    F: Fn(C) -> Fut,
    Fut: Future<Output = Outcome>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let reply = Arc::new(Mutex::new(Reply::ok("{}")));
    let responder = {
        let reply = reply.clone();
        move |_: &crate::Recorded| reply.lock().unwrap().clone()
    };
    let double = InProcess::new(responder);
    let config = runtime.block_on(
        test_loader("https://in-process.test")
            .http_client(double.clone())
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .load(),
    );
    let client = client(&config);
    let answer = |status: u16, body: &[u8]| -> Outcome {
        *reply.lock().unwrap() = Reply::json(status, "").raw_body(body);
        runtime.block_on(call(client.clone()))
    };
    let name = op.name;
    // What the cases gave, printed for campaigns (`-- --nocapture`).
    let tally = Tally::default();

    runner(BYTES_CASES)
        .run(&bytes(op.output.clone()), |(status, body)| {
            let outcome = answer(status, &body);
            tally.count(0, &outcome);
            let shown = String::from_utf8_lossy(&body);
            said_something(&outcome)?;
            match &outcome {
                Outcome::Output(_) => {
                    prop_assert_eq!(status, 200, "{}: an error status gave the output", name);
                    let json =
                        aws_json_runtime::json::from_slice::<aws_json_runtime::Document>(&body);
                    let blank = body.iter().all(u8::is_ascii_whitespace);
                    prop_assert!(
                        matches!(json, Ok(aws_json_runtime::Document::Object(_))) || blank,
                        "{}: not a JSON object, yet the output: {:?}",
                        name,
                        shown
                    );
                }
                Outcome::Request(kind, _) => prop_assert_eq!(
                    *kind,
                    RequestErrorKind::Response,
                    "{}: {:?} for {:?}",
                    name,
                    outcome,
                    shown
                ),
                Outcome::Modeled(..) | Outcome::Unhandled(_) => {
                    prop_assert!(status != 200, "{}: {:?} from a 200", name, outcome)
                }
                Outcome::Other(_) => prop_assert!(false, "{}: {:?}", name, outcome),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}, any bytes: {e}"));

    runner(OUTPUT_CASES)
        .run(&op.output, |value| {
            let body = value.json.to_text();
            let outcome = answer(200, body.as_bytes());
            tally.count(1, &outcome);
            said_something(&outcome)?;
            match &outcome {
                Outcome::Output(present) => {
                    for (member, set) in present {
                        let in_body = value.json.member(member).is_some_and(|v| *v != Json::Null);
                        prop_assert_eq!(
                            *set,
                            in_body,
                            "{}: member {} set in the output: {}, in the body: {}; body {}",
                            name,
                            member,
                            set,
                            in_body,
                            body
                        );
                    }
                }
                Outcome::Request(RequestErrorKind::Response, _) => prop_assert!(
                    !value.valid,
                    "{}: a valid body was refused: {:?}\n{}",
                    name,
                    outcome,
                    body
                ),
                _ => prop_assert!(false, "{}: {:?} for {}", name, outcome, body),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}, output bodies: {e}"));

    if op.errors.is_empty() {
        eprintln!("{name}: {tally}");
        return;
    }
    let errors: Vec<BoxedStrategy<(&'static str, Value)>> = op
        .errors
        .into_iter()
        .map(|(code, s)| s.prop_map(move |v| (code, v)).boxed())
        .collect();
    runner(ERROR_CASES)
        .run(&prop::strategy::Union::new(errors), |(code, value)| {
            let mut json = value.json.clone();
            if let Json::Object(members) = &mut json {
                members.insert(0, ("__type".to_owned(), Json::String(code.to_owned())));
            }
            let body = json.to_text();
            let outcome = answer(400, body.as_bytes());
            tally.count(2, &outcome);
            said_something(&outcome)?;
            match &outcome {
                Outcome::Modeled(got, _) if *got == code => {}
                Outcome::Modeled(..) | Outcome::Unhandled(_) => {
                    prop_assert!(false, "{}: {:?} for {}", name, outcome, body)
                }
                Outcome::Request(RequestErrorKind::Response, _) => prop_assert!(
                    !value.valid,
                    "{}: a valid {} body was refused: {:?}\n{}",
                    name,
                    code,
                    outcome,
                    body
                ),
                _ => prop_assert!(false, "{}: {:?} for {}", name, outcome, body),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}, error bodies: {e}"));
    eprintln!("{name}: {tally}");
}

/// Outcomes per property: output, modelled error, unhandled, `Response` error.
#[derive(Default)]
struct Tally(Mutex<[[u32; 4]; 3]>);

impl Tally {
    fn count(&self, property: usize, outcome: &Outcome) {
        let i = match outcome {
            Outcome::Output(_) => 0,
            Outcome::Modeled(..) => 1,
            Outcome::Unhandled(_) => 2,
            Outcome::Request(..) | Outcome::Other(_) => 3,
        };
        if let Ok(mut t) = self.0.lock() {
            t[property][i] += 1;
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0.lock().map(|t| *t).unwrap_or_default();
        for (name, [output, modeled, unhandled, refused]) in
            ["bytes", "outputs", "errors"].iter().zip(t)
        {
            write!(f, "{name}: {output} output, {modeled} modelled, {unhandled} unhandled, {refused} refused; ")?;
        }
        Ok(())
    }
}

/// Every error's `Display` says something.
fn said_something(outcome: &Outcome) -> Result<(), TestCaseError> {
    let text = match outcome {
        Outcome::Output(_) => return Ok(()),
        Outcome::Modeled(_, t)
        | Outcome::Unhandled(t)
        | Outcome::Request(_, t)
        | Outcome::Other(t) => t,
    };
    prop_assert!(
        !text.trim().is_empty(),
        "an error that says nothing: {:?}",
        outcome
    );
    Ok(())
}
