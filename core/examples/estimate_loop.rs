//! Runs the benchmark case (benches/estimate.rs) N times; `cargo xtask bench` and `budget` count
//! its instructions under callgrind: a figure without timing noise beside criterion's time.
//! Usage: estimate_loop N

use yibao_core::policy::load::parse_policy;
use yibao_core::{estimate, Date};

#[path = "../benches/support/case.rs"]
mod bench_case;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let doc = parse_policy(
        yibao_shipped::file(yibao_shipped::DEMO).unwrap(),
        yibao_shipped::DEMO,
    )
    .unwrap();
    let case = bench_case::case();
    let today = Date::parse("2025-06-01").unwrap();
    let mut fen = 0usize;
    for _ in 0..n {
        let e = estimate(
            std::hint::black_box(&doc),
            std::hint::black_box(&case),
            today,
        )
        .unwrap();
        fen += e.steps.len();
    }
    println!("{fen}");
}
