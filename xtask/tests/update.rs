//! `cargo xtask update NEW.json` end to end, on published Proton history
//! models, in a temporary copy of the project layout (`repo/model/` with the project's customizations,
//! `repo/generated/proton/`, `repo/runtime/Cargo.toml` for the runtime's
//! version, and `shared/endpoints/` beside it): the real
//! checkout is never written.

use std::path::{Path, PathBuf};

fn history(date: &str) -> PathBuf {
    xtask::project_root().join(format!("../shared/models/history/proton-{date}.json"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn an_update_reports_bumps_and_regenerates() {
    let real = xtask::project_root();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    let model_dir = root.join("model");
    std::fs::create_dir_all(&model_dir).unwrap();
    std::fs::create_dir_all(tmp.path().join("shared/endpoints")).unwrap();
    std::fs::copy(
        real.join("../shared/endpoints/partitions.json"),
        tmp.path().join("shared/endpoints/partitions.json"),
    )
    .unwrap();
    let customizations = real.join("model/customizations.json");
    if customizations.is_file() {
        std::fs::copy(&customizations, model_dir.join("customizations.json")).unwrap();
    }
    let model = model_dir.join(format!("{}.json", xtask::DEFAULT_MODEL));
    std::fs::copy(history("2023-04-13"), &model).unwrap();
    std::fs::write(model_dir.join("crate.json"), "{\"version\": \"0.1.0\"}\n").unwrap();
    // The generated crates depend on the runtime by its version.
    std::fs::create_dir_all(root.join("runtime")).unwrap();
    std::fs::copy(real.join("runtime/Cargo.toml"), root.join("runtime/Cargo.toml")).unwrap();
    let baseline = xtask::generate(&root, None, None).unwrap();
    xtask::write(&baseline).unwrap();
    let cargo_toml = root.join("generated/proton/Cargo.toml");
    assert!(read(&cargo_toml).contains("version = \"0.1.0\""));
    let version = || xtask::version::read(&root).unwrap().to_string();

    // Additive (three new operations): minor.
    let update = xtask::update::update(&root, &history("2023-07-13"), None, "2023/07/13").unwrap();
    let report = update.report();
    for wanted in [
        "2023/07/13 - AWS Proton - 3 new",
        "DeleteDeployment (new)",
        "Verdict: additive",
        "Crate version: 0.1.0 -> 0.2.0 (additive: minor), in model/crate.json",
        "cargo test --workspace",
        "cargo insta review",
    ] {
        assert!(report.contains(wanted), "{wanted:?} not in:\n{report}");
    }
    assert_eq!(read(&model), read(&history("2023-07-13")));
    assert_eq!(version(), "0.2.0");
    assert!(read(&cargo_toml).contains("version = \"0.2.0\""));
    assert!(root
        .join("generated/proton/src/operation/get_deployment.rs")
        .is_file());
    assert!(update.written > 3, "{}", update.written);
    // `cargo xtask codegen --check` agrees with what the update wrote.
    let check = xtask::generate(&root, None, None).unwrap();
    assert_eq!(xtask::check(&root, &check).unwrap(), Vec::<String>::new());

    // Documentation only: patch.
    let update = xtask::update::update(&root, &history("2023-08-24"), None, "2023/08/24").unwrap();
    assert_eq!(update.verdict, codegen::diff::Verdict::DocsOnly);
    assert!(update
        .report()
        .contains("Crate version: 0.2.0 -> 0.2.1 (docs-only: patch)"));
    assert_eq!(version(), "0.2.1");
    assert!(read(&cargo_toml).contains("version = \"0.2.1\""));

    // The model already in place: nothing changes, the file is not truncated.
    let update = xtask::update::update(&root, &model, None, "2023/08/24").unwrap();
    assert_eq!(update.verdict, codegen::diff::Verdict::None);
    assert!(update.report().contains("Crate version: unchanged"));
    assert_eq!((update.written, update.removed), (0, 0));
    assert_eq!(read(&model), read(&history("2023-08-24")));
    assert_eq!(version(), "0.2.1");

    // Breaking (back to a model without the three deployment operations):
    // minor while 0.x, and the files of the removed operations go.
    let update = xtask::update::update(&root, &history("2023-04-13"), None, "2023/09/01").unwrap();
    assert_eq!(update.verdict, codegen::diff::Verdict::Breaking);
    let report = update.report();
    for wanted in [
        "Verdict: breaking",
        "DeleteDeployment (removed)",
        "Crate version: 0.2.1 -> 0.3.0 (breaking: minor, while 0.x)",
    ] {
        assert!(report.contains(wanted), "{wanted:?} not in:\n{report}");
    }
    assert!(update.removed > 0, "{}", update.removed);
    assert_eq!(version(), "0.3.0");
    assert!(read(&cargo_toml).contains("version = \"0.3.0\""));
    assert!(!root
        .join("generated/proton/src/operation/get_deployment.rs")
        .exists());
    assert_eq!(read(&model), read(&history("2023-04-13")));

    // After 1.0: additive is still minor, breaking is major.
    std::fs::write(model_dir.join("crate.json"), "{\"version\": \"1.4.2\"}\n").unwrap();
    let update = xtask::update::update(&root, &history("2023-07-13"), None, "2023/09/02").unwrap();
    assert_eq!(update.verdict, codegen::diff::Verdict::Additive);
    assert_eq!(version(), "1.5.0");
    let update = xtask::update::update(&root, &history("2023-04-13"), None, "2023/09/03").unwrap();
    assert_eq!(update.verdict, codegen::diff::Verdict::Breaking);
    assert!(update
        .report()
        .contains("Crate version: 1.5.0 -> 2.0.0 (breaking: major)"));
    assert_eq!(version(), "2.0.0");
    assert!(read(&cargo_toml).contains("version = \"2.0.0\""));
    let check = xtask::generate(&root, None, None).unwrap();
    assert_eq!(xtask::check(&root, &check).unwrap(), Vec::<String>::new());

    // A model the generator refuses changes nothing, and says why.
    let broken = real.join("codegen/tests/fixtures/broken/required-recursion.json");
    let err = format!(
        "{:#}",
        xtask::update::update(&root, &broken, None, "2023/08/24").unwrap_err()
    );
    assert!(err.contains("required-recursion.json"), "{err}");
    assert_eq!(read(&model), read(&history("2023-04-13")));
    assert_eq!(version(), "2.0.0");

    // Not a JSON AST file: refused up front.
    let err = xtask::update::update(&root, Path::new("new.smithy"), None, "2023/08/24")
        .unwrap_err()
        .to_string();
    assert!(err.contains("expected a Smithy JSON AST file"), "{err}");
}
