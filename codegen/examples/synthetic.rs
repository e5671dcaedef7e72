//! Times the generator on a synthetic model far larger than Proton:
//! `cargo run --release -p codegen --example synthetic [OPERATIONS [SHAPES]]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let operations: usize = args.next().map_or(Ok(300), |a| a.parse())?;
    let shapes: usize = args.next().map_or(Ok(2000), |a| a.parse())?;
    let text = codegen::synthetic::model(operations, shapes);
    let started = Instant::now();
    let model = codegen::Model::from_json(&text, "synthetic model")?;
    let loaded = started.elapsed();
    let generated = codegen::generate(&model, None, &codegen::Options::default())?;
    let total = started.elapsed();
    let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
    println!(
        "synthetic model: {operations} operations, {} shapes -> {} files, {lines} lines; \
         loaded in {loaded:.2?}, generated in {total:.2?} in all",
        model.shapes.len(),
        generated.files.len(),
    );
    Ok(())
}
