// Poll the document's status and show the download as soon as it is ready (no-JS: the page refreshes).
(function () {
  const box = document.getElementById("document-status");
  if (!box) return;
  const url = box.dataset.statusUrl;
  async function poll() {
    try {
      const reply = await fetch(url, { headers: { Accept: "application/json" } });
      const state = await reply.json();
      const label = box.querySelector(".js-status-label");
      if (label) label.textContent = state.label;
      box.querySelectorAll("[data-when]").forEach(function (sentence) {
        sentence.hidden = sentence.dataset.when !== state.status;
      });
      if (state.status === "done" || state.status === "failed") {
        window.location.reload();
        return;
      }
    } catch (error) {
      /* try again below */
    }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1500);
})();
