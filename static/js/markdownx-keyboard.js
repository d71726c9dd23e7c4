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
