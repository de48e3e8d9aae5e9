/* The writing-help panel beside a guide's body (guides/readability.py): the
 * guide's readability, hard sentences and plain-language suggestions, measured
 * by the server as the editor types. Its word count and reading time are the
 * ones shown in Wagtail's Checks panel too: Wagtail counts the whole preview
 * at its own reading speed, which gave the editor two different answers. */
(function () {
  "use strict";

  function minutes(count) {
    return `${count} ${count === 1 ? "min" : "mins"}`;
  }

  // Wagtail writes its own count into the Checks panel each time it checks
  // the preview; this count is written back over it.
  function showInChecksPanel(metrics) {
    const shown = [
      [document.querySelector("[data-content-word-count]"), String(metrics.words)],
      [document.querySelector("[data-content-reading-time]"), minutes(metrics.minutes)],
    ];
    shown.forEach(([element, text]) => {
      if (!element) return;
      if (element.textContent !== text) element.textContent = text;
      if (!element.dataset.writingHelp) {
        element.dataset.writingHelp = "on";
        new MutationObserver(() => {
          const latest = element.dataset.writingHelpText;
          if (latest && element.textContent !== latest) element.textContent = latest;
        }).observe(element, { childList: true, characterData: true, subtree: true });
      }
      element.dataset.writingHelpText = text;
    });
  }

  function start(panel) {
    const form = panel.closest("form");
    if (!form) return;
    const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const live = panel.querySelector("[data-readability-live]");
    const own = /^(title|standfirst|summary|body-|key_highlights-|important_facts-)/;

    function currentText() {
      const parts = [];
      form.querySelectorAll("input[type=text], textarea").forEach((field) => {
        if (own.test(field.name) && field.value.trim()) parts.push(field.value);
      });
      // Rich text (quick answer, body paragraphs) lives in Draftail editors.
      form.querySelectorAll("[contenteditable=true]").forEach((editor) => {
        if (editor.innerText.trim()) parts.push(editor.innerText);
      });
      return parts.join("\n");
    }

    // The FAQs the guide shows: the FAQs tab's and those chosen in FAQ blocks,
    // leaving out any the editor has removed (Wagtail keeps a removed child's
    // inputs with a DELETE or "deleted" flag beside them until the form is saved).
    function removed(name) {
      const parts = name.split("-");
      for (let end = parts.length - 1; end > 0; end -= 1) {
        const prefix = parts.slice(0, end).join("-");
        for (const flag of ["DELETE", "deleted"]) {
          const input = form.querySelector(`[name="${prefix}-${flag}"]`);
          if (input && (input.type === "checkbox" ? input.checked : ["1", "true", "on"].includes(input.value))) return true;
        }
      }
      return false;
    }

    function currentFAQs() {
      const ids = [];
      form.querySelectorAll("input[type=hidden]").forEach((input) => {
        const placed = /^faq_placements-\d+-faq$/.test(input.name);
        const inBody = /^body-\d+-value-faqs-\d+-value$/.test(input.name);
        if ((placed || inBody) && input.value && !removed(input.name) && !ids.includes(input.value)) ids.push(input.value);
      });
      return ids;
    }

    function element(tag, text, className) {
      const node = document.createElement(tag);
      if (text !== undefined) node.textContent = text;
      if (className) node.className = className;
      return node;
    }

    function show(result) {
      live.replaceChildren();
      if (result.grade === null) {
        live.append(element("p", "No text to measure yet."));
        return;
      }
      const over = result.grade > result.target;
      live.append(element("p",
        `Now: grade ${result.grade} (target: ${result.target} or lower), reading ease ${result.reading_ease}, `
        + `${result.word_count} words (about ${minutes(result.reading_time_minutes)} to read).`,
        over ? "readability__over" : ""));
      showInChecksPanel({ words: result.word_count, minutes: result.reading_time_minutes });
      if (result.hard_sentences.length) {
        live.append(element("h3", `Sentences above grade ${result.target}`));
        const list = element("ul", undefined, "readability__sentences");
        result.hard_sentences.forEach((item) => {
          const entry = element("li");
          entry.append(element("mark", item.sentence), ` — grade ${item.grade}`);
          list.append(entry);
        });
        live.append(list);
      }
      if (result.plain_language.length) {
        live.append(element("h3", "Plain-language suggestions"));
        const list = element("ul", undefined, "readability__terms");
        result.plain_language.forEach((item) => {
          const entry = element("li");
          entry.append(element("mark", item.term), ` → ${item.alternative}`);
          if (item.note) entry.append(` (${item.note})`);
          list.append(entry);
        });
        live.append(list);
      }
      if (result.faq_plain_language.length) {
        live.append(element("h3", "Plain-language suggestions in the guide's FAQs"));
        const list = element("ul", undefined, "readability__faq-terms");
        result.faq_plain_language.forEach((faq) => {
          faq.plain_language.forEach((item) => {
            const entry = element("li");
            entry.append(`In the answer to “${faq.question}”: `, element("mark", item.term), ` → ${item.alternative}`);
            if (item.note) entry.append(` (${item.note})`);
            list.append(entry);
          });
        });
        live.append(list);
      }
    }

    let timer;
    let sent = null;
    function check() {
      const text = currentText();
      const faqs = currentFAQs();
      const request = JSON.stringify([text, faqs]);
      if (request === sent) return;
      sent = request;
      const body = new FormData();
      body.append("text", text);
      faqs.forEach((id) => body.append("faq", id));
      fetch(panel.dataset.readabilityCheck, {
        method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
      }).then((response) => response.ok && response.json()).then((result) => result && show(result));
    }
    // Debounced: one request when the editor pauses, not one per key. Rich-text
    // editors do not all report their edits as input events, so the text is
    // also compared every two seconds (a request only when it changed).
    const later = () => { clearTimeout(timer); timer = setTimeout(check, 600); };
    form.addEventListener("input", later);
    form.addEventListener("keyup", later);
    setInterval(check, 2000);
    check();
  }

  function startAll() {
    document.querySelectorAll("[data-readability-check]").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
