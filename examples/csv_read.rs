//! The baseline of the benchmarks: a bare native read of CSV files — every record parsed
//! by the csv crate, every field touched — and nothing else.
//!   cargo run --release --example csv_read -- FILE...

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut records = 0u64;
    let mut bytes = 0u64;
    for path in std::env::args().skip(1) {
        let mut reader = csv::Reader::from_path(&path)?;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            records += 1;
            bytes += record.iter().map(|f| f.len() as u64).sum::<u64>();
        }
    }
    println!("{records} records, {bytes} field bytes");
    Ok(())
}
