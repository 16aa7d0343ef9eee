// bpm site: sort and filter the postmortem index, in the browser, with nothing fetched.
"use strict";
(function () {
  const table = document.getElementById("postmortems");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const text = document.getElementById("filter-text");
  const severity = document.getElementById("filter-severity");
  const status = document.getElementById("filter-status");
  const overdue = document.getElementById("filter-overdue");
  const shown = document.getElementById("shown");
  const haystacks = rows.map((row) => row.textContent.toLowerCase());

  function filter() {
    const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    rows.forEach((row, i) => {
      const visible =
        words.every((word) => haystacks[i].includes(word)) &&
        (!severity.value || row.dataset.severity === severity.value) &&
        (!status.value || row.dataset.status === status.value) &&
        (!overdue.checked || Number(row.dataset.overdue) > 0);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count + " shown";
  }

  function sortBy(header, index) {
    const numeric = header.dataset.type === "number";
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => {
      const value = row.cells[index].textContent.trim();
      return numeric ? Number(value) : value.toLowerCase();
    };
    const sorted = rows.slice().sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    sorted.forEach((row) => body.appendChild(row));
  }

  Array.from(table.tHead.rows[0].cells).forEach((header, index) => {
    header.querySelector("button").addEventListener("click", () => sortBy(header, index));
  });
  // "change" as well as "input": not every browser fires "input" for a select or a checkbox
  [text, severity, status, overdue].forEach((control) => {
    control.addEventListener("input", filter);
    control.addEventListener("change", filter);
  });
  document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
})();
