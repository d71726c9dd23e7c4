// django-markdownx turns Tab in its editor into indentation, so someone who tabs into a Markdown field
// in the admin can never tab out of it again: a keyboard trap (WCAG 2.1.2). Here Tab and Shift+Tab move
// the focus, as in every other field; Ctrl+] and Ctrl+[ still indent and unindent. The listener runs on
// the window in the capture phase, before the editor's own.
window.addEventListener(
  "keydown",
  function (event) {
    if (event.key === "Tab" && event.target instanceof Element && event.target.matches(".markdownx-editor")) {
      event.stopPropagation();
    }
  },
  true,
);

// django-markdownx sends an image dropped or pasted into its editor to an upload URL. The portal has no
// such route (its Markdown shows no images), so the editor would write "Invalid response" into the text.
// A file dropped on the editor is ignored (and not opened by the browser); a pasted file is left to the
// browser, which pastes any text that comes with it.
["drop", "paste"].forEach(function (type) {
  window.addEventListener(
    type,
    function (event) {
      var data = type === "drop" ? event.dataTransfer : event.clipboardData;
      var onEditor = event.target instanceof Element && event.target.matches(".markdownx-editor");
      if (onEditor && data && data.files.length) {
        event.stopPropagation();
        if (type === "drop") {
          event.preventDefault();
        }
      }
    },
    true,
  );
});
