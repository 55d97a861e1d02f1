//! Writes a synthetic Active Directory user export for the browser import benchmark:
//! `cargo run --release --example gen_ad_export -- <accounts> <path>`.

#[path = "support/ad_export_gen.rs"]
mod ad_export_gen;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = args.next().unwrap_or_else(|| "ad-export.csv".into());
    let bytes = ad_export_gen::ad_export(n);
    std::fs::write(&path, &bytes)?;
    println!("{path}: {n} accounts, {} bytes", bytes.len());
    Ok(())
}
