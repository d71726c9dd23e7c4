// "Vis flere": fetch the next page of a list (responses, search results) and append it, instead of
// leaving the page. Without JavaScript the link simply opens the next page. The link may name its list
// and its count ("Viser 1–10 af 37") with data-list and data-count.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a.js-show-more");
  if (!link) return;
  event.preventDefault();
  link.setAttribute("aria-busy", "true");
  try {
    const reply = await fetch(link.href, { headers: { "X-Requested-With": "fetch" } });
    if (!reply.ok) throw new Error(String(reply.status));
    const next = new DOMParser().parseFromString(await reply.text(), "text/html");
    const listId = link.dataset.list || "response-list";
    const countId = link.dataset.count || "response-count";
    const list = document.getElementById(listId);
    const items = next.querySelectorAll("#" + listId + " > li");
    items.forEach((item) => list.appendChild(document.adoptNode(item)));
    const count = document.getElementById(countId);
    const nextCount = next.getElementById(countId);
    if (count && nextCount) {
      // "Viser 21–40 af 143" on the next page becomes "Viser 1–40 af 143" here.
      count.textContent = count.textContent.replace(/–\s*\d+/, "–" + nextCount.textContent.match(/–\s*(\d+)/)[1]);
    }
    const nav = link.closest("nav");
    const nextNav = next.querySelector("nav.show-more");
    if (nextNav) nav.replaceWith(document.adoptNode(nextNav)); else nav.remove();
    if (items[0]) { items[0].setAttribute("tabindex", "-1"); items[0].focus(); }
  } catch (error) {
    window.location.href = link.href;
  }
});
