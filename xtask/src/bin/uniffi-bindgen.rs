//! `uniffi-bindgen` at the workspace's UniFFI version (maturin looks for a binary of this name).
//! For Python it adds the project's one step to UniFFI's output (`python_classes`), so the wheel
//! carries the same module as `generated/python`.

#[path = "../python_classes.rs"]
mod python_classes;

fn main() {
    uniffi::uniffi_bindgen_main();
    let args: Vec<String> = std::env::args().collect();
    let value = |flags: &[&str]| {
        args.iter().enumerate().find_map(|(at, arg)| {
            flags.iter().find_map(|flag| {
                arg.strip_prefix(&format!("{flag}="))
                    .map(str::to_string)
                    .or_else(|| (arg == flag).then(|| args.get(at + 1).cloned()).flatten())
            })
        })
    };
    if args.get(1).map(String::as_str) == Some("generate")
        && value(&["--language", "-l"]).as_deref() == Some("python")
    {
        let out_dir = value(&["--out-dir", "-o"]).unwrap_or_else(|| ".".to_string());
        if let Err(error) = python_classes::shape_file(camino::Utf8Path::new(&out_dir)) {
            eprintln!("uniffi-bindgen: {error:#}");
            std::process::exit(1);
        }
    }
}
