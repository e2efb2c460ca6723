/*
 * The header search box (overrides/partials/search.html) over the Pagefind index
 * (macros/pagefind_index.py), with Material's look and keys: "/" or "s" opens it, arrows
 * move through the results, Enter opens one, Escape closes.
 *
 * Nothing is fetched until the box is first used: then Pagefind's script and WASM, the
 * panel's vocabulary and, per query, one shard of exact names and the index chunks and
 * page fragments the query needs. Results, in order:
 *   1. pages whose title, abbreviation or alias is what was typed, ignoring case, spaces,
 *      hyphens, slashes and underscores (search/names/<first two characters>.json,
 *      macros/search_names.py, which normalises names the same way as `normalize` here);
 *   2. the pages a synonym leads to (data/search/synonyms.yml, in the same shards);
 *   3. when neither matched, pages with a name one slip away ("kubernets", "dokcer"; two
 *      for names of 8 characters or more), as Pagefind does not forgive typing slips;
 *   4. Pagefind's results: those with every word in the title first, then those with
 *      every word in a heading, then the rest, each group in Pagefind's order.
 * The kind and area filters narrow them all. Page text is only ever inserted as text:
 * excerpts keep Pagefind's <mark> elements and nothing else.
 */
(() => {
  "use strict";
  const root = document.querySelector("[data-hb-search]");
  const toggle = document.getElementById("__search");
  const script = document.currentScript;
  if (!root || !toggle || !script) return;
  const form = root.querySelector("form");
  const input = form.elements.q;
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const panel = root.querySelector(".hb-search-facets");
  const choice = {}; // filter name -> its <select>, made on first use (no second "Kind" field on the explorer's page until then)
  const site = new URL("../", script.src); // this script is <site>/javascripts/search.js
  const PAGE = 12; // Pagefind results shown at first, and added by "More results"

  let engine = null; // Promise of Pagefind's module, once the box is used
  let vocabulary = null; // Promise of search/vocabulary.json
  const shards = new Map(); // shard name -> Promise of its names
  let latest = 0; // number of the latest query: older answers are dropped
  let limit = PAGE;
  let timer = 0;

  const normalize = (text) => {
    const folded = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "") || text;
    return folded.toLowerCase().replace(/[\s\-/_\u2010-\u2015]+/g, "");
  };
  const words = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const json = (path) => fetch(new URL(path, site)).then((response) => (response.ok ? response.json() : {}));

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", site).href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: site.pathname, excerptLength: 20 });
        await pagefind.init();
        return pagefind;
      });
      vocabulary = json("search/vocabulary.json").then((found) => {
        for (const [name, label, options] of [["kind", "Kind", found.kind_options], ["area", "Area", found.area_options]]) {
          const select = Object.assign(document.createElement("select"), { name });
          select.add(new Option(`Any ${name}`, ""));
          for (const [value, text] of options || []) select.add(new Option(text, value));
          select.addEventListener("change", () => { limit = PAGE; search(); });
          const field = document.createElement("label");
          field.append(label, " ", select);
          panel.append(field);
          choice[name] = select;
        }
        panel.hidden = false;
        return found;
      });
    }
    return engine;
  }

  // The shard of a name: its first two characters, as macros/search_names.py names it.
  async function names(key) {
    const shard = Array.from(key).slice(0, 2).map((c) => (/[a-z0-9]/.test(c) ? c : "_")).join("");
    const listed = (await vocabulary).shards || [];
    if (!listed.includes(shard)) return {};
    if (!shards.has(shard)) shards.set(shard, json(`search/names/${shard}.json`));
    return shards.get(shard);
  }

  function filters() {
    const chosen = {};
    for (const name of ["kind", "area"]) if (choice[name] && choice[name].value) chosen[name] = choice[name].value;
    return chosen;
  }

  // A shard's page, as a result, when it passes the filters.
  function named(shard, indexes, chosen, known, why) {
    const areas = (known.area_options || []).map(([id]) => id);
    return (indexes || []).map((i) => shard.pages[i])
      .filter(([, , kind, at]) => (!chosen.kind || kind === chosen.kind) && (!chosen.area || at.some((a) => areas[a] === chosen.area)))
      .map(([path, title, kind]) => ({ url: new URL(path, site).href, title, kind: (known.kinds || {})[kind] || kind, why }));
  }

  // Edits between two names (insertions, deletions, substitutions, swapped neighbours).
  function distance(a, b) {
    const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
    for (let i = 1; i <= a.length; i++) {
      rows[i] = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
    return rows[a.length][b.length];
  }

  function slips(shard, key) {
    const known = shard.names || {};
    if (key.length < 4 || known[key] || (shard.synonyms || {})[key]) return [];
    const allowed = key.length < 8 ? 1 : 2;
    return Object.keys(known)
      .filter((name) => Math.abs(name.length - key.length) <= allowed)
      .map((name) => [distance(name, key), name])
      .filter(([edits]) => edits <= allowed)
      .sort((a, b) => a[0] - b[0])
      .flatMap(([, name]) => known[name]);
  }

  // Pagefind's results, grouped: every word in the title, then in a heading, then elsewhere.
  function grouped(results, query) {
    const wanted = words(query);
    const has = (text) => { const found = words(text); return wanted.every((w) => found.some((f) => f.startsWith(w))); };
    const group = (data) => has(data.meta.title || "") ? 0
      : data.sub_results.some((sub) => sub.url.includes("#") && has(sub.title)) ? 1 : 2;
    return results.map((data, order) => ({ data, order, group: group(data) }))
      .sort((a, b) => a.group - b.group || a.order - b.order)
      .map(({ data }) => ({ url: new URL(data.url, site).href, title: data.meta.title, kind: data.meta.kind, excerpt: data.excerpt }));
  }

  async function search() {
    const query = input.value.trim();
    const number = ++latest;
    if (!query) return show([], "Type to start searching", 0);
    const chosen = filters();
    const key = normalize(query);
    const pagefind = load();
    const [shard, known] = await Promise.all([names(key), vocabulary]);
    const found = await (await pagefind).search(query, { filters: chosen });
    if (number !== latest) return;
    const data = await Promise.all(found.results.slice(0, limit).map((result) => result.data()));
    if (number !== latest) return;
    const shardPages = { pages: shard.pages || [] };
    const results = [
      ...named(shardPages, (shard.names || {})[key], chosen, known, "name"),
      ...named(shardPages, (shard.synonyms || {})[key], chosen, known, "synonym"),
      ...named(shardPages, slips(shard, key), chosen, known, "slip"),
      ...grouped(data, query),
    ];
    const seen = new Set();
    const unique = results.filter((result) => !seen.has(result.url) && seen.add(result.url));
    const excerpts = new Map(data.map((item) => [new URL(item.url, site).href, item.excerpt]));
    show(unique, null, found.results.length, excerpts, query);
  }

  // Excerpt HTML from Pagefind: its text, and its <mark> elements, nothing else.
  function excerpt(html) {
    const paragraph = document.createElement("p");
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") paragraph.append(Object.assign(document.createElement("mark"), { textContent: node.textContent }));
      else paragraph.append(node.textContent);
    }
    return paragraph;
  }

  function item(result, excerpts, query) {
    const link = Object.assign(document.createElement("a"), { href: result.url, className: "md-search-result__link", tabIndex: -1 });
    const article = Object.assign(document.createElement("article"), { className: "md-search-result__article md-typeset" });
    const heading = Object.assign(document.createElement("h1"), { textContent: result.title });
    const text = result.excerpt || excerpts.get(result.url);
    let summary;
    if (text) summary = excerpt(text);
    else {
      summary = document.createElement("p");
      const mark = Object.assign(document.createElement("mark"), { textContent: query });
      const lead = { name: "Also called ", synonym: "The handbook's page for ", slip: "A name close to " };
      summary.append(lead[result.why], mark);
    }
    const tags = Object.assign(document.createElement("nav"), { className: "md-tags" });
    tags.append(Object.assign(document.createElement("span"), { className: "md-tag", textContent: result.kind || "Page" }));
    article.append(Object.assign(document.createElement("div"), { className: "md-search-result__icon md-icon" }), heading, summary, tags);
    link.append(article);
    return Object.assign(document.createElement("li"), { className: "md-search-result__item" }).appendChild(link).parentNode;
  }

  function show(results, message, total, excerpts = new Map(), query = "") {
    const more = total > limit;
    meta.textContent = message || (results.length ? `${results.length} ${results.length === 1 ? "result" : "results"}${more ? ` of ${total}+` : ""}` : "No matching documents");
    list.replaceChildren(...results.map((result) => item(result, excerpts, query)));
    root.dataset.shown = query; // the query these results answer (the tests wait for it)
    if (more) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "md-search-result__more md-button", textContent: "More results" });
      button.addEventListener("click", () => { limit += PAGE; search(); });
      list.append(Object.assign(document.createElement("li"), { className: "md-search-result__item" }).appendChild(button).parentNode);
    }
  }

  function open() {
    toggle.checked = true;
    load();
    if (document.activeElement !== input) input.focus();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  const links = () => Array.from(list.querySelectorAll(".md-search-result__link"));

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
    if (!toggle.checked && !typing && (event.key === "/" || event.key === "s" || event.key === "S")) {
      event.preventDefault();
      open();
    } else if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp") && !(target instanceof HTMLSelectElement)) {
      const all = links();
      if (!all.length) return;
      event.preventDefault();
      const at = all.indexOf(document.activeElement);
      const next = event.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
      if (next < 0) input.focus();
      else all[next].focus();
    }
  });
  input.addEventListener("focus", open);
  input.addEventListener("input", () => {
    limit = PAGE;
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault(); // Enter opens the first result, once the query's results are in
    clearTimeout(timer);
    await search();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => setTimeout(() => { search(); input.focus(); }));
  toggle.addEventListener("change", () => { if (toggle.checked) load(); });
})();
