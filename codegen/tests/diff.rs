//! Snapshots of the API changelog (`cargo xtask diff`) between every two
//! consecutive published Proton models, oldest first, and from the newest
//! history entry to the current model. Review changes with
//! `cargo insta review`.

mod common;

use codegen::diff::{self, Verdict};
use std::path::PathBuf;

/// `history/*.json` sorted by the date in their names, then the current model,
/// each with the date its changelog is headed with.
fn models() -> Vec<(PathBuf, String)> {
    let current = common::shared_model("proton-2020-07-20.json");
    let history = current.with_file_name("history");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&history)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", history.display()))
        .map(|e| e.map(|e| e.path()).unwrap_or_default())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 9, "{paths:?}");
    let mut models: Vec<(PathBuf, String)> = paths
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let date = stem.trim_start_matches("proton-").replace('-', "/");
            (p, date)
        })
        .collect();
    // The current model is named by the API version; its README dates it
    // by the commit it was copied from.
    models.push((current, "2025/08/22".to_owned()));
    models
}

fn label(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match stem.strip_prefix("proton-") {
        Some("2020-07-20") => "current".to_owned(),
        Some(date) => date.to_owned(),
        None => stem.to_owned(),
    }
}

#[test]
fn every_consecutive_pair() {
    let models = models();
    let mut verdicts = Vec::new();
    for pair in models.windows(2) {
        let [(old, _), (new, date)] = pair else {
            unreachable!("windows(2) yields pairs")
        };
        let d = diff::diff_files(old, new, None).unwrap_or_else(|e| panic!("{e}"));
        let name = format!("{}_to_{}", label(old), label(new));
        insta::assert_snapshot!(name.clone(), diff::render_text(&d, date));
        verdicts.push((name, d.verdict));
    }
    // What the snapshots say, in one place: the history only ever added to
    // the API; of the last three updates, two changed only the endpoint
    // rules and one changed nothing the generated crate is made of (its
    // rule-set edit compiles to the same resolver: no release).
    let expected = [
        ("2021-07-02_to_2021-12-02", Verdict::Additive),
        ("2021-12-02_to_2022-06-09", Verdict::Additive),
        ("2022-06-09_to_2022-10-25", Verdict::Additive),
        ("2022-10-25_to_2023-04-04", Verdict::Additive),
        ("2023-04-04_to_2023-04-13", Verdict::Additive),
        ("2023-04-13_to_2023-07-13", Verdict::Additive),
        ("2023-07-13_to_2023-08-24", Verdict::DocsOnly),
        ("2023-08-24_to_2025-04-02", Verdict::None),
        ("2025-04-02_to_current", Verdict::DocsOnly),
    ];
    let got: Vec<(&str, Verdict)> = verdicts.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    assert_eq!(got, expected);
}

#[test]
fn service_sync_release_as_json() {
    let old = common::shared_model("history/proton-2023-04-04.json");
    let new = common::shared_model("history/proton-2023-04-13.json");
    let d = diff::diff_files(&old, &new, None).unwrap_or_else(|e| panic!("{e}"));
    let json = diff::render_json(&d, "2023/04/13");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["verdict"], "additive");
    assert_eq!(value["new"].as_array().map(Vec::len), Some(8));
    insta::assert_snapshot!(json);
}

#[test]
fn a_model_compared_with_itself_has_no_changes() {
    let path = common::shared_model("proton-2020-07-20.json");
    let d = diff::diff_files(&path, &path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.verdict, Verdict::None);
    assert_eq!(
        diff::render_text(&d, "2025/08/22"),
        "2025/08/22 - AWS Proton - 0 new 0 updated api methods\n\nNo API changes.\n\
         Verdict: none: no change to operations, shapes or traits\n"
    );
}

#[test]
fn output_is_deterministic() {
    let old = common::shared_model("history/proton-2021-07-02.json");
    let new = common::shared_model("proton-2020-07-20.json");
    let a = diff::diff_files(&old, &new, None).unwrap_or_else(|e| panic!("{e}"));
    let b = diff::diff_files(&old, &new, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    assert_eq!(
        diff::render_json(&a, "2025/08/22"),
        diff::render_json(&b, "2025/08/22")
    );
}

#[test]
fn a_model_that_does_not_load_gives_the_loaders_error() {
    let good = common::shared_model("proton-2020-07-20.json");
    let err = diff::diff_files(std::path::Path::new("/nonexistent/old.json"), &good, None)
        .expect_err("a missing file must not diff");
    assert!(matches!(err, codegen::Error::Read { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("cannot read model file /nonexistent/old.json:"),
        "{err}"
    );
    let broken = common::fixture("broken/missing-target.json");
    let err = diff::diff_files(&good, &broken, None)
        .expect_err("a broken model must not diff")
        .to_string();
    assert!(
        err.ends_with("`a#In$thing` targets `a#DoesNotExist`, which is not defined in the model or the Smithy prelude"),
        "{err}"
    );
}

#[test]
fn an_unknown_service_is_named() {
    let path = common::shared_model("proton-2020-07-20.json");
    let err = diff::diff_files(&path, &path, Some("a#Nope"))
        .expect_err("no such service")
        .to_string();
    assert!(err.contains("no service shape `a#Nope`"), "{err}");
    let d =
        diff::diff_files(&path, &path, Some("AwsProton20200720")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.verdict, Verdict::None);
}
