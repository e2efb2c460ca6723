/*
 * The competency matrix's view (macros/templates/matrix.md.j2): one area or all, one level
 * or all. Without this script every area and level is shown. The choice lives in the query
 * string (?area=…&level=…, url-state.js, loaded first), so a view can be bookmarked, shared
 * and printed; a value that is not one of the form's options is ignored. Hiding columns is
 * CSS, keyed on data-level.
 */
(() => {
  "use strict";
  const form = document.getElementById("hb-matrix-controls");
  const matrix = document.getElementById("hb-matrix");
  const count = document.getElementById("hb-matrix-count");
  const urlState = window.hbUrlState;
  if (!form || !matrix || !count || !urlState) return;
  const sections = Array.from(matrix.querySelectorAll("[data-area]"));

  function apply() {
    const area = form.elements.area.value;
    const level = form.elements.level;
    let activities = 0;
    for (const section of sections) {
      section.hidden = Boolean(area) && section.dataset.area !== area;
      if (!section.hidden) activities += section.querySelectorAll("tbody tr").length;
    }
    matrix.dataset.level = level.value;
    const areas = area ? form.elements.area.selectedOptions[0].textContent : `all ${sections.length} areas`;
    const levels = level.value ? `${level.selectedOptions[0].textContent} expectations` : "all levels";
    count.textContent = `Showing ${activities} activities in ${areas}: ${levels}.`;
  }

  form.addEventListener("change", () => {
    apply();
    urlState.record(form);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  urlState.follow(form, apply);

  urlState.restore(form);
  apply();
})();
