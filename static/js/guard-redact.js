// The guard's redaction form (templates/guard/includes/response_panel.html): "Brug den tekst, du har
// markeret" copies the text the moderator selected on the page into "Anden tekst, der skal udelades".
// Without JavaScript the button stays hidden and the text is pasted by hand.
(() => {
  let selected = "";
  document.addEventListener("selectionchange", () => {
    const text = String(document.getSelection() || "").trim();
    if (text) selected = text;
  });
  document.querySelectorAll("[data-guard-passage]").forEach((button) => {
    const input = document.getElementById(button.dataset.guardPassage);
    if (!input) return;
    button.closest("[hidden]")?.removeAttribute("hidden");
    button.addEventListener("click", () => {
      if (!selected) return;
      input.value = selected.replace(/\s+/g, " ");
      input.focus();
    });
  });
})();
