//! No input makes the IDL reader panic or hang: arbitrary text, IDL-shaped
//! token soup, and mutations of valid models each give a model or an error
//! that names `file:line:column`.

use codegen::Model;
use proptest::prelude::*;

const SOURCE: &str = "fuzz.smithy";

/// Loads `text`; an error must start with `fuzz.smithy:<line>:<column>: `.
fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = Model::from_idl(text, SOURCE) {
        let message = e.to_string();
        let located = message
            .strip_prefix("fuzz.smithy:")
            .and_then(|rest| rest.split_once(": "))
            .map(|(position, _)| {
                position
                    .split(':')
                    .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0))
            })
            .unwrap_or(false);
        prop_assert!(located, "not located: {message}\n--- input ---\n{text}");
    }
    Ok(())
}

/// Valid models to mutate.
fn seeds() -> Vec<String> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    [
        "idl/syntax.smithy",
        "idl/mixins.smithy",
        "features.smithy",
        "resources.smithy",
        "unions.smithy",
    ]
    .iter()
    .map(|name| std::fs::read_to_string(dir.join(name)).expect("seed model"))
    .collect()
}

/// Pieces of IDL, so random sequences reach deep into the grammar.
const FRAGMENTS: &[&str] = &[
    "$version: \"2\"\n",
    "namespace a.b\n",
    "use a.b#C\n",
    "metadata m = ",
    "structure ",
    "union ",
    "list ",
    "map ",
    "enum ",
    "intEnum ",
    "service ",
    "resource ",
    "operation ",
    "string ",
    "apply ",
    "with [",
    "for ",
    "S",
    "T",
    "member",
    "key",
    "value",
    ": ",
    ":=",
    " = ",
    "$",
    "@",
    "@required",
    "@tags([\"x\"])",
    "@mixin",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    " ",
    "///",
    "// c\n",
    "\"",
    "\"\"\"\n",
    "\"s\\n\\u00e9\"",
    "\\",
    "-1.5e3",
    "0",
    "true",
    "null",
    "String",
    "a#S$m",
    "input",
    "output",
    "errors",
    "identifiers",
    "#",
    ".",
    "\t",
    "é",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Duplicate { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), prop::sample::select(FRAGMENTS)).prop_map(|(at, text)| Mutation::Insert {
            at,
            text: text.to_owned()
        }),
        (any::<usize>(), any::<String>()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<usize>(), 1..200usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
    ]
}

/// The nearest character boundary at or before `at` (modulo the length).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = if text.is_empty() {
        0
    } else {
        at % (text.len() + 1)
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(mut text: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        match m {
            Mutation::Delete { at, len } => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + len);
                if end > start {
                    text.replace_range(start..end, "");
                }
            }
            Mutation::Insert { at, text: piece } => {
                let at = boundary(&text, *at);
                text.insert_str(at, piece);
            }
            Mutation::Duplicate { at, len } => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + len).max(start);
                let copy = text[start..end].to_owned();
                text.insert_str(end, &copy);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_loads_or_gives_a_located_error(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn idl_shaped_text_loads_or_gives_a_located_error(text in token_soup()) {
        check(&text)?;
    }

    #[test]
    fn mutated_models_load_or_give_a_located_error(
        seed in 0..5usize,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let text = mutate(seeds()[seed].clone(), &mutations);
        check(&text)?;
    }
}

#[test]
fn the_seeds_load_unmutated() {
    // Each seed alone (syntax.smithy needs other.smithy, features.smithy
    // nothing more): an unmutated seed that fails would make the mutation
    // test prove little.
    for (i, seed) in seeds().iter().enumerate() {
        if i != 0 {
            Model::from_idl(seed, SOURCE).unwrap_or_else(|e| panic!("seed {i}: {e}"));
        }
    }
}
