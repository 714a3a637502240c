//! `uniffi-bindgen` at the workspace's UniFFI version (maturin looks for a binary of this name).
fn main() {
    uniffi::uniffi_bindgen_main()
}
