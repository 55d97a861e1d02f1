//! What the code of the page a first visit loads may not use, because of what it would cost the
//! page (`scripts/budget.mjs` measures it; the target is in docs/benchmarks.md, "Web budget").

use std::path::{Path, PathBuf};

/// The Rust files compiled into the app's module and reachable from the page: everything in
/// `src` but the import (the import worker's), the JavaScript API and the command line.
fn page_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if !matches!(name, "import" | "bin") {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") && !matches!(name, "api.rs" | "import_api.rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// Unicode case conversion (`char::to_lowercase`, `str::to_uppercase` …) brings Unicode's case
/// tables into the page: 16 KB gzip once (`format::capitalised`), 8.6 KB gzip again in session
/// 54 (the readings' words in `report`). The page's words are ASCII or Latin-1, converted by
/// hand.
#[test]
fn the_page_converts_no_case_with_unicode_tables() {
    let sources = page_sources();
    assert!(sources.len() > 20, "{sources:?}");
    let mut found = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if [".to_lowercase()", ".to_uppercase()"]
                .iter()
                .any(|call| code.contains(call))
            {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Unicode case conversion in the page's code:\n{}",
        found.join("\n")
    );
}
