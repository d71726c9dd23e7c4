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
        await showFinished();
        return;
      }
    } catch (error) {
      /* try again below */
    }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1500);

  // Put the finished page's status box (the download, or the error and 'Prøv igen') in place of this
  // one instead of reloading the page: a reload sends a keyboard user's focus back to the top of the page
  // and tells a screen reader nothing, while a change inside the live region is announced. Focus that was
  // in the box (on 'Opdatér siden', which goes away) moves to the box's new link or button.
  async function showFinished() {
    const reply = await fetch(window.location.href, { headers: { Accept: "text/html" } });
    const fresh = new DOMParser().parseFromString(await reply.text(), "text/html").getElementById("document-status");
    if (!reply.ok || !fresh) {
      window.location.reload();
      return;
    }
    const hadFocus = box.contains(document.activeElement);
    box.replaceChildren(...Array.from(fresh.childNodes));
    const control = box.querySelector("a, button");
    if (hadFocus && control) control.focus();
    // Asked for with the button ("Lav PDF"): the PDF comes by itself, as one click promised. The
    // download link stays, for another copy.
    const download = box.querySelector("a[download]");
    if (download && box.hasAttribute("data-download-when-done")) download.click();
  }
})();
