// Rust scaffolding for the UDL part of the interface (udl/barter_ffi.udl).
fn main() {
    uniffi::generate_scaffolding("udl/barter_ffi.udl").expect("udl/barter_ffi.udl is valid UDL");
}
