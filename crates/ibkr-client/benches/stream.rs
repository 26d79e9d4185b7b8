//! Streaming benchmark (being written).
fn main() {}
