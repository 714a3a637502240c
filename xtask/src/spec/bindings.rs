//! The interface the built library exports, read from its UniFFI metadata (not from source text).

use anyhow::Result;
use camino::Utf8Path;
use serde::Serialize;
use std::collections::BTreeMap;
use uniffi_bindgen::{BindgenLoader, BindgenPaths, GlobalConfig, interface::Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Record,
    Enum,
    Error,
    Object,
    CallbackInterface,
    Custom,
    Function,
}

/// Every exported name (as the foreign code sees it) and what it is.
pub fn exported(library: &Utf8Path) -> Result<BTreeMap<String, ExportKind>> {
    let mut paths = BindgenPaths::default();
    paths.add_cargo_metadata_layer(false)?;
    let loader = BindgenLoader::new(paths, GlobalConfig::default());
    let mut exported = BTreeMap::new();
    for ci in loader.load_cis(loader.load_metadata(library)?)? {
        for record in ci.record_definitions() {
            exported.insert(record.name().to_owned(), ExportKind::Record);
        }
        for enum_ in ci.enum_definitions() {
            let kind = if ci.is_name_used_as_error(enum_.name()) { ExportKind::Error } else { ExportKind::Enum };
            exported.insert(enum_.name().to_owned(), kind);
        }
        for object in ci.object_definitions() {
            exported.insert(object.name().to_owned(), ExportKind::Object);
        }
        for callback in ci.callback_interface_definitions() {
            exported.insert(callback.name().to_owned(), ExportKind::CallbackInterface);
        }
        for function in ci.function_definitions() {
            exported.insert(function.name().to_owned(), ExportKind::Function);
        }
        for ty in ci.iter_local_types() {
            if let Type::Custom { name, .. } = ty {
                exported.insert(name.clone(), ExportKind::Custom);
            }
        }
    }
    Ok(exported)
}
