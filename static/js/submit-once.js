// Send a form once. After the first submit of a POST form, its buttons are marked busy
// (aria-disabled, so they stay focusable and are announced as unavailable) and further submits are
// ignored: a double click on a slow connection posts once. The server takes a repeated post only once
// anyway (the response form's one-time token, idempotent staff actions); this spares the wait.
// Buttons are not `disabled`: a disabled button's name and value (the moderation action) would not be
// sent. Coming back to the page from the browser's history, or no answer after a while, makes the form
// usable again. Without JavaScript the form simply posts as it is.
(() => {
  const RETRY_AFTER_MS = 15000;
  const buttons = (form) =>
    form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");

  const release = (form) => {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    buttons(form).forEach((button) => button.removeAttribute("aria-disabled"));
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    form.setAttribute("aria-busy", "true");
    buttons(form).forEach((button) => button.setAttribute("aria-disabled", "true"));
    window.setTimeout(() => release(form), RETRY_AFTER_MS);
  });

  // The back-forward cache restores the page as it was left: busy.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();
