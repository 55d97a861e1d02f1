//! wasm-bindgen entry points of the import, called by the import Web Worker
//! (`www/import-worker.js`): an [`ImportSession`] that takes a file chunk by chunk and answers the
//! panel's questions in JSON text (the types of [`crate::import::session`]). It translates and
//! nothing else; the import itself is plain Rust in [`crate::import`].

use crate::estate::Estate;
use crate::import::devices::DeviceStatus;
use crate::import::directory::{ClassifyOptions, Status};
use crate::import::rd_pool::RdDevicePool;
use crate::import::session::Session;
use crate::import::{ImportError, ImportOptions};
use crate::named::Named;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A file that could not be read: an `Error` with the message and, when the error is about its
/// columns, the file's header as `header` (an array of strings), so the panel can offer to map
/// them; for a file the session holds already, the name of that file as `sameAs`.
fn file_error(e: ImportError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let header: js_sys::Array = e.header().iter().map(|h| JsValue::from_str(h)).collect();
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("header"), &header);
    if let ImportError::SameFile { earlier, .. } = &e {
        let _ = js_sys::Reflect::set(
            &error,
            &JsValue::from_str("sameAs"),
            &JsValue::from_str(earlier),
        );
    }
    error.into()
}

/// An argument that must be text: its string, or an `Error` naming it. The worker passes strings;
/// a page calling the session with another type got a WebAssembly trap, and after some thousands
/// of them a module that failed every call (API review 39).
fn text(value: &JsValue, what: &str) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| err(format!("{what} must be a string")))
}

fn json<T: Serialize>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(v).map_err(err)
}

fn options(text: &str) -> Result<ClassifyOptions, JsError> {
    serde_json::from_str(text).map_err(|e| err(format!("import options: {e}")))
}

/// The import session held by the worker.
#[wasm_bindgen]
pub struct ImportSession {
    inner: Session,
}

#[wasm_bindgen]
impl ImportSession {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ImportSession {
        ImportSession {
            inner: Session::new(),
        }
    }

    /// Sets the date of the count to the `today` of the classify options (JSON), the panel's
    /// "Counts as of", before a file is read and when it changes: the summaries of the licence
    /// statements read, with their notes as of that date, as JSON (an empty array when the date
    /// did not change).
    #[wasm_bindgen(js_name = setAsOf)]
    pub fn set_as_of(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options_json: JsValue,
    ) -> Result<String, JsError> {
        let o = options(&text(&options_json, "the classify options (JSON)")?)?;
        json(&self.inner.set_as_of(Some(o.today)))
    }

    /// Starts a file; `options` is the JSON of `ImportOptions` (kind, mapping, delimiter, and
    /// `again` for a file read again with other columns).
    pub fn begin(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options: JsValue,
    ) -> Result<(), JsError> {
        let options = text(&options, "the file options (JSON)")?;
        let opts: ImportOptions = if options.trim().is_empty() {
            ImportOptions::default()
        } else {
            serde_json::from_str(&options).map_err(|e| err(format!("file options: {e}")))?
        };
        self.inner.begin(opts);
        Ok(())
    }

    /// Feeds a chunk of the file.
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
    ) -> Result<(), JsValue> {
        let chunk: js_sys::Uint8Array = chunk
            .dyn_into()
            .map_err(|_| JsValue::from(err("a chunk must be a Uint8Array")))?;
        self.inner.push(&chunk.to_vec()).map_err(file_error)
    }

    /// Data rows read so far in the current file.
    pub fn rows(&self) -> f64 {
        self.inner.rows() as f64
    }

    pub fn cancel(&mut self) {
        self.inner.cancel();
    }

    /// Ends the file: its summary as JSON.
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<String, JsValue> {
        let name = text(&name, "the file name")?;
        let s = self.inner.finish(&name).map_err(file_error)?;
        json(&s).map_err(JsValue::from)
    }

    /// Forgets the last file read named `name` (a Cancel that came once it was read) and every
    /// file added after it: the JSON array of the names of those added after it, in the order
    /// they were read, for the worker to read again; `undefined` when there was no such file.
    #[wasm_bindgen(js_name = forgetFrom)]
    pub fn forget_from(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Option<String>, JsError> {
        let name = text(&name, "the file name")?;
        Ok(self
            .inner
            .forget_from(&name)
            .and_then(|later| json(&later).ok()))
    }

    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// The overview (funnels, totals) under the classify options (JSON).
    pub fn overview(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options_json: JsValue,
    ) -> Result<String, JsError> {
        let o = options(&text(&options_json, "the classify options (JSON)")?)?;
        json(&self.inner.overview(&o))
    }

    /// A page of accounts; `status` is a status name (`counted`, `dormant`, …) or empty; `keep`
    /// (JSON, optional): `[[file, line], …]`, rows listed whatever their status (the accounts
    /// decided on in the list shown, see `Session::accounts_keeping`).
    pub fn accounts(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options_json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] status: JsValue,
        offset: u32,
        limit: u32,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] keep: JsValue,
    ) -> Result<String, JsError> {
        let o = options(&text(&options_json, "the classify options (JSON)")?)?;
        let query = text(&query, "the search text")?;
        let status: Option<Status> = named_or_none(&text(&status, "the status name")?)?;
        let keep: Vec<(String, u32)> = if keep.is_undefined() || keep.is_null() {
            Vec::new()
        } else {
            serde_json::from_str(&text(&keep, "the rows to keep (JSON)")?)
                .map_err(|e| err(format!("the rows to keep: {e}")))?
        };
        json(
            &self
                .inner
                .accounts_keeping(&o, &query, status, &keep, offset, limit),
        )
    }

    /// A page of device rows, each with its export, line, verdict and why; `status` is a device
    /// status name (`personal`, `network`, …) or empty.
    pub fn devices(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options_json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] status: JsValue,
        offset: u32,
        limit: u32,
    ) -> Result<String, JsError> {
        let o = options(&text(&options_json, "the classify options (JSON)")?)?;
        let query = text(&query, "the search text")?;
        let status: Option<DeviceStatus> =
            named_or_none(&text(&status, "the device status name")?)?;
        json(&self.inner.device_page(&o, &query, status, offset, limit))
    }

    /// Merges the imported data into the estate (JSON): `{ estate, summary }` as JSON.
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] estate_json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] options_json: JsValue,
    ) -> Result<String, JsError> {
        let o = options(&text(&options_json, "the classify options (JSON)")?)?;
        let estate_json = text(&estate_json, "the estate (JSON)")?;
        let estate: Estate =
            crate::estate::from_json_text(&estate_json).map_err(|e| err(format!("estate: {e}")))?;
        json(&self.inner.apply(estate, &o))
    }
}

#[wasm_bindgen]
impl ImportSession {
    /// Adds the devices of a per-device RD Licensing report to the estate (JSON) as a shared
    /// device pool; `choice_json` is an `RdDevicePool` (file, groups, session hosts). Returns
    /// `{ estate, summary }` as JSON, or the reason it was not added (the estate unchanged).
    #[wasm_bindgen(js_name = addRdDevicePool)]
    pub fn add_rd_device_pool(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] estate_json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] choice_json: JsValue,
    ) -> Result<String, JsError> {
        let estate_json = text(&estate_json, "the estate (JSON)")?;
        let choice_json = text(&choice_json, "the device pool (JSON)")?;
        let estate: Estate =
            crate::estate::from_json_text(&estate_json).map_err(|e| err(format!("estate: {e}")))?;
        let choice: RdDevicePool =
            serde_json::from_str(&choice_json).map_err(|e| err(format!("device pool: {e}")))?;
        let applied = self
            .inner
            .add_rd_device_pool(estate, &choice)
            .map_err(err)?;
        json(&applied)
    }
}

impl Default for ImportSession {
    fn default() -> Self {
        Self::new()
    }
}

/// The value a name stands for, or `None` for an empty name (a list's "all"); a name it does not
/// know gets serde's own message, as the estate's files give.
fn named_or_none<T: Named>(name: &str) -> Result<Option<T>, JsError> {
    if name.is_empty() {
        return Ok(None);
    }
    T::from_name(name).map(Some).ok_or_else(|| {
        err(<serde_json::Error as serde::de::Error>::unknown_variant(
            name,
            T::NAMES,
        ))
    })
}
