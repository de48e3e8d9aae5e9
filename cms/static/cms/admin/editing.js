/* Writing help in every Wagtail edit form (pages, snippets, and the creation
 * forms that choosers load into modals), as progressive enhancement: without
 * this file every field still works and the server still checks every limit.
 *
 * - Character counters: every text input or text area with a limit (a model
 *   field's max_length, a block's max_length, or data-character-limit set by
 *   a form) shows "n / limit characters" as the editor types. The browser's
 *   maxlength is removed, so pasted text is never cut without a word; the
 *   form refuses it on save and the counter says by how much it is over.
 *   A field marked data-character-recommended (a search description) gets a
 *   soft counter instead: longer text is saved, but may be cut where shown.
 *   The count is the server's: a line break counts two, surrounding spaces none.
 * - Accessible names: Draftail editors are named by their field's label (or
 *   by the block they belong to), Handsontable's hidden clipboard area too.
 * - Rich text is kept on submit: Draftail writes its content to the form
 *   250ms after the last change, so a form submitted sooner (a chooser's
 *   "Add new" form, a quick keyboard user) lost it; such a submit is held
 *   until the editors have written their content.
 * - Wagtail's minimap scrolls with the keyboard too (it is focusable).
 * - Filterable choices: a checkbox list marked data-filterable-choices gets
 *   a labelled search box that hides the choices that do not match.
 */
(function () {
  "use strict";

  const SKIP_COUNTER = '[type=hidden], [data-controller~="w-slug"], [readonly], [data-no-character-counter]';
  let counterNumber = 0;

  function describeBy(field, id) {
    const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!ids.includes(id)) field.setAttribute("aria-describedby", [...ids, id].join(" "));
  }

  // The length the server checks: Django strips the text's surrounding
  // whitespace, the browser sends each line break as two characters (\r\n),
  // and Python counts characters, not UTF-16 units as JavaScript's length does.
  function submittedLength(value) {
    return [...value.trim().replace(/\r?\n/g, "\r\n")].length;
  }

  function addCounter(field) {
    if (field.dataset.characterCounter || field.matches(SKIP_COUNTER)) return;
    const limit = Number(field.dataset.characterLimit || field.getAttribute("maxlength"));
    const recommended = Number(field.dataset.characterRecommended);
    if (!limit && !recommended) return;
    field.dataset.characterCounter = "on";
    if (limit) field.dataset.characterLimit = String(limit);
    field.removeAttribute("maxlength");
    const counter = document.createElement("p");
    counter.className = "help character-count";
    counter.id = `${field.id || `field-${(counterNumber += 1)}`}-count`;
    counter.setAttribute("aria-live", "polite");
    describeBy(field, counter.id);
    field.after(counter);
    const update = () => {
      const length = submittedLength(field.value);
      if (!limit) {
        // A soft limit: longer text is saved, but will be cut where it is shown.
        const over = length - recommended;
        counter.textContent = over > 0
          ? `${length} / ${recommended} characters recommended: ${over} more may be cut off in search results`
          : `${length} / ${recommended} characters recommended`;
        return;
      }
      const over = length - limit;
      counter.textContent = over > 0
        ? `${length} / ${limit} characters: ${over} over the limit`
        : `${length} / ${limit} characters`;
      counter.classList.toggle("error-message", over > 0);
    };
    field.addEventListener("input", update);
    update();
  }

  function labelText(element) {
    const text = element && element.textContent.replace(/\s+/g, " ").replace(/\*$/, "").trim();
    return text || null;
  }

  // The input a Draftail editor saves to sits just before the editor's wrapper.
  function nameRichTextEditor(editable) {
    if (editable.hasAttribute("aria-label") || editable.hasAttribute("aria-labelledby")) return;
    const wrapper = editable.closest("[data-draftail-editor-wrapper]");
    const input = wrapper && wrapper.parentNode.querySelector("input[type=hidden]");
    const label = input && input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label) {
      if (!label.id) label.id = `${input.id}-label`;
      editable.setAttribute("aria-labelledby", label.id);
      return;
    }
    // In a block: the block's heading, and the field's own label inside a
    // struct block (a callout's body), e.g. "Callout: Body"; a rich-text
    // block on its own (a paragraph) is named by its heading alone.
    // (Wagtail renders a struct child's label without `for` when its widget is rich text.)
    const field = editable.closest("[data-contentpath]");
    const fieldLabel = field && labelText(field.querySelector(":scope > label"));
    const block = editable.closest("section, .w-panel, [data-streamfield-child]");
    const title = block && labelText(block.querySelector("[data-panel-heading-text], .c-sf-block__type"));
    const name = [title, fieldLabel].filter(Boolean).filter((part, i, parts) => parts.indexOf(part) === i);
    editable.setAttribute("aria-label", name.join(": ") || "Rich text");
  }

  function enhance(root) {
    root.querySelectorAll("input[type=text][maxlength], textarea[maxlength], [data-character-limit], [data-character-recommended]")
      .forEach((field) => {
        if (field.form) addCounter(field);
      });
    root.querySelectorAll(".public-DraftEditor-content[contenteditable]").forEach(nameRichTextEditor);
    root.querySelectorAll("textarea.copyPaste:not([aria-label])").forEach((area) => {
      area.setAttribute("aria-label", "Table clipboard");
    });
    root.querySelectorAll("[data-filterable-choices]:not([data-filter-ready])").forEach(makeFilterable);
    // Wagtail's minimap of a long form scrolls, but its links are out of the
    // tab order while it is collapsed: the keyboard could not scroll it.
    root.querySelectorAll(".w-minimap__list:not([tabindex])").forEach((list) => {
      list.tabIndex = 0;
    });
  }

  function makeFilterable(list) {
    list.dataset.filterReady = "on";
    const choices = [...list.querySelectorAll("input[type=checkbox]")].map((box) => ({
      box,
      row: box.closest("div") || box.parentElement,
      text: (box.closest("label") || box.parentElement).textContent.trim().toLowerCase(),
    }));
    const filter = document.createElement("input");
    filter.type = "search";
    filter.className = "filterable-choices__filter";
    filter.setAttribute("aria-label", list.dataset.filterLabel || "Filter the choices");
    filter.placeholder = list.dataset.filterPlaceholder || "Type to filter";
    filter.setAttribute("aria-controls", list.id);
    const status = document.createElement("p");
    status.className = "help filterable-choices__status";
    status.id = `${list.id}-filter-status`;
    status.setAttribute("aria-live", "polite");
    filter.setAttribute("aria-describedby", status.id);
    const update = () => {
      const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      choices.forEach(({ box, row, text }) => {
        // A ticked choice stays in view: the editor always sees what is chosen.
        const visible = box.checked || words.every((word) => text.includes(word));
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      const ticked = choices.filter(({ box }) => box.checked).length;
      status.textContent = `${shown} of ${choices.length} shown, ${ticked} chosen`;
    };
    filter.addEventListener("input", update);
    // Enter in the filter would submit the whole form: it ticks a lone match instead.
    filter.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const visible = choices.filter(({ row }) => !row.hidden);
      if (visible.length === 1) {
        visible[0].box.checked = !visible[0].box.checked;
        visible[0].box.dispatchEvent(new Event("change", { bubbles: true }));
        update();
      }
    });
    list.addEventListener("change", update);
    list.before(filter, status);
    update();
  }

  // Draftail writes an editor's content to its form input a moment (250ms)
  // after the last change, from its own timer (the commentable editor Wagtail
  // uses keeps that timer to itself). A form submitted sooner (a keyboard
  // user, or a chooser's "Add new" form sent right after typing the answer)
  // sent the content as it was before: an empty answer. Such a submit is held
  // until every editor's input holds what the editor shows, then sent again
  // with the same button.
  const SAVE_INTERVAL = 250;
  let lastRichTextEdit = 0;
  ["keydown", "input", "paste", "drop"].forEach((type) => {
    document.addEventListener(type, (event) => {
      if (event.target.closest && event.target.closest("[data-draftail-editor-wrapper]")) {
        lastRichTextEdit = Date.now();
      }
    }, true);
  });

  function unsaved(input) {
    const shown = input.draftailEditor.getEditorState().getCurrentContent().hasText();
    return shown && (!input.value || input.value === "null");
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (form.dataset.richTextHeld) return;
      const inputs = [...form.querySelectorAll("input[type=hidden]")].filter((input) => input.draftailEditor);
      const recent = Date.now() - lastRichTextEdit < SAVE_INTERVAL * 2;
      if (!inputs.length || !(recent || inputs.some(unsaved))) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      form.dataset.richTextHeld = "on";
      const submitter = event.submitter && event.submitter.form === form ? event.submitter : undefined;
      let tries = 0;
      const send = () => {
        tries += 1;
        if (tries < 20 && (Date.now() - lastRichTextEdit < SAVE_INTERVAL * 2 || inputs.some(unsaved))) {
          setTimeout(send, 50);
          return;
        }
        form.requestSubmit(submitter);
        delete form.dataset.richTextHeld;
      };
      setTimeout(send, 50);
    },
    true,
  );

  function start() {
    enhance(document);
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        enhance(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
