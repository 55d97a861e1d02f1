//! Labelled form fields. A number field keeps exactly what the user typed: a figure that is not a
//! whole number in range shows a message next to the field and is not applied, so the estate (and
//! the result) keep the figure they had when the edit began, and nothing typed is lost. While the
//! field has focus, what the user types is never rewritten from the estate: with fast typing the
//! estate arrives a keystroke late, and rewriting the text then mangled it (QA: "12,50" became
//! "12,0050").

use crate::ui::format;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// How long a text must stand unchanged before a live region says it, in milliseconds.
pub const SETTLE_MS: u32 = 1000;

/// `text` once it has stood unchanged for [`SETTLE_MS`] (the first `text` at once): what a live
/// region says, so that a screen reader hears a field's error or the new result once the typing
/// pauses, not at every keystroke (review 27, WCAG 4.1.3: an assertive alert was replaced at each
/// key, the result's status spoken for each).
#[hook]
pub fn use_settled(text: String) -> String {
    use_settled_when(text, true)
}

/// [`use_settled`], counting the pause only while `ready`: the result's status waits for the
/// full evaluation, not the quick one it replaces (else each was said).
#[hook]
pub fn use_settled_when(text: String, ready: bool) -> String {
    use_settled_by(text, (), ready)
}

/// [`use_settled`], counting the pause from the last change of `typed` (what the field holds), not
/// of the text: a message that stays the same while the user types on ("start with https://" for
/// each of "h" to "https:/") is said once the typing pauses, not a second after it first showed.
#[hook]
pub fn use_settled_typing(text: String, typed: String) -> String {
    use_settled_by(text, typed, true)
}

/// `text` once it and `key` have stood unchanged for [`SETTLE_MS`] while `ready`.
#[hook]
fn use_settled_by<K: PartialEq + 'static>(text: String, key: K, ready: bool) -> String {
    let said = use_state_eq(|| text.clone());
    {
        let said = said.clone();
        use_effect_with((text, key, ready), move |(t, _, ready)| {
            let t = t.clone();
            let timer =
                ready.then(|| gloo::timers::callback::Timeout::new(SETTLE_MS, move || said.set(t)));
            move || drop(timer)
        });
    }
    (*said).clone()
}

/// A field's polite live region, there from the start (a region added with its text is not
/// read), saying the field's error once the typing pauses; the error shown beside the field
/// is tied to it by `aria-describedby` and `aria-invalid`.
pub fn said_region(said: String) -> Html {
    html! { <p class="visually-hidden field-said" aria-live="polite" aria-atomic="true">{ said }</p> }
}

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    /// Unique DOM id (the label points at it).
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: u64,
    #[prop_or(0)]
    pub min: u64,
    pub max: u64,
    pub on_change: Callback<u64>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Said after the label to assistive technology only, where one label repeats per item of a
    /// list: "in group Office staff" makes a card's "People" read "People in group Office staff"
    /// (UI review: detailed mode's cards repeated a bare "People", "Name", "Quantity").
    #[prop_or_default]
    pub context: Option<AttrValue>,
}

/// A whole-number field with an inline message for bad input.
#[component]
pub fn NumberField(p: &NumberFieldProps) -> Html {
    let text = use_state(|| p.value.to_string());
    let error = use_state(|| None::<String>);
    let edit = use_mut_ref(Edit::<u64>::default);
    {
        // A new value from outside (an import, the other mode, Undo) replaces the text, unless the
        // text already means that value (the user typed "030") or it is this field's own echo.
        let (text, error, min, max, edit) =
            (text.clone(), error.clone(), p.min, p.max, edit.clone());
        use_effect_with(p.value, move |v| {
            if edit.borrow_mut().echoes(v) {
                return;
            }
            edit.borrow_mut().outside(*v);
            if format::parse_count(&text, min, max).ok() != Some(*v) {
                text.set(v.to_string());
                error.set(None);
            }
        });
    }
    let (onfocus, onblur) = edit_bounds(&edit, p.value);
    let oninput = {
        let (text, error, on_change, min, max, edit) = (
            text.clone(),
            error.clone(),
            p.on_change.clone(),
            p.min,
            p.max,
            edit.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            match format::parse_count(&typed, min, max) {
                Ok(n) => {
                    error.set(None);
                    edit.borrow_mut().sent(n, &on_change);
                }
                Err(message) => {
                    error.set(Some(message));
                    edit.borrow_mut().revert(&on_change);
                }
            }
            text.set(typed);
        })
    };
    let error_id = format!("{}-error", p.id);
    let hint_id = format!("{}-hint", p.id);
    let described = match (&*error, &p.hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        _ => None,
    };
    // The result stays that of the last valid figure: say which (QA: the old total stood
    // unmarked beside an invalid "4O").
    let message = error
        .as_ref()
        .map(|m| format!("{m} The result still uses {}.", format::count(p.value)));
    let said = use_settled(message.clone().unwrap_or_default());
    html! {
        <div class={classes!("field", error.is_some().then_some("invalid"))}>
            <label for={p.id.clone()}>{ p.label.clone() }{ hidden_context(&p.context) }</label>
            <input id={p.id.clone()} type="text" inputmode="numeric" autocomplete="off"
                value={(*text).clone()} {oninput} {onfocus} {onblur}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={described} />
            if let Some(message) = message {
                <p id={error_id} class="field-error">{ message }</p>
            } else if let Some(hint) = &p.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
            { said_region(said) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct MoneyFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The organisation's own price, if set.
    pub value: Option<i64>,
    /// Shown as the placeholder: the price used when the field is empty.
    pub placeholder: AttrValue,
    pub currency: AttrValue,
    /// `None` when the field is emptied (back to the reference price).
    pub on_change: Callback<Option<i64>>,
    /// Keep the label for assistive technology only (the table row names the item).
    #[prop_or(false)]
    pub compact: bool,
}

/// A price field: minor units in the estate, a decimal in the field.
#[component]
pub fn MoneyField(p: &MoneyFieldProps) -> Html {
    let digits = format::fraction_digits(&p.currency);
    let shown = |v: Option<i64>| {
        v.map(|m| format::decimal_local(m, digits))
            .unwrap_or_default()
    };
    let text = use_state(|| shown(p.value));
    let error = use_state(|| None::<String>);
    let edit = use_mut_ref(Edit::<Option<i64>>::default);
    // The currency's decimals the text was last written with.
    let written_digits = use_mut_ref(|| digits);
    {
        let (text, error, edit) = (text.clone(), error.clone(), edit.clone());
        use_effect_with((p.value, digits), move |(v, digits)| {
            // Another currency's decimals: the text is written anew even when it reads as the
            // same amount ("94,00" stayed beside a price of 94,000 KWD; locale review 22).
            let currency_changed =
                std::mem::replace(&mut *written_digits.borrow_mut(), *digits) != *digits;
            if edit.borrow_mut().echoes(v) && !currency_changed {
                return;
            }
            edit.borrow_mut().outside(*v);
            let current = if text.trim().is_empty() {
                None
            } else {
                format::parse_money(&text, *digits).ok()
            };
            if current != *v || currency_changed {
                text.set(
                    v.map(|m| format::decimal_local(m, *digits))
                        .unwrap_or_default(),
                );
                error.set(None);
            }
        });
    }
    let (onfocus, onblur) = edit_bounds(&edit, p.value);
    let oninput = {
        let (text, error, on_change, edit) = (
            text.clone(),
            error.clone(),
            p.on_change.clone(),
            edit.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            if typed.trim().is_empty() {
                error.set(None);
                edit.borrow_mut().sent(None, &on_change);
            } else {
                match format::parse_money(&typed, digits) {
                    Ok(m) => {
                        error.set(None);
                        edit.borrow_mut().sent(Some(m), &on_change);
                    }
                    Err(message) => {
                        error.set(Some(message));
                        edit.borrow_mut().revert(&on_change);
                    }
                }
            }
            text.set(typed);
        })
    };
    let error_id = format!("{}-error", p.id);
    let note_id = format!("{}-note", p.id);
    // "12,50" in en-US is applied as 12.50, but not silently: the field says how it was read for
    // as long as the text uses the other separator as its decimal point.
    let note = error
        .is_none()
        .then(|| format::other_decimal_note(&text, digits, format::locale_decimal()))
        .flatten();
    let described = match (&*error, &note) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(note_id.clone()),
        _ => None,
    };
    // As the count fields do: what the result uses while the text is refused.
    let message = error.as_ref().map(|message| match p.value {
        Some(m) => format!(
            "{message} The result still uses {}.",
            format::decimal_local(m, digits)
        ),
        None if !p.placeholder.is_empty() => format!(
            "{message} The result still uses the reference price, {}.",
            p.placeholder
        ),
        None => format!("{message} The result still has no price for it."),
    });
    let said = use_settled(message.clone().unwrap_or_default());
    html! {
        <div class={classes!("field", "money", error.is_some().then_some("invalid"))}>
            <label for={p.id.clone()} class={classes!(p.compact.then_some("visually-hidden"))}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type="text" inputmode="decimal" autocomplete="off"
                value={(*text).clone()} placeholder={p.placeholder.clone()} {oninput} {onfocus} {onblur}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={described} />
            if let Some(message) = message {
                <p id={error_id} class="field-error">{ message }</p>
            } else if let Some(note) = note {
                <p id={note_id} class="field-hint field-note" role="status">{ note }</p>
            }
            { said_region(said) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Label for screen readers only (in a row under column heads).
    #[prop_or_default]
    pub compact: bool,
    /// With `compact`: the label shown where the column heads are hidden (see [`label`]).
    #[prop_or_default]
    pub short: Option<AttrValue>,
    /// Takes a field grid's whole row: for names, which a column of 11rem cut ("Legal and
    /// compliance (mail archiving)" showed as "Legal and complian", QA).
    #[prop_or_default]
    pub wide: bool,
    /// Said after the label to assistive technology only, where one label repeats per item of a
    /// list: "in group Office staff" makes a card's "People" read "People in group Office staff"
    /// (UI review: detailed mode's cards repeated a bare "People", "Name", "Quantity").
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// A warning about the value, shown under the field and part of its description (two
    /// servers of one name). It never blocks the edit.
    #[prop_or_default]
    pub note: Option<AttrValue>,
}

#[component]
pub fn TextField(p: &TextFieldProps) -> Html {
    let oninput = {
        let on_change = p.on_change.clone();
        Callback::from(move |e: InputEvent| {
            on_change.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let hint_id = format!("{}-hint", p.id);
    let note_id = format!("{}-note", p.id);
    let described = [
        p.hint.as_ref().map(|_| hint_id.as_str()),
        p.note.as_ref().map(|_| note_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        <div class={classes!("field", p.wide.then_some("wide"))}>
            { label(&p.id, &p.label, p.compact, &p.short, &p.context) }
            <input id={p.id.clone()} type="text" autocomplete="off" value={p.value.clone()}
                placeholder={p.placeholder.clone()} {oninput}
                aria-describedby={(!described.is_empty()).then_some(described)} />
            if let Some(hint) = &p.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
            if let Some(note) = &p.note {
                <p id={note_id} class="field-hint field-note">{ note.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// (value, label) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Keep the label for assistive technology only (a column heading names the field).
    #[prop_or(false)]
    pub compact: bool,
    /// With `compact`: the label shown where the column heads are hidden (see [`label`]).
    #[prop_or_default]
    pub short: Option<AttrValue>,
    /// Said after the label to assistive technology only, where one label repeats per item of a
    /// list: "in group Office staff" makes a card's "People" read "People in group Office staff"
    /// (UI review: detailed mode's cards repeated a bare "People", "Name", "Quantity").
    #[prop_or_default]
    pub context: Option<AttrValue>,
}

/// A field's `<label>`. A compact one is for assistive technology only, beside column heads;
/// with a `short` form, the stylesheet shows that form where the heads are hidden (quick mode's
/// server rows on a narrow card, where the heads could not line up with the fields: QA), while
/// the full label stays the field's accessible name. A `context` follows the label for assistive
/// technology only.
fn label(
    id: &AttrValue,
    text: &AttrValue,
    compact: bool,
    short: &Option<AttrValue>,
    context: &Option<AttrValue>,
) -> Html {
    match (compact, short) {
        (true, Some(short)) => html! {
            <label for={id.clone()} class="compact-label">
                <span class="short-label" aria-hidden="true">{ short.clone() }</span>
                <span class="visually-hidden">{ text.clone() }{ context.as_ref().map(|c| format!(" {c}")) }</span>
            </label>
        },
        (true, None) => html! {
            <label for={id.clone()} class="visually-hidden">{ text.clone() }{ context.as_ref().map(|c| format!(" {c}")) }</label>
        },
        _ => html! {
            <label for={id.clone()}>{ text.clone() }{ hidden_context(context) }</label>
        },
    }
}

/// A label's `context`, for assistive technology only. Its text starts with a space: Chromium
/// reads a visually hidden span as a word of its own, so "People" and " in group Office staff"
/// make "People in group Office staff".
fn hidden_context(context: &Option<AttrValue>) -> Html {
    match context {
        Some(c) => html! { <span class="visually-hidden">{ format!(" {c}") }</span> },
        None => Html::default(),
    }
}

/// The longest option, in characters, that a select in a column of a field grid (11rem at least)
/// shows on one line; a select with a longer one takes the grid's whole row.
const WIDE_OPTION_CHARS: usize = 18;

#[component]
pub fn SelectField(p: &SelectFieldProps) -> Html {
    let onchange = {
        let on_change = p.on_change.clone();
        Callback::from(move |e: Event| {
            on_change.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let hint_id = format!("{}-hint", p.id);
    // A select cannot wrap its text: one with a long option ("Anonymous internet visitors (no
    // CAL)", "Enterprise Agreement / EAS / SCE") takes a whole row of a field grid, where a
    // column cut it (QA 1 Dec).
    let wide = p
        .options
        .iter()
        .any(|(_, label)| label.chars().count() > WIDE_OPTION_CHARS);
    // What the select shows, drawn by the page so that it wraps: a select's own text cannot,
    // and cut its choice at 320 px ("Anonymous web users (no CAL)" by 29 px) and at 360 px with
    // the text spacing of WCAG 1.4.12 (review 30). The select stays the control, transparent
    // over it: its label, keyboard, picker and value are the browser's. The browser shows the
    // first option when none is selected, and so does this.
    let shown = p
        .options
        .iter()
        .find(|(value, _)| *value == p.selected)
        .or_else(|| p.options.first())
        .map(|(_, label)| label.clone())
        .unwrap_or_default();
    html! {
        <div class={classes!("field", wide.then_some("wide"))}>
            { label(&p.id, &p.label, p.compact, &p.short, &p.context) }
            <div class="select-box">
                <select id={p.id.clone()} {onchange}
                    aria-describedby={p.hint.is_some().then(|| hint_id.clone())}>
                    { for p.options.iter().map(|(value, label)| html! {
                        <option value={value.clone()} selected={*value == p.selected}>{ label.clone() }</option>
                    }) }
                </select>
                <span class="select-shown" aria-hidden="true">{ shown }</span>
            </div>
            if let Some(hint) = &p.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RadioFieldProps {
    /// The group's id; each choice's input is `{id}-{value}`, and all share `id` as their name.
    pub id: AttrValue,
    pub legend: AttrValue,
    pub options: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub on_change: Callback<String>,
}

/// A choice among a few long readings, as a group of radio buttons under a legend: each reading
/// on its own line, wrapped as the card allows, and the arrow keys move between them. A select
/// cut them ("One per physical host, covering its VMs (Product Terms)" needs about 485 px and
/// was cut at 1000 px, QA 1 Dec).
#[component]
pub fn RadioField(p: &RadioFieldProps) -> Html {
    html! {
        <fieldset class="field radio-group" id={p.id.clone()}>
            <legend>{ p.legend.clone() }</legend>
            { for p.options.iter().map(|(value, label)| {
                let input_id = format!("{}-{value}", p.id);
                let onchange = {
                    let on_change = p.on_change.clone();
                    let value = value.to_string();
                    Callback::from(move |e: Event| {
                        if e.target_unchecked_into::<HtmlInputElement>().checked() {
                            on_change.emit(value.clone())
                        }
                    })
                };
                html! {
                    <label class="radio" for={input_id.clone()}>
                        <input type="radio" id={input_id} name={p.id.clone()} value={value.clone()}
                            checked={*value == p.selected} {onchange} />
                        <span>{ label.clone() }</span>
                    </label>
                }
            }) }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub on_change: Callback<bool>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Said after the label to assistive technology only, where one label repeats per item of a
    /// list: "in group Office staff" makes a card's "People" read "People in group Office staff"
    /// (UI review: detailed mode's cards repeated a bare "People", "Name", "Quantity").
    #[prop_or_default]
    pub context: Option<AttrValue>,
}

#[component]
pub fn CheckField(p: &CheckFieldProps) -> Html {
    let onchange = {
        let on_change = p.on_change.clone();
        Callback::from(move |e: Event| {
            on_change.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let hint_id = format!("{}-hint", p.id);
    html! {
        <div class="field check">
            <input id={p.id.clone()} type="checkbox" checked={p.checked} {onchange}
                aria-describedby={p.hint.is_some().then(|| hint_id.clone())} />
            <label for={p.id.clone()}>{ p.label.clone() }{ hidden_context(&p.context) }</label>
            if let Some(hint) = &p.hint {
                <p id={hint_id} class="field-hint">{ hint.clone() }</p>
            }
        </div>
    }
}

/// Options for a select from an enum list, keyed by the serde name.
pub fn enum_options<T: crate::named::Named>(
    all: &[T],
    label: fn(T) -> &'static str,
) -> Vec<(AttrValue, AttrValue)> {
    all.iter()
        .map(|v| {
            (
                AttrValue::from(format::serde_name(v)),
                AttrValue::from(label(*v)),
            )
        })
        .collect()
}

/// Options for a select from plain strings.
pub fn string_options(all: &[&'static str]) -> Vec<(AttrValue, AttrValue)> {
    all.iter()
        .map(|v| (AttrValue::from(*v), AttrValue::from(*v)))
        .collect()
}

/// One edit of a field, from focus to blur: the value the estate had when it began (restored when
/// the text stops being a valid figure, so "1.2.3" never leaves 1.20 applied from its prefix), and
/// the values the field has sent that have not come back yet, in order. The estate's value coming
/// back as one of those is the field's own echo, perhaps a keystroke late, and never rewrites the
/// text; any other value (an import, Undo, the other tab) does. Once a value has come back, those
/// sent before it are no echo any more: review 27 typed 500 while an import was applied, and the
/// import's estate, of before the edit, came back with 50, sent on the way to 500, and was taken
/// for an echo, so the field showed 500 while the estate held 50.
struct Edit<T> {
    before: Option<T>,
    /// The values sent, oldest first, down to the last one that came back.
    sent: Vec<T>,
    /// Sent something since the edit began or was last reverted.
    changed: bool,
}

impl<T> Default for Edit<T> {
    fn default() -> Self {
        Edit {
            before: None,
            sent: Vec::new(),
            changed: false,
        }
    }
}

impl<T: Clone + PartialEq + 'static> Edit<T> {
    fn sent(&mut self, value: T, on_change: &Callback<T>) {
        self.changed = true;
        if self.sent.last() != Some(&value) {
            self.sent.push(value.clone());
        }
        on_change.emit(value);
    }

    /// Puts the estate back to the value the edit began with, if this edit changed it.
    fn revert(&mut self, on_change: &Callback<T>) {
        if let (true, Some(before)) = (self.changed, self.before.clone()) {
            self.changed = false;
            if self.sent.last() != Some(&before) {
                self.sent.push(before.clone());
            }
            on_change.emit(before);
        }
    }

    /// Whether `value` is one sent by this edit coming back; the values sent before it will not
    /// come back any more.
    fn echoes(&mut self, value: &T) -> bool {
        if self.before.is_none() {
            return false;
        }
        match self.sent.iter().position(|s| s == value) {
            Some(i) => {
                self.sent.drain(..i);
                true
            }
            None => false,
        }
    }

    /// A value from outside (another field, a currency switch, Undo): the edit starts again from
    /// it, and what was sent before is no echo any more (QA: a price switched to yen and back
    /// kept the yen text, its dollar value taken for an echo of the typing).
    fn outside(&mut self, value: T) {
        self.sent.clear();
        self.changed = false;
        if self.before.is_some() {
            self.before = Some(value);
        }
    }
}

/// Focus starts an edit (remembering the estate's value), blur ends it.
fn edit_bounds<T: Clone + 'static>(
    edit: &std::rc::Rc<std::cell::RefCell<Edit<T>>>,
    value: T,
) -> (Callback<FocusEvent>, Callback<FocusEvent>) {
    let start = {
        let edit = edit.clone();
        Callback::from(move |_: FocusEvent| {
            *edit.borrow_mut() = Edit {
                before: Some(value.clone()),
                ..Edit::default()
            };
        })
    };
    let end = {
        let edit = edit.clone();
        Callback::from(move |_: FocusEvent| *edit.borrow_mut() = Edit::default())
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn typed(before: u64, values: &[u64]) -> Edit<u64> {
        let on_change = Callback::from(|_: u64| ());
        let mut edit = Edit {
            before: Some(before),
            ..Edit::default()
        };
        for v in values {
            edit.sent(*v, &on_change);
        }
        edit
    }

    /// Review 27: 500 typed over 50 while an import was applied; the import's estate of before
    /// came back with 50, which was taken for the echo of the "50" typed on the way, and the
    /// field kept showing 500 while the estate held 50.
    #[wasm_bindgen_test]
    fn a_value_sent_on_the_way_is_no_echo_once_a_later_one_came_back() {
        let mut edit = typed(50, &[5, 50, 500]);
        assert!(edit.echoes(&5));
        assert!(edit.echoes(&50));
        assert!(edit.echoes(&500));
        assert!(
            !edit.echoes(&50),
            "50 came back already: now it is the estate's"
        );
        assert!(!edit.echoes(&5));
        assert!(
            edit.echoes(&500),
            "the last value sent still is the field's own"
        );
    }

    /// The estate a keystroke late (or the echoes of a few keystrokes at once) never rewrites
    /// the text: each value sent comes back as an echo, in order, even one sent twice.
    #[wasm_bindgen_test]
    fn late_echoes_are_echoes() {
        let mut edit = typed(0, &[1, 12, 1, 12]);
        assert!(edit.echoes(&12), "the first two came back at once");
        assert!(edit.echoes(&1));
        assert!(edit.echoes(&12));
        assert!(!edit.echoes(&7));
    }

    #[wasm_bindgen_test]
    fn no_echo_outside_an_edit() {
        let mut edit = Edit::<u64>::default();
        assert!(!edit.echoes(&0));
    }
}
