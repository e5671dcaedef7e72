//! How IDL loading time grows with the model: loads synthetic `.smithy`
//! texts of doubling size (documented structures with traits, text blocks,
//! mixins, `apply`, enums, operations with inline input and output) and
//! prints the time and the rate for each, so a super-linear cost shows as
//! a falling rate: `cargo run --release -p codegen --example idl_scale`.

use std::fmt::Write;
use std::time::Instant;

/// An IDL model with `n` groups of shapes.
fn model(n: usize) -> String {
    let mut out = String::from("$version: \"2\"\nnamespace example.scale\n\n");
    out.push_str("@mixin\nstructure Common {\n    /// Shared.\n    id: String\n}\n\n");
    let mut operations = String::new();
    for i in 0..n {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            r#"/// Item {i}, documented
/// over two lines.
@tags(["a", "b"])
structure Item{i} with [Common] {{
    @required
    name: String = "n{i}"

    @documentation("""
        A text block
          with indentation.
        """)
    count: Integer

    kind: Kind{i}
    next: Item{next}
}}

enum Kind{i} {{
    ONE = "one"
    TWO
}}

operation Op{i} {{
    input := {{
        item: Item{i}
    }}
    output := with [Common] {{}}
}}

apply Item{i}$count @range(min: 0, max: {i})

"#,
            next = (i + 1) % n,
        );
        let _ = write!(operations, "Op{i} ");
    }
    let _ = write!(
        out,
        "@aws.protocols#awsJson1_0\nservice Scale {{\n    version: \"1\"\n    operations: [{operations}]\n}}\n"
    );
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut first_rate = None;
    for n in [500, 1000, 2000, 4000, 8000] {
        let text = model(n);
        let started = Instant::now();
        let model = codegen::Model::from_idl(&text, "scale.smithy")?;
        let elapsed = started.elapsed();
        let mb = text.len() as f64 / 1e6;
        let rate = mb / elapsed.as_secs_f64();
        let relative = rate / *first_rate.get_or_insert(rate);
        println!(
            "{n:>5} groups: {mb:6.2} MB, {:>6} shapes, loaded in {elapsed:>9.2?}: {rate:6.1} MB/s ({relative:.2}x the smallest model's rate)",
            model.shapes.len()
        );
    }
    Ok(())
}
