/*
 * The explorer (docs/explorer.md): filters the page's full list of entries.
 *
 * The list is rendered at build time and works without this script. The script reads
 * the public export (api/v1/graph.json, linked from the page as #hb-explorer-data),
 * derives each entry's facets from the graph's edges and hides the entries that do not
 * match. Until the data is there the form is busy, and a list that the address will
 * filter is kept invisible (a line of inline script before it, in macros/explorer.py,
 * marks the page before its first paint) rather than shown in full and then shrunk. The
 * filter state lives in the query string (?kind=…&area=…, url-state.js, loaded first), so a
 * filtered view can be shared, and Back and Forward restore earlier views. The filters'
 * names come from the form (data-url-fields), the facet values from the export.
 * Data is only ever compared, never inserted into the page.
 */
(() => {
  "use strict";
  const form = document.getElementById("hb-explorer");
  const status = document.getElementById("hb-explorer-count");
  const source = document.getElementById("hb-explorer-data");
  const results = document.getElementById("hb-explorer-results");
  const urlState = window.hbUrlState;
  if (!form || !status || !source || !results || !urlState) return;

  const FIELDS = urlState.fields(form);
  const items = Array.from(results.querySelectorAll("li"));
  const total = items.length;
  let facetsOf = null; // list item -> its facets, once the export is loaded
  let typing = false; // the last history entry is a text edit: replace it, do not stack more
  let timer = 0;

  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const idOf = (key) => key.slice(key.indexOf(":") + 1);

  // Facets from the graph. Area, phase and technical/non-technical reach an entry through
  // its activities; category and radar ring through its technologies.
  function facets(graph) {
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    const linked = new Map(); // "relation node-id" -> Set of node ids
    const add = (relation, from, to) => {
      const name = relation + " " + from;
      if (!linked.has(name)) linked.set(name, new Set());
      linked.get(name).add(to);
    };
    const get = (relation, from) => Array.from(linked.get(relation + " " + from) || []);
    for (const { source: from, target: to, type } of graph.edges) {
      const kind = nodes.get(from).kind;
      if (type === "area" || type === "category") add(type, from, to);
      else if (type === "activities") {
        add("activities", from, to); // a phase's, a responsibility's or a term's activities
        if (kind === "phase") add("phases", to, from);
      } else if (type === "technologies") {
        add("technologies", from, to); // an activity's or a term's technologies
        if (kind === "activity") add("activities", to, from);
      } else if (type === "terms" && kind === "activity") add("activities", to, from); // not a path's step
    }
    const byUrl = new Map();
    for (const node of nodes.values()) {
      const activities = node.kind === "activity" ? [node.id] : get("activities", node.id);
      const technologies = node.kind === "technology" ? [node.id]
        : get("technologies", node.id).concat(...activities.map((a) => get("technologies", a)));
      const areas = activities.flatMap((a) => get("area", a));
      const phases = node.kind === "phase" ? [node.id] : activities.flatMap((a) => get("phases", a));
      byUrl.set(new URL(node.url, new URL("../../", source.href)).href, {
        kind: new Set([node.kind]),
        area: new Set(areas.map(idOf)),
        phase: new Set(phases.map(idOf)),
        type: new Set(areas.map((area) => nodes.get(area).type)),
        category: new Set(technologies.flatMap((t) => get("category", t)).map(idOf)),
        ring: new Set(technologies.map((t) => nodes.get(t).ring)),
        text: fold([node.title, ...node.aliases, node.summary].join("\n")),
      });
    }
    return new Map(items.map((item) => [item, byUrl.get(item.querySelector("a").href)]));
  }

  function matches(facets, filters) {
    if (!facets) return !FIELDS.some((name) => filters[name]); // not in the export: shown unfiltered only
    const words = fold(filters.text).split(/\s+/).filter(Boolean);
    return FIELDS.every((name) => name === "text" || !filters[name] || facets[name].has(filters[name]))
      && words.every((word) => facets.text.includes(word));
  }

  function apply() {
    if (!facetsOf) return; // the data is not there yet: apply() runs again when it is
    const filters = urlState.values(form);
    let shown = 0;
    for (const item of items) {
      item.hidden = !matches(facetsOf.get(item), filters);
      if (!item.hidden) shown += 1;
    }
    const filtered = FIELDS.some((name) => filters[name]);
    status.textContent = filtered ? `${shown} of ${total} entries match` : `${total} entries`;
  }

  function record(changed) {
    if (urlState.record(form, changed === "text" && typing)) typing = changed === "text";
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    urlState.clear(form);
    apply();
    record("reset");
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "text") return;
    apply();
    record(event.target.name);
  });
  form.addEventListener("input", (event) => {
    if (event.target.name !== "text") return;
    clearTimeout(timer); // announce and record the count once typing pauses
    timer = setTimeout(() => { apply(); record("text"); }, 250);
  });
  urlState.follow(form, () => {
    typing = false;
    apply();
  });

  urlState.restore(form);
  // ?q= is the header search box's query when scripts were off there (partials/search.html).
  const query = new URLSearchParams(location.search).get("q");
  if (query && !form.elements.text.value) form.elements.text.value = query;
  fetch(source.href)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.json();
    })
    .then((graph) => {
      facetsOf = facets(graph);
      apply();
      document.documentElement.classList.remove("hb-explorer-filtered");
      form.removeAttribute("aria-busy");
    })
    .catch(() => {
      form.hidden = true;
      document.documentElement.classList.remove("hb-explorer-filtered");
      status.textContent = `${total} entries (the filters need ${source.getAttribute("href")}, which could not be loaded)`;
    });
})();
